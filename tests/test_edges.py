"""I/O at the edges only (issue 17, point 4): render() writes nothing, the checks read no files."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from jdkit import params
from jdkit.checks.report import check_models

from .conftest import EXAMPLES

ROOT = Path(__file__).resolve().parents[1]
JDKIT = str(Path(sys.executable).with_name("jdkit"))


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / "cache")}


def test_render_writes_nothing_not_even_a_template_cache(tmp_path: Path) -> None:
    code = (
        "from jdkit import params; from jdkit.render import render; "
        f"m = params.load({str(EXAMPLES[0])!r}); render(m, 'html'); render(m, 'md')"
    )
    home = tmp_path / "home"
    home.mkdir()
    proc = subprocess.run(
        [sys.executable, "-c", code], env=_env(home), capture_output=True, text=True, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert list(home.rglob("*")) == []


def test_the_cli_keeps_compiled_templates_in_the_users_cache_dir(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    args = [JDKIT, "render", str(EXAMPLES[0]), "--to", "md", "--out", str(tmp_path / "out")]
    proc = subprocess.run(args, env=_env(home), capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert list((home / "cache" / "jdkit" / "jinja").iterdir())  # platformdirs' user cache dir


def test_checks_take_what_the_caller_has_read() -> None:
    model = params.load(EXAMPLES[0])
    report = check_models([("not-a-file.yaml", model)])
    assert [r.file for r in report.results] == ["not-a-file.yaml"] and not report.errors
    tree = ast.parse((ROOT / "jdkit" / "checks" / "report.py").read_text(encoding="utf-8"))
    imported = {
        ("." * n.level) + (n.module or "") for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
    }
    assert not {m for m in imported if m.endswith(("sources", "params"))}  # no loader in the checks
