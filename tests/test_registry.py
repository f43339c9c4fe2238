"""One format registry (issue 17, point 2): a format from another distribution, by entry point."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from jdkit import params
from jdkit.errors import UnknownFormatError
from jdkit.formats import ENTRY_POINT_GROUP, FORMATS, FormatRegistry, TextFormat

from .conftest import EXAMPLES

ROOT = Path(__file__).resolve().parents[1]
JDKIT = str(Path(sys.executable).with_name("jdkit"))

PLUGIN = """
from jdkit.formats import TextFormat


def render_txt(model, *, kind="description", **options):
    return f"{model.title} at {model.practice.name} ({kind})\\n"


TXT = TextFormat("txt", ".txt", "text/plain", render_txt)
"""


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for sys.path holding a distribution, jdkit-txt, whose entry point adds ``txt``."""
    root = tmp_path_factory.mktemp("site")
    (root / "jdkit_txt.py").write_text(PLUGIN)
    info = root / "jdkit_txt-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: jdkit-txt\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\ntxt = jdkit_txt:TXT\nbroken = jdkit_gone:X\n"
    )
    return root


def _run(args: list[str], plugin_path: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(plugin_path), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


def test_a_format_from_an_entry_point_is_rendered_by_jdkit_render(
    plugin_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    proc = _run(
        [JDKIT, "render", str(EXAMPLES[0]), "--to", "txt,md", "--out", str(out)],
        plugin_path,
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    slug = params.load(EXAMPLES[0]).slug
    assert sorted(p.name for p in out.iterdir()) == [f"{slug}.md", f"{slug}.txt"]
    assert (out / f"{slug}.txt").read_text().endswith("(description)\n")
    assert "txt" in proc.stdout  # "rendered 1 practice(s) to txt, md: ..."


def test_an_unknown_format_lists_the_entry_points_formats(
    plugin_path: Path, tmp_path: Path
) -> None:
    proc = _run(
        [JDKIT, "render", str(EXAMPLES[0]), "--to", "rtf", "--out", str(tmp_path)],
        plugin_path,
        tmp_path,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: --to: unknown format rtf") and "txt" in proc.stderr


def test_a_broken_plugin_fails_its_own_format_in_one_line(
    plugin_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    proc = _run(
        [JDKIT, "render", str(EXAMPLES[0]), "--to", "broken", "--out", str(out)],
        plugin_path,
        tmp_path,
    )
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert "jdkit_gone:X" in proc.stderr and "Traceback" not in proc.stderr
    proc = _run(
        [JDKIT, "render", str(EXAMPLES[0]), "--to", "html", "--out", str(out)],
        plugin_path,
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr  # the other formats never load it


def test_the_library_sees_the_plugin_too(plugin_path: Path, tmp_path: Path) -> None:
    code = (
        "from jdkit import params; from jdkit.render import render, formats; "
        f"m = params.load({str(EXAMPLES[0])!r}); print(formats()); "
        "print(render(m, 'txt', kind='posting'), end='')"
    )
    proc = _run([sys.executable, "-c", code], plugin_path, tmp_path)
    assert proc.returncode == 0, proc.stderr
    listed, text = proc.stdout.splitlines()
    assert "'txt'" in listed and text.endswith("(posting)")


def test_jdkits_own_entry_points_name_the_built_in_exporters() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["entry-points"][
        ENTRY_POINT_GROUP
    ]
    assert list(declared) == ["html", "md", "jsonld", "docx", "pdf"]
    for name, value in declared.items():
        module, _, attr = value.partition(":")
        exporter = getattr(importlib.import_module(module), attr)
        assert exporter is FORMATS.get_exporter(name) and exporter.name == name


def test_register_and_lookup() -> None:
    registry = FormatRegistry(group="jdkit.no-such-group")  # no distribution lists any: code only
    fmt = registry.register(TextFormat("txt", ".txt", "text/plain", lambda model, **options: "hi"))
    assert registry.get_exporter("txt") is fmt and list(registry) == ["txt"] and "txt" in registry
    assert registry.parse("TXT, txt") == ["txt"]
    with pytest.raises(UnknownFormatError, match="unknown format 'rtf'"):
        registry.get_exporter("rtf")
    with pytest.raises(UnknownFormatError):
        registry.register(object())  # type: ignore[arg-type]


def test_every_format_has_an_extension_and_a_media_type() -> None:
    for name in ("html", "md", "jsonld", "docx", "pdf"):
        exporter = FORMATS.get_exporter(name)
        assert exporter.extension == f".{name}" and "/" in exporter.media_type


def test_a_registered_format_reaches_export_and_render() -> None:
    from jdkit.export import EXTENSIONS, export
    from jdkit.render import render

    model = params.load(EXAMPLES[0])
    shout = FORMATS.register(
        TextFormat("shout", ".shout", "text/plain", lambda m, **options: m.title.upper())
    )
    try:
        assert render(model, "shout") == model.title.upper()
        body, resources = export(model, "shout")
        assert (
            body == model.title.upper().encode()
            and resources["extension"] == EXTENSIONS["shout"] == ".shout"
        )
    finally:
        removed = FORMATS.unregister("shout")  # leave the process's registry as it was
    assert removed is shout and "shout" not in FORMATS and "shout" not in FORMATS.names()
    assert FORMATS.unregister("shout") is None  # a name not registered: nothing to remove


RULES_PLUGIN = """
from jdkit.checks.base import finding


def always(model, ctx):
    yield finding("extra.always", "info", "document", f"seen {model.practice.name}", "nothing to do")


RULES = (always,)
"""


def _rules_site(root: Path, entry: str) -> Path:
    """A folder for sys.path holding a distribution whose ``jdkit.checks`` entry point is ``entry``."""
    root.mkdir()
    (root / "jdkit_extra_rules.py").write_text(RULES_PLUGIN)
    info = root / "jdkit_extra-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: jdkit-extra\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[jdkit.checks]\n{entry}\n")
    return root


def test_a_rule_family_from_an_entry_point_runs_in_jdkit_check(tmp_path: Path) -> None:
    import json

    site = _rules_site(tmp_path / "site", "extra = jdkit_extra_rules")
    proc = _run([JDKIT, "check", str(EXAMPLES[0]), "--format", "json"], site, tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    found = [f for item in json.loads(proc.stdout)["documents"] for f in item["findings"]]
    assert any(f["rule"] == "extra.always" and "seen " in f["message"] for f in found)
    assert any(
        f["rule"].startswith("pay.") or f["rule"].startswith("completeness.") for f in found
    )  # ours too


def test_a_broken_rule_family_is_one_line_naming_it(tmp_path: Path) -> None:
    site = _rules_site(tmp_path / "site", "gone = jdkit_gone_rules")
    proc = _run([JDKIT, "check", str(EXAMPLES[0])], site, tmp_path)
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert "'gone'" in line and "jdkit_gone_rules" in line and "ModuleNotFoundError" in line


def _plugin_keys(formats: list[str], site: Path, cwd: Path) -> str:
    """``plan.plugin_keys(formats)`` as printed by a Python that has ``site`` on its path."""
    code = f"from jdkit.batch.plan import plugin_keys; print(plugin_keys({formats!r}))"
    proc = _run([sys.executable, "-c", code], site, cwd)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_a_changed_plugin_changes_the_batch_stamp(plugin_path: Path, tmp_path: Path) -> None:
    """The batch's stamp covers a plug-in format's code, as it covers jdkit's own: an edited
    plug-in redoes the practices instead of keeping their old files."""
    import shutil

    from jdkit.batch.plan import plugin_keys

    assert plugin_keys(["html", "pdf", "docx", "md", "jsonld"]) == []  # jdkit's own: hashed whole
    site = tmp_path / "site"
    shutil.copytree(plugin_path, site)

    def keys() -> str:
        return _plugin_keys(["txt", "md"], site, tmp_path)

    before = keys()
    assert before.startswith("['txt=jdkit_txt:") and before.count("=") == 1
    module = site / "jdkit_txt.py"
    module.write_text(module.read_text().replace("({kind})", "[{kind}]"))
    assert keys() != before
    module.write_text(PLUGIN)
    assert keys() == before


def test_a_plugin_package_is_hashed_whole_templates_and_data_too(tmp_path: Path) -> None:
    site = tmp_path / "site"
    package = site / "jdkit_pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        PLUGIN.replace("TXT = ", "PKG = ").replace('"txt"', '"pkg"')
    )
    (package / "tmpl.j2").write_text("A\n")
    info = site / "jdkit_pkg-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: jdkit-pkg\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\npkg = jdkit_pkg:PKG\n")

    def keys() -> str:
        return _plugin_keys(["pkg"], site, tmp_path)

    before = keys()
    assert before.startswith("['pkg=jdkit_pkg:")
    (package / "tmpl.j2").write_text("B\n")  # a template, not code
    changed = keys()
    assert changed != before
    (package / "sub").mkdir()
    (package / "tmpl.j2").rename(package / "sub" / "tmpl.j2")  # the same bytes, moved
    assert keys() not in (before, changed)
