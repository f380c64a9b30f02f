"""The `axilla` command line: one sub-command a module in this package.

Each module defines ``register(subparsers)`` which adds its parser and sets ``handler`` (a
function taking the parsed arguments and returning the exit code). Exit codes: 0 success,
1 some rows of a batch failed validation (see the error file), 2 unusable arguments or input.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from typing import NoReturn

from axilla import __version__
from axilla.errors import AxillaError

EXIT_OK, EXIT_ROWS_FAILED, EXIT_USAGE = 0, 1, 2


def one_line_errors(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Make a parser report unusable arguments as one line on stderr with exit code 2
    (argparse's own report prints the usage block first)."""

    def error(message: str) -> NoReturn:
        print(f"{parser.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)

    parser.error = error  # type: ignore[method-assign]
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every sub-command module of this package registered."""
    parser = argparse.ArgumentParser(
        prog="axilla",
        description="Breast cancer decision support centred on the lymph nodes. "
        "Decision support, not a medical device.",
    )
    parser.add_argument("--axilla-version", action="version", version=f"axilla {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register(sub)
    for command in sub.choices.values():
        one_line_errors(command)
    return one_line_errors(parser)


def fail(message: str) -> int:
    """Print a one-line error to stderr and return the usage exit code."""
    print(f"axilla: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except AxillaError as exc:
        return fail(str(exc))
    except OSError as exc:
        return fail(f"{getattr(exc, 'filename', '') or ''}: {exc.strerror or exc}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
