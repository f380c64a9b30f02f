"""`axilla fhir import BUNDLE.json`: the case and import report read from a FHIR R4 bundle;
also ``assess_fhir`` behind `axilla assess --fhir BUNDLE.json [--fhir-out OUT.json]`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from axilla.cli import EXIT_OK, fail

if TYPE_CHECKING:  # keeps start-up free of the FHIR modules
    from axilla.interop.fhir.read import FhirImport


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("fhir", help="read a case from a FHIR R4 / mCODE bundle",
                       description="FHIR R4 / mCODE interoperability (docs/fhir.md).")
    actions = p.add_subparsers(dest="fhir_command", metavar="ACTION", required=True)
    imp = actions.add_parser("import", help="print the case and the import report of a bundle")
    imp.add_argument("bundle", type=Path, help="a FHIR Bundle, resource or list (JSON)")
    imp.add_argument("--json", action="store_true", help="case and report as JSON")
    p.set_defaults(handler=run)


def load_bundle(path: Path) -> Any:
    """The parsed JSON of a bundle file ('-' = standard input); ValueError names the file."""
    text = sys.stdin.read() if str(path) == "-" else path.read_text("utf-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None


def _read(path: Path) -> FhirImport:
    from axilla.interop.fhir.read import read_bundle

    return read_bundle(load_bundle(path))


def run(args: argparse.Namespace) -> int:
    try:
        imported = _read(args.bundle)
    except ValueError as exc:
        return fail(str(exc))
    case = imported.case.model_dump(mode="json") if imported.case else None
    if args.json:
        print(json.dumps({"case": case, "import_report": imported.report.as_dict()}, indent=2))
        return EXIT_OK
    print("Case:" if case else "Case: not built (see 'not assessable')")
    if case:
        print(json.dumps(case, indent=2))
    print("Import report:")
    for line in imported.report.lines():
        print(f"  {line}")
    return EXIT_OK


def assess_fhir(path: Path, out: Path | None, *, json_output: bool = False,
                predict_version: str | None = None) -> int:
    """Assess the case in a FHIR bundle: print the report and the result; optionally write the
    assessment as a FHIR Bundle. Exit 2 (one line) when no case can be built."""
    from axilla.assess import assess

    try:
        from axilla.interop.fhir.resources import require_models
        from axilla.interop.fhir.write import assessment_bundle

        require_models()
    except ModuleNotFoundError as exc:
        return fail(f"the FHIR export needs the Python package {exc.name!r}; install it with "
                    "pip install 'axilla[fhir]'")
    try:
        imported = _read(path)
    except ValueError as exc:
        return fail(str(exc))
    report = imported.report
    if imported.case is None:
        if json_output:
            print(json.dumps({"case": None, "import_report": report.as_dict(),
                              "assessment": None}, indent=2))
        else:
            print("\n".join(report.lines()))
        return fail(f"{path}: not assessable: " + "; ".join(report.not_assessable))
    kwargs = {"predict_version": predict_version} if predict_version else {}
    a = assess(imported.case, **kwargs)
    if out is not None:
        bundle = assessment_bundle(a, patient_reference=imported.patient_reference,
                                   condition_reference=imported.condition_reference,
                                   sources=imported.sources, report=report)
        out.write_text(json.dumps(bundle, indent=2), encoding="utf-8")
        print(f"axilla: FHIR bundle written to {out}", file=sys.stderr)
    if json_output:
        print(json.dumps({"case": imported.case.model_dump(mode="json"),
                          "import_report": report.as_dict(),
                          "assessment": a.model_dump(mode="json")}, indent=2))
        return EXIT_OK
    print("\n".join(report.lines()))
    print(f"Staging: {a.staging.summary()}")
    if a.predict.result is None:
        print("PREDICT: not run: " + "; ".join(a.predict.not_applicable_reasons))
    else:
        r = a.predict.result
        print(f"PREDICT {r.model.version}: 10-year overall survival "
              f"{r.steps[-1].overall_survival_pct[10]:.1f} % with the chosen treatments, "
              f"{r.surgery_only.overall_survival_pct[10]:.1f} % with surgery only")
    for rec in a.guidance.recommendations:
        print(f"  {rec.id} {rec.strength}: {rec.text} ({rec.cite})")
    if report.needs_review:
        print("NEEDS REVIEW: the bundle has conflicts (listed above)")
    return EXIT_OK
