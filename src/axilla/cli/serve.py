"""`axilla serve`: the web app and REST API on one address (uvicorn).

Database: --database-url, else AXILLA_DATABASE_URL, else SQLite ./var/axilla.db (WAL mode).
The settings are checked and the port is bound before anything else: a busy port or a
nonsense setting is one line and exit code 2, never a server that claims to serve. The schema
is migrated to the newest revision before serving. See docs/service.md.
"""

from __future__ import annotations

import argparse
import errno
import os
import socket

from axilla.cli import EXIT_OK, fail

#: Most ports --port-search may try after the first.
PORT_SEARCH_MAX = 100
WORKERS_MAX = 64


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="start the web app and REST API",
        description="Start the web app and REST API (OpenAPI at /docs). Database: "
        "--database-url, else AXILLA_DATABASE_URL, else SQLite ./var/axilla.db.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--port-search", type=int, default=0, metavar="N",
                   help="when the port is busy, try the next N ports (default 0: fail)")
    p.add_argument("--database-url", default=None,
                   help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db")
    p.add_argument("--max-body-bytes", type=int, default=None,
                   help="largest request body, 1 to 16777216 (default 262144, or "
                   "AXILLA_MAX_BODY_BYTES)")
    p.add_argument("--body-timeout", type=float, default=None, metavar="SECONDS",
                   help="time to receive a request body, 0.1 to 300 s (default 10, or "
                   "AXILLA_BODY_TIMEOUT_S)")
    p.add_argument("--log-level", choices=("debug", "info", "warning", "error"),
                   default="info")
    p.add_argument("--workers", type=int, default=1,
                   help=f"server processes, 1 to {WORKERS_MAX} (default 1); one per core "
                   "serves more requests")
    p.set_defaults(handler=run)


def bind(host: str, port: int, search: int) -> socket.socket:
    """A listening socket on the first free port of port .. port+search (OSError if none)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    last: OSError | None = None
    for candidate in range(port, min(port + search, 65535) + 1):
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, candidate))
        except OSError as exc:
            sock.close()
            last = exc
            if exc.errno != errno.EADDRINUSE:
                break
            continue
        sock.listen(2048)
        sock.set_inheritable(True)
        return sock
    assert last is not None
    raise last


def run(args: argparse.Namespace) -> int:
    import logging.config

    import uvicorn
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from axilla.service.logs import log_config

    if not 0 < args.port < 65536:
        return fail(f"serve: --port {args.port}: must be 1 to 65535")
    if not 0 <= args.port_search <= PORT_SEARCH_MAX:
        return fail(f"serve: --port-search {args.port_search}: must be 0 to {PORT_SEARCH_MAX}")
    if not 1 <= args.workers <= WORKERS_MAX:
        return fail(f"serve: --workers {args.workers}: must be 1 to {WORKERS_MAX}")
    from axilla.service.app import SUPERVISOR_PID_ENV, create_app, warm_up
    from axilla.service.settings import Settings

    try:
        settings = Settings.from_env(database_url=args.database_url,
                                     max_body_bytes=args.max_body_bytes,
                                     body_timeout_s=args.body_timeout)
        shown = make_url(settings.database_url).render_as_string(hide_password=True)
    except (ValueError, ArgumentError) as exc:
        return fail(f"serve: {exc}")
    try:
        sock = bind(args.host, args.port, args.port_search)
    except OSError as exc:
        tried = f"ports {args.port}-{args.port + args.port_search}" if args.port_search \
            else f"port {args.port}"
        busy = "in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
        return fail(f"serve: cannot listen on {args.host} {tried}: {busy}")
    port = sock.getsockname()[1]
    logging_config = log_config(args.log_level)
    logging.config.dictConfig(logging_config)
    try:
        app = create_app(settings)
    except SQLAlchemyError as exc:
        sock.close()
        first = str(exc.args[0]).splitlines()[0] if exc.args else ""
        return fail(f"serve: database {shown}: {type(exc).__name__}: {first}")
    warm_up()
    host = f"[{args.host}]" if ":" in args.host else args.host
    common: dict[str, object] = {"access_log": False, "log_level": args.log_level,
                                 "server_header": False, "log_config": logging_config}
    print(f"axilla: serving on http://{host}:{port}  (database {shown}; "
          f"{args.workers} process{'es' if args.workers > 1 else ''}; Ctrl+C to stop)",
          flush=True)
    if args.workers == 1:
        uvicorn.Server(uvicorn.Config(app, **common)).run(sockets=[sock])  # type: ignore[arg-type]
        return EXIT_OK
    # Several processes: each builds its own app from the same settings, passed by environment,
    # and ends when this process ends (even by SIGKILL).
    from uvicorn.supervisors import Multiprocess

    os.environ.update(settings.environment())
    os.environ[SUPERVISOR_PID_ENV] = str(os.getpid())
    config = uvicorn.Config("axilla.service.app:create_warm_app", factory=True,
                            workers=args.workers, **common)  # type: ignore[arg-type]
    Multiprocess(config, sockets=[sock]).run()
    return EXIT_OK
