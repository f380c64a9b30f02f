"""The top-level command: version, help without loading the engines, unknown commands."""

from __future__ import annotations

import subprocess
import sys

from axilla import __version__
from axilla.cli import COMMANDS


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "axilla", *args], capture_output=True,
                          text=True, timeout=60, check=False)


def test_version_prints_the_package_version() -> None:
    out = _run("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"axilla {__version__}"


def test_help_lists_every_command_without_importing_the_engines() -> None:
    code = ("import sys; from axilla.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = sorted(m for m in ('numpy', 'pydantic', 'yaml', 'rich', 'fastapi') "
            "if m in sys.modules)\nprint('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True)
    assert "HEAVY []" in out.stdout
    for name in COMMANDS:
        assert name in out.stdout


def test_each_command_builds_its_own_parser() -> None:
    for name in COMMANDS:
        out = _run(name, "--help")
        assert out.returncode == 0, (name, out.stderr)
        assert f"usage: axilla {name}" in out.stdout


def test_unknown_command_is_one_line_and_exit_2() -> None:
    out = _run("nonsense")
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1
    assert "invalid choice: 'nonsense'" in out.stderr
