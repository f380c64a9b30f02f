"""What a node measurement holds: every deposit's extent in micrometres and how it was measured.

Source: shared/spec/pathology.md section 5 (output per slide: largest extent, the components
with their extents, provenance: spacing, method, thresholds).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: Level-0 pixel spacing (x, y) in micrometres a pixel.
Spacing = tuple[float, float]

#: Methods. FERET: maximum Feret diameter of each connected deposit of the outlines (AJCC
#: greatest dimension). HEATMAP_FERET: the same over the thresholded cells of a heatmap.
#: CAMELYON16: major axis of the fitted ellipse after the 37.5 um dilation of the CAMELYON16
#: evaluation (reproduces that metric's ITC filter; not a staging measure).
FERET, HEATMAP_FERET, CAMELYON16 = "feret", "heatmap_feret", "camelyon16_ellipse"
METHODS = (FERET, HEATMAP_FERET, CAMELYON16)


@dataclass(frozen=True)
class Measurement:
    """Deposits of one node: extents (um, largest first) and the provenance of the numbers.

    ``quantisation_um`` is how far a measured extent may be from the true one because of the
    grid it was measured on (0 for outlines, two cells for heatmaps).
    """

    source: str
    method: str
    spacing_um: Spacing
    component_extents_um: np.ndarray
    merge_distance_um: float = 0.0
    threshold: float | None = None
    cell_um: Spacing | None = None
    quantisation_um: float = 0.0
    notes: tuple[str, ...] = field(default=())
    grid_px: dict[str, float] | None = None  # heatmaps: level-0 stride and origin of the cells

    @property
    def largest_extent_um(self) -> float:
        """Extent of the largest deposit (0 when there is none); never a sum of deposits."""
        e = self.component_extents_um
        return float(e[0]) if len(e) else 0.0

    @property
    def component_count(self) -> int:
        return len(self.component_extents_um)

    def near(self, boundaries_um: tuple[float, ...]) -> tuple[float, ...]:
        """The boundaries (um) that the largest extent cannot be placed on either side of.

        An extent is undecidable against a boundary b when |extent - b| <= quantisation_um
        (shared/spec/pathology.md section 5.2 step 5: within two cells of 200 or 2000 um).
        """
        if self.quantisation_um <= 0 or not self.component_count:
            return ()
        x = self.largest_extent_um
        return tuple(b for b in boundaries_um if abs(x - b) <= self.quantisation_um)

    def provenance(self) -> dict[str, object]:
        """Spacing, method, threshold, merge distance, grid and notes, ready to serialise."""
        out: dict[str, object] = {
            "source": self.source,
            "method": self.method,
            "spacing_um": list(self.spacing_um),
            "merge_distance_um": self.merge_distance_um,
        }
        if self.threshold is not None:
            out["threshold"] = self.threshold
        if self.cell_um is not None:
            out["cell_um"] = list(self.cell_um)
            out["quantisation_um"] = self.quantisation_um
        if self.grid_px is not None:
            out["grid_px"] = dict(self.grid_px)
        out["notes"] = list(self.notes)
        return out
