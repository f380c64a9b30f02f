"""The web pages: case form, results (clinician tabs), patient view, print view, glossary,
and the interactive API page. Server-rendered with Jinja; nothing is stored. Results, patient
and print views render the one view model of an assessment (``axilla.explain.view``); the
print view is the HTML report's own template.

A results page carries the case as JSON in a hidden field, so the patient and print views
are rendered from the same input without storing it or putting it in a URL.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from axilla import __version__
from axilla.assess import assess
from axilla.case.assessment import parse_case
from axilla.errors import FieldProblem, InputError, UnknownModelVersionError
from axilla.explain import glossary
from axilla.explain.catalogue import DEFAULT_LANGUAGE, available_languages, catalogue
from axilla.explain.view import build_view
from axilla.service.pages import forms

router = APIRouter(include_in_schema=False)

env = Environment(loader=ChoiceLoader([PackageLoader("axilla.service.pages", "templates"),
                                       PackageLoader("axilla.explain", "templates")]),
                  autoescape=select_autoescape(default=True), trim_blocks=True,
                  lstrip_blocks=True)
env.filters["field_id"] = lambda name: forms.FormField(name, "", "text").id
env.filters["field_label"] = forms.field_label
env.globals.update(version=__version__, SECTIONS=forms.SECTIONS, NODE_FIELDS=forms.NODE_FIELDS,
                   NODE_ROWS=forms.NODE_ROWS, node_field=forms.node_field)

VIEWS = ("clinician", "patient", "print", "pdf", "edit", "json")
#: The cookie that remembers the reader's language (set by ``?lang=`` or the picker).
LANG_COOKIE = "axilla_lang"


def languages() -> list[tuple[str, str]]:
    """(code, name in its own language) of every message catalogue, for the picker."""
    return [(code, catalogue(code).get("language", code)) for code in available_languages()]


def pick_language(*choices: str | None) -> str:
    """The first choice that names a catalogue (``?lang=``, the form, the cookie), else
    English."""
    known = available_languages()
    return next((c for c in choices if c in known), DEFAULT_LANGUAGE)


env.globals.update(languages=languages)


def render(name: str, status: int = 200, lang: str = DEFAULT_LANGUAGE,
           **context: Any) -> HTMLResponse:
    words = catalogue(lang)
    response = HTMLResponse(env.get_template(name).render(
        lang=lang, direction=words.get("direction", "ltr"), **context), status_code=status)
    response.set_cookie(LANG_COOKIE, lang, samesite="strict", httponly=True)
    return response


def _form_page(values: dict[str, str], errors: dict[str, list[str]] | None = None,
               status: int = 200, lang: str = DEFAULT_LANGUAGE) -> HTMLResponse:
    errors = errors or {}
    shown = {n for n in errors if forms.form_field(n) is not None}
    used = forms.filled_rows(values)
    rows = max([forms.NODE_ROWS, *[i + 1 for i in used]])
    return render("form.html", status=status, lang=lang, values=values, errors=errors,
                  unplaced={k: v for k, v in errors.items() if k not in shown},
                  node_rows=rows, visible_rows=max([1, *[i + 1 for i in used]]))


@router.get("/", response_class=HTMLResponse)
def form_page(request: Request, lang: str | None = None) -> HTMLResponse:
    """The empty case form (``?lang=`` picks the language of the results, remembered)."""
    values = {f.name: f.default for f in forms.ALL_FIELDS.values()}
    return _form_page(values, lang=pick_language(lang, request.cookies.get(LANG_COOKIE)))


def _results(case: dict[str, Any], version: str, view: str, lang: str) -> Response:
    parsed = parse_case(case)
    case_data = parsed.model_dump(mode="json", exclude_none=True)
    if view == "edit":
        values = forms.form_values_from_case(case_data) | {"predict_version": version}
        return _form_page(values, lang=lang)
    if view == "json":
        name = f"{parsed.case_id or 'case'}.json"
        return Response(json.dumps(case_data, indent=2), media_type="application/json",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    a = assess(parsed, predict_version=version, lang=lang)
    if view == "pdf":
        from axilla.explain.report import render_pdf

        return Response(render_pdf(a, lang, parsed), media_type="application/pdf",
                        headers={"Content-Disposition": 'inline; filename="axilla-letter.pdf"'})
    case_json = json.dumps(case_data, separators=(",", ":"))
    template = {"clinician": "results.html", "patient": "patient.html",
                "print": "print.html"}[view]
    return render(template, lang=lang, v=build_view(a, case=parsed, lang=lang),
                  case_json=case_json, predict_version=version)


@router.post("/assess", response_class=HTMLResponse)
async def assess_page(request: Request) -> Response:
    """Results of a submitted form (or of the case carried by a results page)."""
    body = (await request.body()).decode("utf-8", errors="replace")
    form = {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}
    view = form.get("view", "clinician")
    view = view if view in VIEWS else "clinician"
    lang = pick_language(form.get("lang"), request.query_params.get("lang"),
                         request.cookies.get(LANG_COOKIE))
    if form.get("case_json"):
        try:
            case = json.loads(form["case_json"])
            version = form.get("predict_version") or forms.CURRENT_VERSION
            if not isinstance(case, dict):
                raise ValueError
            return _results(case, version, view, lang)
        except InputError as exc:  # a saved case loaded by hand: say what is wrong in it
            return render("message.html", status=400, title="Could not read the case",
                          message="The case could not be read: " + "; ".join(
                              f"{forms.field_label(p.field)}: {p.reason}" for p in exc.problems))
        except (ValueError, UnknownModelVersionError):
            return render("message.html", status=400, title="Could not read the case",
                          message="The case sent with this page could not be read. Please "
                          "enter it again.")
    values = {name: form.get(name, "") for name in forms.ALL_FIELDS}
    values |= {k: v for k, v in form.items() if k.startswith("nodes[")}
    rows: list[int] = []
    try:
        case, rows, version = forms.case_from_form(form)
        return _results(case, version, view, lang)
    except InputError as exc:
        return _form_page(values, forms.errors_by_field(exc.problems, rows), status=422,
                          lang=lang)
    except UnknownModelVersionError as exc:
        problem = FieldProblem("predict_version", exc.version, "not available")
        return _form_page(values, forms.errors_by_field([problem], rows), status=422,
                          lang=lang)


@router.get("/glossary", response_class=HTMLResponse)
def glossary_page() -> HTMLResponse:
    """Every glossary term in plain language, with the clinical definition."""
    return render("glossary.html", entries=glossary())


@router.get("/docs", response_class=HTMLResponse)
def api_docs() -> HTMLResponse:
    """Interactive API documentation of /openapi.json (Swagger UI from the installed
    fastapi-offline package, served under /docs-assets)."""
    return render("docs.html")
