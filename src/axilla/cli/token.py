"""`axilla token`: bearer tokens for the stored-case API (create, list, revoke).

Only a SHA-256 hash of each token is stored; the token is printed once, at creation. Each
token belongs to a team (it sees only that team's cases) and carries scopes: read (list and
read stored cases), write (store cases).
"""

from __future__ import annotations

import argparse

from axilla.cli import EXIT_OK, fail, one_line_errors
from axilla.service.vocabulary import DEFAULT_TEAM, SCOPES


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "token",
        help="create, list or revoke API tokens for stored cases",
        description="Bearer tokens for /v1/cases. The token is printed once; only its hash is "
        "kept. Database: --database-url, else AXILLA_DATABASE_URL, else ./var/axilla.db.",
    )
    p.add_argument("--database-url", default=None, help="SQLAlchemy URL of the case store")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="create a token and print it")
    create.add_argument("name", help="who uses the token (recorded as the author of cases)")
    create.add_argument("--team", default=DEFAULT_TEAM,
                        help=f"the team whose cases the token sees (default {DEFAULT_TEAM!r})")
    create.add_argument("--scope", action="append", choices=SCOPES, dest="scopes",
                        help="read (list and read cases) or write (store cases); repeat for "
                        "both (default: both)")
    actions.add_parser("list", help="list token ids, names, teams, scopes and dates (never "
                       "the tokens)")
    revoke = actions.add_parser("revoke", help="revoke every token of NAME")
    revoke.add_argument("name")
    for action in actions.choices.values():
        one_line_errors(action)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from axilla.service.settings import Settings
    from axilla.service.store import Store

    try:
        store = Store(Settings.from_env(database_url=args.database_url).database_url)
    except (SQLAlchemyError, ValueError) as exc:
        return fail(f"token: cannot open the database ({type(exc).__name__})")
    try:
        if args.action == "create":
            print(store.create_token(args.name, team=args.team,
                                     scopes=tuple(args.scopes or SCOPES)))
        elif args.action == "list":
            for t in store.list_tokens():
                state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "active"
                print(f"{t.id}\t{t.name}\tteam {t.team}\t{'+'.join(t.scopes)}\t"
                      f"created {t.created_at:%Y-%m-%d %H:%M} UTC\t{state}")
        else:
            n = store.revoke_tokens(args.name)
            if not n:
                return fail(f"token: no active token named {args.name!r}")
            print(f"revoked {n} token(s) of {args.name}")
    finally:
        store.close()
    return EXIT_OK
