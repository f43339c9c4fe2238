"""The import contracts: the core imports no edge, and no import cycles (lazy imports included).

``lint-imports`` checks the contracts of ``[tool.importlinter]`` in pyproject.toml (imports at
module level and inside functions); ``scripts/import-cycles`` adds the imports by name that
import-linter cannot see (``checks.FAMILIES``, the formats' ``"module:function"`` targets,
``jdkit._API``). Both also run in ``scripts/lint``.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_the_import_contracts_are_kept() -> None:
    pytest.importorskip("importlinter", reason="import-linter is in the test extra")
    code = (
        "from importlinter.cli import lint_imports; "
        "raise SystemExit(lint_imports(no_cache=True, no_logo=True))"
    )
    done = _run("-c", code)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_no_import_cycles_counting_lazy_and_by_name_imports() -> None:
    pytest.importorskip("grimp", reason="grimp comes with import-linter, in the test extra")
    done = _run(str(ROOT / "scripts" / "import-cycles"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("0 import cycles"), done.stdout


def test_every_top_level_module_is_core_or_edge() -> None:
    """A new module is placed on one side of the core-imports-no-edge contract."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [
        c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "core-imports-no-edge"
    ]
    placed = {*contract["source_modules"], *contract["forbidden_modules"]}
    package = ROOT / "jdkit"
    found = {
        f"jdkit.{path.stem if path.is_file() else path.name}"
        for path in package.iterdir()
        if (path.suffix == ".py" and path.name != "__init__.py")
        or (path.is_dir() and (path / "__init__.py").exists())
    }
    assert found - placed == set(), (
        "add these to source_modules (core) or forbidden_modules (edges)"
    )
    assert placed - found == set(), "these are listed in the contract but are not modules of jdkit"
