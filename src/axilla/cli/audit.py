"""`axilla audit`: read the access log of stored cases (who created, read or listed which case,
when). The log holds token ids, names, teams, actions, case ids and statuses: no patient data.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from axilla.cli import EXIT_OK, fail


def _since(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date or time (use e.g. 2026-11-30 or 2026-11-30T08:00)"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "audit",
        help="read the access log of stored cases",
        description="Who created, read or listed stored cases, and when (oldest first). "
        "Database: --database-url, else AXILLA_DATABASE_URL, else ./var/axilla.db.",
    )
    p.add_argument("--database-url", default=None, help="SQLAlchemy URL of the case store")
    p.add_argument("--since", type=_since, default=None, metavar="WHEN",
                   help="only lines from this UTC date or time on (ISO 8601)")
    p.add_argument("--case", default=None, metavar="ID", help="only lines about this case id")
    p.add_argument("--token-name", default=None, metavar="NAME",
                   help="only lines of tokens with this name")
    p.add_argument("--limit", type=int, default=1000, help="most lines shown (default 1000)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from axilla.service.settings import Settings
    from axilla.service.store import Store

    if not 1 <= args.limit <= 1_000_000:
        return fail(f"audit: --limit {args.limit}: must be 1 to 1000000")
    try:
        store = Store(Settings.from_env(database_url=args.database_url).database_url)
    except (SQLAlchemyError, ValueError) as exc:
        return fail(f"audit: cannot open the database ({type(exc).__name__})")
    try:
        entries = store.access_entries(since=args.since, case_id=args.case,
                                       token_name=args.token_name, limit=args.limit)
    finally:
        store.close()
    print("time (UTC)\ttoken id\ttoken name\tteam\taction\tcase id\tstatus")
    for e in entries:
        print(f"{e.at:%Y-%m-%dT%H:%M:%S}Z\t{e.token_id}\t{e.token_name}\t{e.team}\t"
              f"{e.action}\t{e.case_id or '-'}\t{e.status}")
    return EXIT_OK
