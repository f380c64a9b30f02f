"""`axilla serve`: the web app and REST API on one address (uvicorn).

Database: --database-url, else AXILLA_DATABASE_URL, else SQLite ./var/axilla.db (WAL mode).
The schema is migrated to the newest revision before serving. See docs/service.md.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from axilla.cli import EXIT_OK, fail


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="start the web app and REST API",
        description="Start the web app and REST API (OpenAPI at /docs). Database: "
        "--database-url, else AXILLA_DATABASE_URL, else SQLite ./var/axilla.db.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--database-url", default=None,
                   help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db")
    p.add_argument("--max-body-bytes", type=int, default=None,
                   help="largest request body (default 262144, or AXILLA_MAX_BODY_BYTES)")
    p.add_argument("--log-level", choices=("debug", "info", "warning", "error"),
                   default="info")
    p.add_argument("--workers", type=int, default=1,
                   help="server processes (default 1); one per core serves more requests")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from axilla.service.app import create_app, warm_up
    from axilla.service.settings import Settings

    if not 0 < args.port < 65536:
        return fail(f"serve: --port {args.port}: must be 1 to 65535")
    if not 1 <= args.workers <= 64:
        return fail(f"serve: --workers {args.workers}: must be 1 to 64")
    try:
        settings = Settings.from_env(database_url=args.database_url,
                                     max_body_bytes=args.max_body_bytes)
        shown = make_url(settings.database_url).render_as_string(hide_password=True)
    except (ValueError, ArgumentError) as exc:
        return fail(f"serve: {exc}")
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        app = create_app(settings)
    except SQLAlchemyError as exc:
        first = str(exc.args[0]).splitlines()[0] if exc.args else ""
        return fail(f"serve: database {shown}: {type(exc).__name__}: {first}")
    warm_up()
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"axilla: serving on http://{host}:{args.port}  (database {shown}; "
          "Ctrl+C to stop)", flush=True)
    if args.workers == 1:
        uvicorn.run(app, host=args.host, port=args.port, access_log=False,
                    log_level=args.log_level, server_header=False)
        return EXIT_OK
    # Several processes: each builds its own app from the same settings, passed by environment.
    os.environ["AXILLA_DATABASE_URL"] = settings.database_url
    os.environ["AXILLA_MAX_BODY_BYTES"] = str(settings.max_body_bytes)
    uvicorn.run("axilla.service.app:create_warm_app", factory=True, workers=args.workers,
                host=args.host, port=args.port, access_log=False, log_level=args.log_level,
                server_header=False)
    return EXIT_OK
