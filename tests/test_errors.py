"""Errors carry their exit code; the CLI maps them to exit codes in one place (issue 17, pt. 3)."""

from __future__ import annotations

import ast
import builtins
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


# Python's own exceptions, by the names a module can raise them under without importing them
BUILTIN = {
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
}
# What may raise something other than a JdkitError, each for a reason of its own (read the code
# before adding to it): a file, or (file, the name raised as written).
ALLOWED = {
    "models.py",  # pydantic validators: their ValueError becomes a ValidationError, a ParamsError
    # Python's protocols
    ("__init__.py", "AttributeError"),  # a module's __getattr__
    ("batch/__init__.py", "AttributeError"),  # the batch package's lazy names
    ("form/__init__.py", "AttributeError"),  # the form package's lazy names
    ("formats.py", "KeyError"),  # the registry's Mapping __getitem__ (jdkit calls get_exporter)
    # APIs jdkit implements, whose callers expect their exceptions
    ("batch/fork.py", "subprocess.TimeoutExpired"),  # ForkedProcess.wait: Popen's, for jupyter
    ("form/fields.py", "NotImplementedError"),  # Editor.get/set: abstract, every editor has its own
    # control flow, never out of jdkit
    ("lifeline.py", "StopSignal"),  # a KeyboardInterrupt: Ctrl-C, SIGTERM, SIGHUP stop the batch
    ("export/pdf.py", "_Gone"),  # the browser went away: caught in pdf.py, then an ExportError
}


def _imports(tree: ast.Module, package: str) -> dict[str, str]:
    """What each name a module imports stands for (``subprocess``, ``jdkit.errors.ParamsError``);
    ``package``: the module's package, where its relative imports start."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:  # import concurrent.futures as cf
                    names[alias.asname] = alias.name
                else:  # import os.path: binds os
                    names[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, *([base] if base else [])])
            for alias in node.names:
                names[alias.asname or alias.name] = f"{base}.{alias.name}"
    return names


def _raised(path: Path) -> list[tuple[int, str, object]]:
    """Each ``raise`` of ``path`` that names what it raises: its line, the name as written (``X``,
    ``module.X``) and what that name is, looked up where it was imported or defined."""
    import importlib.util
    import typing

    name = path.relative_to(PACKAGE.parent).with_suffix("").as_posix().replace("/", ".")
    name = name.removesuffix(".__init__")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imports = _imports(tree, name if path.name == "__init__.py" else name.rpartition(".")[0])
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Raise) or node.exc is None:
            continue  # a bare `raise` raises what was caught
        target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        if isinstance(target, ast.Name):
            written = target.id
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            written = f"{target.value.id}.{target.attr}"
        else:
            continue  # `raise self.error(...)` and the like
        head, _, rest = written.partition(".")
        if head in imports:
            where = imports[head]
        elif head in BUILTIN and not rest:
            found.append((node.lineno, written, getattr(builtins, head)))
            continue
        else:
            where = f"{name}.{head}"  # defined in the module itself (or a local: skipped below)
        if not where.startswith("jdkit"):  # another package's: never a JdkitError
            found.append((node.lineno, written, where + (f".{rest}" if rest else "")))
            continue
        module, _, attribute = where.rpartition(".")
        namespace, parent = vars(importlib.import_module(name)), importlib.import_module(module)
        if attribute in vars(parent):
            value = vars(parent)[attribute]
        elif hasattr(parent, "__path__") and importlib.util.find_spec(where) is not None:
            value = importlib.import_module(where)  # `from . import errors`: a module
        else:  # a function inside a function, making the error: what it returns
            made = [
                f.returns
                for f in ast.walk(tree)
                if isinstance(f, ast.FunctionDef) and f.name == head and f.returns is not None
            ]
            value = eval(ast.unparse(made[0]), namespace) if made else None  # its annotation
        for part in rest.split(".") if rest else ():
            value = getattr(value, part, None)
        if callable(value) and not isinstance(value, type):  # a function making the error
            value = typing.get_type_hints(value).get("return")
        found.append((node.lineno, written, value))
    return found


def test_every_error_raised_from_jdkit_is_a_jdkit_error():
    found, allowed = [], set()
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name in ALLOWED or "raise" not in path.read_text(encoding="utf-8"):
            continue
        for line, written, value in _raised(path):
            if value is None and written not in BUILTIN:
                continue  # a local name (`raise error`): raised where it was made
            if isinstance(value, type) and issubclass(value, JdkitError):
                continue
            if (name, written) in ALLOWED:
                allowed.add((name, written))
            else:
                found.append(f"{name}:{line}: {written}")
    assert not found, found
    # the list holds only what is still raised
    assert allowed == {entry for entry in ALLOWED if isinstance(entry, tuple)}


def test_the_cli_says_as_flags_only_words_the_core_says():
    """``jdkit.cli.SAID`` rewrites the core's plain words for an option: each must still be there
    (else the command line silently stops naming the flag)."""
    from jdkit.cli import SAID

    core = "\n".join(
        path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "cli.py"
    )
    core = " ".join(core.split())
    assert [words for words in SAID if words not in core] == []


def test_an_unknown_role_is_a_jdkit_error_and_still_a_key_error():
    from jdkit import roles
    from jdkit.errors import UnknownRoleError

    with pytest.raises(UnknownRoleError) as info:
        roles.get("no-such-role")
    assert isinstance(info.value, KeyError) and info.value.field == "role"
