"""The `axilla` command line: one sub-command a module in this package, imported lazily.

Each module defines ``register(subparsers)`` which adds its parser and sets ``handler`` (a
function taking the parsed arguments and returning the exit code). Only the module of the
sub-command being run is imported, so ``axilla --help`` and ``axilla --version`` answer without
loading NumPy, pydantic or the engines. Exit codes: 0 success, 1 some rows of a batch failed
validation (see the error file), 2 unusable arguments or input.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from axilla import __version__

EXIT_OK, EXIT_ROWS_FAILED, EXIT_USAGE = 0, 1, 2

#: Sub-command -> one line of help. The module ``axilla.cli.<name>`` registers its own parser.
COMMANDS: dict[str, str] = {
    "assess": "staging, PREDICT, indices, guidance and explanations for one case",
    "audit": "read the access log of stored cases (who created, read or listed which case)",
    "cohort": "registry-scale runs, column mappings, validation reports, synthetic cohorts",
    "fhir": "read a case from a FHIR R4 / mCODE bundle (import report)",
    "guidance": "which NICE guidance rules fire for a set of facts (JSON), and why",
    "indices": "prognostic indices: NPI, CTS5, VNPI (one case, or a CSV batch)",
    "pathology": "tumour annotations or heatmaps -> node category and patient pN",
    "predict": "PREDICT Breast survival and treatment benefit",
    "serve": "start the web app and REST API",
    "stage": "AJCC 8th edition breast staging (one case, or a CSV batch)",
    "token": "create, list or revoke API tokens for stored cases",
}


def one_line_errors(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Make a parser report unusable arguments as one line on stderr with exit code 2
    (argparse's own report prints the usage block first)."""

    def error(message: str) -> NoReturn:
        print(f"{parser.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)

    parser.error = error  # type: ignore[method-assign]
    return parser


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The top-level parser: every sub-command listed with its help line, and only ``command``
    built in full (its module imported and registered)."""
    parser = argparse.ArgumentParser(
        prog="axilla",
        description="Breast cancer decision support centred on the lymph nodes. "
        "Decision support, not a medical device.",
    )
    for flag in ("--version", "--axilla-version"):
        parser.add_argument(flag, action="version", version=f"axilla {__version__}",
                            help="print the version and exit" if flag == "--version"
                            else argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, help_line in COMMANDS.items():
        if name == command:
            _load(name).register(sub)
        else:
            sub.add_parser(name, help=help_line, add_help=False)
    for choice in sub.choices.values():
        one_line_errors(choice)
    return one_line_errors(parser)


def _load(name: str) -> ModuleType:
    """Import a sub-command's module; a missing optional dependency is a one-line error."""
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] == "axilla":
            raise
        print(f"axilla {name}: needs the Python package {exc.name!r}; install the extra with "
              "pip install 'axilla[service]' (or 'axilla[dev]' for everything)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None


def _command_in(argv: Sequence[str]) -> str | None:
    """The sub-command named in ``argv``: the first word that is not an option."""
    for word in argv:
        if not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def fail(message: str) -> int:
    """Print a one-line error to stderr and return the usage exit code."""
    print(f"axilla: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(_command_in(words)).parse_args(words)
    from axilla.errors import AxillaError

    try:
        return int(args.handler(args))
    except AxillaError as exc:
        return fail(str(exc))
    except OSError as exc:
        return fail(f"{getattr(exc, 'filename', '') or ''}: {exc.strerror or exc}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
