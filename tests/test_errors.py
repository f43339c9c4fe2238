"""Errors carry their exit code; the CLI maps them to exit codes in one place (issue 17, pt. 3)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import jdkit
from jdkit import errors
from jdkit.cli import cli
from jdkit.errors import JdkitError, Reported

from .conftest import EXAMPLES

PACKAGE = Path(jdkit.__file__).parent
CLASSES = [getattr(errors, name) for name in errors.__all__]


@pytest.fixture(scope="module")
def model() -> jdkit.JobDescription:
    from jdkit import params

    return params.load(EXAMPLES[0])


def test_every_error_class_states_its_exit_code_and_it_is_the_designs():
    for cls in CLASSES:
        assert issubclass(cls, JdkitError), cls
        assert "exit_code" in vars(cls), f"{cls.__name__} inherits its exit code silently"
        assert cls.exit_code in ((130,) if cls is errors.Interrupted else (1, 2)), (
            cls
        )  # the design's codes, and Ctrl-C's


@pytest.mark.parametrize("cls", CLASSES, ids=[c.__name__ for c in CLASSES])
def test_each_error_class_exits_with_its_code_through_the_cli(cls, runner, monkeypatch):
    def boom() -> list[object]:
        raise cls("went wrong", file="x.yaml", field="out", hint="do better")

    monkeypatch.setattr("jdkit.roles.all_roles", boom)
    result = runner.invoke(cli, ["roles"])
    assert result.exit_code == cls.exit_code, result.output
    if issubclass(cls, Reported):  # its reasons were printed by the command: nothing more
        assert result.stderr == ""
    else:
        assert result.stderr == "error: x.yaml: --out: went wrong (fix: do better)\n"


def test_a_bug_is_one_line_and_exit_2_not_3(runner, monkeypatch):
    def boom() -> list[object]:
        raise ZeroDivisionError("oops")

    monkeypatch.setattr("jdkit.roles.all_roles", boom)
    monkeypatch.delenv("JDKIT_DEBUG", raising=False)
    result = runner.invoke(cli, ["roles"])
    assert result.exit_code == 2
    assert (
        result.stderr == "internal error: ZeroDivisionError: oops (set JDKIT_DEBUG=1 for details)\n"
    )


def test_an_os_error_is_bad_input(runner, monkeypatch):
    def boom() -> list[object]:
        raise PermissionError(13, "Permission denied", "/locked")

    monkeypatch.setattr("jdkit.roles.all_roles", boom)
    result = runner.invoke(cli, ["roles"])
    assert result.exit_code == 2 and result.stderr.startswith("error: /locked: Permission denied")


def test_core_errors_name_options_the_cli_names_flags(runner, tmp_path, model):
    from jdkit.errors import UnknownFormatError
    from jdkit.export import export

    with pytest.raises(UnknownFormatError) as info:
        export(model, "rtf")
    assert info.value.field == "format"  # the library's name ...
    result = runner.invoke(cli, ["render", str(EXAMPLES[0]), "--to", "rtf", "--out", str(tmp_path)])
    assert result.exit_code == 2 and result.stderr.startswith(
        "error: --to: unknown format rtf"
    )  # ... the user's
    result = runner.invoke(cli, ["due", str(EXAMPLES[0]), "--format", "text"])
    assert result.exit_code in (0, 1)
    result = runner.invoke(
        cli, ["render", str(EXAMPLES[0]), "--kind", "memo", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2 and result.stderr.startswith("error: --kind: unknown kind 'memo'")
    result = runner.invoke(cli, ["new", "no-such-role", "--practice", "P", "--state", "CO"])
    assert result.exit_code == 2 and result.stderr.startswith(
        "error: ROLE: unknown role 'no-such-role'"
    )


def test_unknown_format_is_one_class_everywhere(model):
    from jdkit.due import format_rows
    from jdkit.errors import UnknownFormatError
    from jdkit.export import export, parse_formats
    from jdkit.render import render

    for call in (
        lambda: render(model, "rtf"),
        lambda: export(model, "rtf"),
        lambda: parse_formats("rtf"),
        lambda: format_rows([], "rtf", today=None),
    ):
        with pytest.raises(UnknownFormatError):
            call()


def test_outcomes_exit_1_and_2(runner, tmp_path):
    good = EXAMPLES[0]
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        good.read_text().replace("role:", "summary: A different summary of the role.\nrole:", 1)
    )
    assert runner.invoke(cli, ["diff", str(good), str(good)]).exit_code == 0
    assert runner.invoke(cli, ["diff", str(good), str(changed)]).exit_code == 1  # Failed
    result = runner.invoke(cli, ["explain", str(good), str(tmp_path / "missing.yaml")])
    assert (
        result.exit_code == 2 and result.stderr.count("error:") == 1
    )  # BadInput: the line is the file's own


def _calls(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, what) for each way of ending the process: sys.exit, exit, quit, raise SystemExit."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == "sys"
                else func.id
                if isinstance(func, ast.Name)
                else ""
            )
            if name in ("exit", "quit"):
                found.append((node.lineno, name))
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id == "SystemExit":
                found.append((node.lineno, "SystemExit"))
    return found


def test_no_sys_exit_outside_the_one_handler():
    found = {
        path.relative_to(PACKAGE).as_posix(): calls
        for path in sorted(PACKAGE.rglob("*.py"))
        if (calls := _calls(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert list(found) == ["cli.py"] and len(found["cli.py"]) == 1, found
    from jdkit.cli import fail_cleanly

    source = inspect.getsource(fail_cleanly)
    assert "sys.exit(code)" in source  # the one call is the handler's


BUILTIN = {
    "KeyError",
    "ValueError",
    "RuntimeError",
    "TypeError",
    "LookupError",
    "IndexError",
    "AttributeError",
    "OSError",
    "IOError",
    "FileNotFoundError",
    "Exception",
    "NotImplementedError",
    "AssertionError",
}
ALLOWED = {
    "models.py",  # pydantic validators: their ValueError becomes a ValidationError, a ParamsError
}


PROTOCOLS = {  # what Python's protocols require
    ("__init__.py", "AttributeError"),  # a module's __getattr__
    ("batch/__init__.py", "AttributeError"),  # the batch package's lazy names
    ("form/__init__.py", "AttributeError"),  # the form package's lazy names
    ("formats.py", "KeyError"),  # the registry's Mapping __getitem__
}


def test_every_error_raised_from_jdkit_is_a_jdkit_error():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name in ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Raise)
                and isinstance(node.exc, ast.Call)
                and isinstance(node.exc.func, ast.Name)
            ):
                if node.exc.func.id in BUILTIN and (name, node.exc.func.id) not in PROTOCOLS:
                    found.append(f"{name}:{node.lineno}: {node.exc.func.id}")
    assert not found, found


def test_an_unknown_role_is_a_jdkit_error_and_still_a_key_error():
    from jdkit import roles
    from jdkit.errors import UnknownRoleError

    with pytest.raises(UnknownRoleError) as info:
        roles.get("no-such-role")
    assert isinstance(info.value, KeyError) and info.value.field == "role"
