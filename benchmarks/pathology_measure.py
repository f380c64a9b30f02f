"""Speed and memory of the pathology measurement, each beside a simple baseline in this run.

1. A slide with 10,000 synthetic tumour polygons (random star-shaped outlines, some
   overlapping): union, components and Feret diameters (``measure_outlines``), and the Feret
   step alone beside a baseline that loops over components in Python and compares hull
   vertices pair by pair.
2. A 20,000 x 20,000 float32 heatmap stored as a memory-mapped .npy file: ``measure_heatmap``
   (strips of rows) beside a baseline that loads the whole array, labels it in one
   scipy.ndimage call and measures each component from all its cell corners.

Each phase runs in a fresh process so its peak resident memory (ru_maxrss, minus the process
at start) is its own. Prints seconds and peak MiB.

    .venv/bin/python benchmarks/pathology_measure.py [--polygons 10000] [--size 20000]
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_outlines(n: int, seed: int = 7):
    """n star-shaped outlines of 12-48 vertices, radii 20-600 px, on a 200,000 px square."""
    from axilla.pathology import Outlines

    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, 200_000, (n, 2))
    out = []
    for c in centres:
        k = int(rng.integers(12, 49))
        angles = np.sort(rng.uniform(0, 2 * math.pi, k))
        radius = rng.uniform(20, 600) * rng.uniform(0.6, 1.0, k)
        out.append((c + np.column_stack((radius * np.cos(angles), radius * np.sin(angles))),))
    return Outlines(tuple(out))


def loop_feret(hulls: list[list[list[float]]]) -> list[float]:
    """Baseline: one hull at a time, every vertex pair compared in Python."""
    out = []
    for pts in hulls:
        best = 0.0
        for i in range(len(pts)):
            xi, yi = pts[i]
            for j in range(i + 1, len(pts)):
                best = max(best, (xi - pts[j][0]) ** 2 + (yi - pts[j][1]) ** 2)
        out.append(math.sqrt(best))
    return out


def time_feret(parts: np.ndarray) -> tuple[float, float, float]:
    """Seconds for the hulls, the vectorised kernel and the Python loop on the same hulls."""
    from axilla.pathology.feret import hull_vertices, max_feret_diameters

    t0 = time.perf_counter()
    coords, index = hull_vertices(parts)
    t_hull = time.perf_counter() - t0
    t0 = time.perf_counter()
    fast = max_feret_diameters(coords, index, len(parts))
    t_kernel = time.perf_counter() - t0
    hulls = [c.tolist() for c in np.split(coords, np.flatnonzero(np.diff(index)) + 1)]
    t0 = time.perf_counter()
    slow = loop_feret(hulls)
    t_loop = time.perf_counter() - t0
    assert np.allclose(fast, slow)
    return t_hull, t_kernel, t_loop


def phase_polygons(n: int) -> dict[str, float]:
    import shapely

    from axilla.pathology import measure_outlines
    from axilla.pathology.outlines import components, tumour_region

    outlines = synthetic_outlines(n)
    start_rss = rss_mib()
    t0 = time.perf_counter()
    m = measure_outlines(outlines, (0.243, 0.243))
    t_measure = time.perf_counter() - t0
    peak = rss_mib() - start_rss
    parts = components(tumour_region(outlines, (0.243, 0.243))[0])
    t_hull, t_kernel, t_loop = time_feret(parts)
    # Round deposits with 256 hull vertices each: where pairs, not hulls, dominate.
    rng = np.random.default_rng(5)
    discs = shapely.buffer(shapely.points(rng.uniform(0, 1e5, (500, 2))),
                           rng.uniform(50, 500, 500), quad_segs=64)
    r_hull, r_kernel, r_loop = time_feret(discs)
    return {"components": m.component_count, "measure_s": t_measure, "peak_mib": peak,
            "hull_s": t_hull, "kernel_s": t_kernel, "loop_s": t_loop,
            "round_hull_s": r_hull, "round_kernel_s": r_kernel, "round_loop_s": r_loop}


def make_heatmap(path: Path, size: int, seed: int = 11) -> int:
    """A float32 heatmap of low noise with ~size/10 discs of probability 0.9 (8-30 cells)."""
    rng = np.random.default_rng(seed)
    h = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(size, size))
    block = 1024
    discs = rng.uniform(0, size, (size // 10, 2))
    radii = rng.uniform(4, 15, len(discs))
    for r0 in range(0, size, block):
        rows = np.arange(r0, min(size, r0 + block))
        strip = (rng.random((len(rows), size), dtype=np.float32) * 0.3).astype(np.float32)
        near = np.flatnonzero(np.abs(discs[:, 1] - (r0 + block / 2)) < block / 2 + 16)
        for k in near:
            cx, cy, r = discs[k, 0], discs[k, 1], radii[k]
            y = rows[np.abs(rows - cy) <= r]
            if not len(y):
                continue
            half = np.sqrt(np.maximum(r * r - (y - cy) ** 2, 0))
            for yy, hw in zip(y, half, strict=True):
                strip[yy - r0, max(0, int(cx - hw)):int(cx + hw) + 1] = 0.9
        h[r0:r0 + len(rows)] = strip
    h.flush()
    return len(discs)


def phase_heatmap(path: str) -> dict[str, float]:
    from axilla.interop.pathology_files import read_heatmap
    from axilla.pathology import HeatmapGrid, measure_heatmap

    start_rss = rss_mib()
    t0 = time.perf_counter()
    m = measure_heatmap(read_heatmap(path), HeatmapGrid(64, (0.243, 0.243)))
    return {"components": m.component_count, "largest_um": m.largest_extent_um,
            "seconds": time.perf_counter() - t0, "peak_mib": rss_mib() - start_rss}


def phase_heatmap_baseline(path: str) -> dict[str, float]:
    import shapely
    from scipy import ndimage

    from axilla.pathology import max_feret_diameters

    start_rss = rss_mib()
    t0 = time.perf_counter()
    h = np.load(path)  # whole array in memory
    labels, n = ndimage.label(h >= 0.5, structure=np.ones((3, 3)))
    extents = []
    for k, box in enumerate(ndimage.find_objects(labels), start=1):
        r, c = np.nonzero(labels[box] == k)
        r, c = r + box[0].start, c + box[1].start
        corners = np.concatenate([np.column_stack((c + dx, r + dy))
                                  for dx in (0, 1) for dy in (0, 1)]).astype(float)
        hull = shapely.get_coordinates(shapely.convex_hull(shapely.multipoints(corners)))
        extents.append(max_feret_diameters(hull, np.zeros(len(hull), int), 1)[0])
    cell = 64 * 0.243
    return {"components": n, "largest_um": max(extents) * cell,
            "seconds": time.perf_counter() - t0, "peak_mib": rss_mib() - start_rss}


def run_phase(*args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--phase", *args], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polygons", type=int, default=10_000)
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        name, *rest = args.phase
        fn = {"polygons": lambda: phase_polygons(int(rest[0])),
              "heatmap": lambda: phase_heatmap(rest[0]),
              "heatmap_baseline": lambda: phase_heatmap_baseline(rest[0])}[name]
        print(json.dumps(fn()))
        return

    p = run_phase("polygons", str(args.polygons))
    print(f"{args.polygons} synthetic polygons -> {p['components']} deposits")
    print(f"  measure_outlines (union, components, Feret): {p['measure_s']:.2f} s, "
          f"peak +{p['peak_mib']:.0f} MiB")
    print(f"  Feret step: hulls {p['hull_s']:.3f} s; all hull-vertex pairs vectorised "
          f"{p['kernel_s']:.3f} s   baseline (Python loop over components): "
          f"{p['loop_s']:.3f} s ({p['loop_s'] / p['kernel_s']:.0f}x)")
    print(f"  500 round deposits, 256 hull vertices each: hulls {p['round_hull_s']:.3f} s; "
          f"pairs vectorised {p['round_kernel_s']:.3f} s   baseline: {p['round_loop_s']:.2f} s "
          f"({p['round_loop_s'] / p['round_kernel_s']:.0f}x)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "heatmap.npy"
        t0 = time.perf_counter()
        discs = make_heatmap(path, args.size)
        print(f"{args.size} x {args.size} float32 heatmap ({path.stat().st_size / 2**20:.0f} "
              f"MiB, {discs} discs) written in {time.perf_counter() - t0:.1f} s")
        s = run_phase("heatmap", str(path))
        b = run_phase("heatmap_baseline", str(path))
        assert s["components"] == b["components"]
        assert math.isclose(s["largest_um"], b["largest_um"], rel_tol=1e-9)
        print(f"  measure_heatmap (memory-mapped, strips): {s['seconds']:.1f} s, "
              f"peak +{s['peak_mib']:.0f} MiB, {s['components']} deposits")
        print(f"  baseline (whole array, one label call, loop over components): "
              f"{b['seconds']:.1f} s, peak +{b['peak_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
