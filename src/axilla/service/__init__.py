"""The web shell of axilla: REST API, stored assessments and the web pages.

``create_app(settings)`` builds the FastAPI application (app.py); routes are in api.py (JSON)
and pages/ (HTML); store.py keeps cases in SQLite or PostgreSQL; auth.py checks bearer tokens.
The shell parses, calls the engines and presents; it computes nothing itself. See docs/service.md.
"""
