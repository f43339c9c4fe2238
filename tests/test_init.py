"""The package's lazy public API: ``import jdkit`` stays light, and type checkers see real types."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import jdkit

INIT = Path(jdkit.__file__)


def _type_checking_imports() -> dict[str, str]:
    """{name: module} of the imports under ``if TYPE_CHECKING:`` in jdkit/__init__.py."""
    found: dict[str, str] = {}
    for node in ast.parse(INIT.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.If)
            and isinstance(node.test, ast.Name)
            and node.test.id == "TYPE_CHECKING"
        ):
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom) and imp.level == 1, ast.dump(imp)
                for alias in imp.names:
                    renamed = alias.asname not in (None, alias.name)
                    found[alias.asname or alias.name] = f"jdkit.{imp.module}" + (
                        f":{alias.name}" if renamed else ""
                    )
    return found


def test_every_lazy_name_has_its_type_checking_import_from_the_same_module() -> None:
    assert _type_checking_imports() == jdkit._API


def test_every_lazy_name_resolves_to_the_object_of_its_module() -> None:
    for name, where in jdkit._API.items():
        module, _, attribute = where.partition(":")
        imported = importlib.import_module(module)
        if module == f"jdkit.{name}":  # jdkit.render: the module itself, callable as its function
            assert getattr(jdkit, name) is imported and callable(imported)
        else:
            assert getattr(jdkit, name) is getattr(imported, attribute or name)
    assert set(dir(jdkit)) == {"__version__", *jdkit._API}


def test_import_jdkit_imports_none_of_the_api_modules() -> None:
    code = (
        "import sys, jdkit; print(sorted(m for m in sys.modules "
        "if (m.startswith('jdkit.') and m != 'jdkit._version')"  # the version: one constant
        " or m in ('pydantic', 'papermill', 'nbconvert', 'docx')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
