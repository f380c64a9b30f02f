"""FHIR containers: unwrap a Bundle (or loose resources), resolve references, keep one patient.

Spec fhir.md section 1, rules 3 and 8: resolve by fullUrl first, then ResourceType/id; drop
(and report) resources of another patient and duplicated ids instead of merging them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from axilla.errors import FieldProblem, InputError
from axilla.interop.fhir.report import Conflict, ImportReport

Resource = dict[str, Any]


def key(resource: Mapping[str, Any]) -> str:
    """``ResourceType/id`` of a resource (id ``?`` when it has none)."""
    return f"{resource.get('resourceType', '?')}/{resource.get('id', '?')}"


def _entries(data: Any) -> Iterator[tuple[str | None, Resource]]:
    if isinstance(data, list):
        for item in data:
            yield from _entries(item)
        return
    if not isinstance(data, dict) or not isinstance(data.get("resourceType"), str):
        raise InputError([FieldProblem("resourceType", None if not isinstance(data, dict)
                                       else data.get("resourceType"),
                                       "expected a FHIR Bundle, a resource or a list of them")])
    if data["resourceType"] == "Bundle":
        for i, entry in enumerate(data.get("entry") or []):
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if not isinstance(resource, dict) or "resourceType" not in resource:
                raise InputError([FieldProblem(f"entry[{i}].resource", resource,
                                               "each entry needs a resource with resourceType")])
            if resource["resourceType"] == "Bundle":
                yield from _entries(resource)
            else:
                yield entry.get("fullUrl"), resource
    else:
        yield None, data


class BundleIndex:
    """The resources of one patient, with reference resolution."""

    def __init__(self, data: Any, report: ImportReport):
        self.report = report
        seen: dict[str, Resource] = {}
        self.by_url: dict[str, Resource] = {}
        kept: list[Resource] = []
        for url, res in _entries(data):
            k = key(res)
            if k in seen:
                report.conflicts.append(Conflict(
                    kind="duplicate", sources=[k],
                    message=f"{k} appears more than once; the first copy is used"))
                continue
            seen[k] = res
            kept.append(res)
            if isinstance(url, str) and url:
                self.by_url[url] = res
        self.by_key = seen
        patients = [r for r in kept if r["resourceType"] == "Patient"]
        self.patient = self._choose_patient(patients, kept)
        self.patient_key = key(self.patient) if self.patient else self._subject_only(kept)
        report.patient = self.patient_key
        self.resources = [r for r in kept if self._mine(r)]

    def resolve(self, reference: Any) -> Resource | None:
        """The resource a Reference points to, or None (reported) when it is not here."""
        ref = reference.get("reference") if isinstance(reference, dict) else reference
        if not isinstance(ref, str):
            return None
        found = self.by_url.get(ref) or self.by_key.get(ref)
        if found is None and "/" in ref:
            found = self.by_key.get("/".join(ref.rstrip("/").split("/")[-2:]))
        return found

    def _subject(self, res: Mapping[str, Any]) -> str | None:
        ref = res.get("subject") or res.get("patient")
        if not isinstance(ref, dict):
            return None
        target = self.resolve(ref)
        if target is not None:
            return key(target)
        text = ref.get("reference")
        return "/".join(text.split("/")[-2:]) if isinstance(text, str) else None

    def _choose_patient(self, patients: list[Resource], kept: list[Resource]
                        ) -> Resource | None:
        if len(patients) <= 1:
            return patients[0] if patients else None
        counts = {key(p): 0 for p in patients}
        for r in kept:
            s = self._subject(r)
            if s in counts:
                counts[s] += 1
        best = max(patients, key=lambda p: counts[key(p)])
        self.report.conflicts.append(Conflict(
            kind="other-patient", sources=[key(p) for p in patients if p is not best],
            message=f"{len(patients)} patients in the bundle; {key(best)} is assessed and the "
                    "others' resources are ignored"))
        return best

    def _subject_only(self, kept: list[Resource]) -> str | None:
        """Without a Patient resource: the subject most resources name (reported)."""
        counts: dict[str, int] = {}
        for r in kept:
            s = self._subject(r)
            if s is not None:
                counts[s] = counts.get(s, 0) + 1
        if not counts:
            return None
        chosen = max(counts, key=lambda s: counts[s])
        self.report.warnings.append(f"no Patient resource in the bundle; the subject {chosen} "
                                    "is assessed")
        return chosen

    def _mine(self, res: Resource) -> bool:
        if res["resourceType"] == "Patient":
            return res is self.patient
        subject = self._subject(res)
        if subject is None or self.patient_key is None or subject == self.patient_key:
            return True
        self.report.conflicts.append(Conflict(
            kind="other-patient", sources=[key(res)],
            message=f"{key(res)} belongs to {subject}, not {self.patient_key}; ignored"))
        return False

    def of_type(self, *types: str) -> list[Resource]:
        return [r for r in self.resources if r["resourceType"] in types]
