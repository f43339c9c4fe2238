"""The command line: exit codes, one-line errors, outputs confined to --out, the bad-input corpus."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import pytest
import yaml

from jdkit.cli import cli

from .conftest import DATA, EXAMPLES, PARAMS

BAD = DATA / "bad"
EXPECTED = list(csv.DictReader((BAD / "expected.csv").open()))


def test_roles_lists_the_library(runner):
    result = runner.invoke(cli, ["roles"])
    assert result.exit_code == 0
    assert "medical-office-manager" in result.output and "11-9111.00" in result.output


def test_new_prints_a_file_that_renders(runner, tmp_path):
    result = runner.invoke(
        cli, ["new", "medical-office-manager", "--practice", "Birch Clinic", "--state", "WA"]
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "birch.yaml"
    path.write_text(result.output)
    assert yaml.safe_load(result.output)["practice"]["name"] == "Birch Clinic"
    rendered = runner.invoke(
        cli, ["render", str(path), "--to", "html", "--out", str(tmp_path / "out")]
    )
    assert rendered.exit_code == 0, rendered.output
    assert (
        "Birch Clinic"
        in (tmp_path / "out" / "birch-clinic-medical-office-manager.html").read_text()
    )


def test_new_with_bad_state_is_one_line_exit_2(runner):
    result = runner.invoke(
        cli, ["new", "medical-office-manager", "--practice", "A", "--state", "QQ"]
    )
    assert result.exit_code == 2
    assert (
        result.stderr.count("\n") == 1
        and "--state" in result.stderr
        and "unknown US state" in result.stderr
    )


def test_render_every_example_to_html_and_md(runner, tmp_path):
    result = runner.invoke(cli, ["render", str(PARAMS), "--to", "html,md", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 2 * len(EXAMPLES)
    assert all(n.endswith((".html", ".md")) for n in names)
    html = (tmp_path / "cedar-family-medicine-medical-office-manager.html").read_text()
    assert "Cedar Family Medicine" in html and "Responsibilities" in html


def test_unknown_format_is_usage_error(runner, tmp_path):
    result = runner.invoke(cli, ["render", str(EXAMPLES[0]), "--to", "rtf", "--out", str(tmp_path)])
    assert (
        result.exit_code == 2 and "--to" in result.stderr and "unknown format rtf" in result.stderr
    )


def test_output_names_are_slugs_confined_to_out(runner, tmp_path):
    src = tmp_path / "evil.yaml"
    src.write_text(
        yaml.safe_dump(
            {"role": "medical-office-manager", "practice": {"name": "../../etc/x", "state": "CO"}}
        )
    )
    out = tmp_path / "deep" / "out"
    result = runner.invoke(cli, ["render", str(src), "--to", "html,md", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "etc-x-medical-office-manager.html",
        "etc-x-medical-office-manager.md",
    ]
    assert not (tmp_path / "etc").exists() and not (tmp_path / "deep" / "etc").exists()


def test_two_files_with_one_practice_name_do_not_overwrite(runner, tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    for path in (a, b):
        path.write_text("role: medical-office-manager\npractice: {name: Same Clinic, state: CO}\n")
    result = runner.invoke(
        cli, ["render", str(a), str(b), "--to", "md", "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert f"{b}: practice.name: gives the same output name" in result.stderr


def test_schema_is_json(runner):
    result = runner.invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "jdkit parameter file"


def test_templates_option_overrides(runner, tmp_path):
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "document.md.j2").write_text("CUSTOM {{ jd.practice.name }}\n")
    result = runner.invoke(
        cli,
        [
            "render",
            str(EXAMPLES[0]),
            "--to",
            "md",
            "--out",
            str(tmp_path / "o"),
            "--templates",
            str(tmp_path / "tpl"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert next((tmp_path / "o").iterdir()).read_text().startswith("CUSTOM ")


def test_missing_templates_folder_is_exit_2(runner, tmp_path):
    result = runner.invoke(
        cli,
        [
            "render",
            str(EXAMPLES[0]),
            "--out",
            str(tmp_path / "o"),
            "--templates",
            str(tmp_path / "nope"),
        ],
    )
    assert result.exit_code == 2 and "--templates" in result.stderr
    assert not (tmp_path / "o").exists()


def test_bad_corpus_has_at_least_20_files():
    assert len(EXPECTED) >= 20
    assert {row["file"] for row in EXPECTED} == {
        p.name for p in BAD.iterdir() if p.name != "expected.csv"
    }


@pytest.mark.parametrize("row", EXPECTED, ids=[row["file"] for row in EXPECTED])
def test_bad_input_is_one_line_exit_2_nothing_written(runner, tmp_path, row):
    path = BAD / row["file"]
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(path), "--to", "html,md", "--out", str(out)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {path}")
    assert f": {row['field']}: " in lines[0]
    assert row["says"] in lines[0]
    assert not out.exists() or not any(out.iterdir())


def test_a_bad_file_does_not_stop_the_good_ones(runner, tmp_path):
    result = runner.invoke(
        cli,
        [
            "render",
            str(BAD / "min-above-max.yaml"),
            str(EXAMPLES[0]),
            "--to",
            "md",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 2
    assert len(list(tmp_path.iterdir())) == 1


def test_a_50_mb_file_is_refused_quickly(runner, tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(b"role: medical-office-manager\npractice: {name: A, state: CO}\nsummary: ")
        handle.write(b"x" * (50 * 1024 * 1024))
    result = runner.invoke(cli, ["render", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert f"{path}: (file): is 52.4 MB, over the 1 MB limit" in result.stderr
    assert not (tmp_path / "out").exists()


def test_console_script_runs_without_traceback(tmp_path):
    exe = os.path.join(os.path.dirname(sys.executable), "jdkit")
    proc = subprocess.run(
        [exe, "render", str(BAD / "unknown-role.yaml"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1


def test_missing_argument_is_usage_exit_2(runner):
    assert runner.invoke(cli, ["render"]).exit_code == 2


def test_written_files_get_the_usual_mode(tmp_path):
    from jdkit.export import write

    old = os.umask(0o022)
    try:
        path = write(tmp_path, "A Clinic", ".md", b"x")
    finally:
        os.umask(old)
    assert path.name == "a-clinic.md" and path.read_bytes() == b"x"
    assert (path.stat().st_mode & 0o777) in (0o644, 0o666 & ~old)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


# Issue 18: OS errors and hostile text are one clean line, exit 2, never "internal error".


def test_out_under_a_regular_file_is_one_line_exit_2(runner, tmp_path):
    (tmp_path / "file").write_text("x")
    out = tmp_path / "file" / "out"
    result = runner.invoke(cli, ["render", str(EXAMPLES[0]), "--to", "md", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"error: {out}: --out: cannot be written: Not a directory (fix: choose an --out folder "
        "you can write to, whose parents are folders)\n"
    )


def test_an_output_name_taken_by_a_folder_is_one_line_and_leaves_no_temp_file(runner, tmp_path):
    from jdkit.params import load

    slug = load(EXAMPLES[0]).slug
    (tmp_path / f"{slug}.md").mkdir()
    result = runner.invoke(cli, ["render", str(EXAMPLES[0]), "--to", "md", "--out", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(
        f"error: {tmp_path / (slug + '.md')}: --out: cannot be written: Is a directory"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{slug}.md"]


def test_an_unwritable_out_is_one_line_exit_2(runner, tmp_path):
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    locked = False
    try:
        if os.geteuid() == 0:  # root ignores modes: an immutable folder refuses even root
            locked = (
                subprocess.run(
                    ["chattr", "+i", str(out)], capture_output=True, check=False
                ).returncode
                == 0
            )
            if not locked:
                pytest.skip("running as root without chattr")
        result = runner.invoke(cli, ["render", str(EXAMPLES[0]), "--to", "md", "--out", str(out)])
    finally:
        if locked:
            subprocess.run(["chattr", "-i", str(out)], check=True)
        out.chmod(0o755)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {out}: --out: cannot be written: ")
    assert result.stderr.count("\n") == 1 and list(out.iterdir()) == []


def test_any_other_os_error_is_one_line_exit_2(runner, monkeypatch):
    import jdkit.params

    def refuse():
        raise PermissionError(13, "Permission denied", "/some/\x1b[31mfile")

    monkeypatch.setattr(jdkit.params, "schema", refuse)
    result = runner.invoke(cli, ["schema"])
    assert result.exit_code == 2
    assert (
        result.stderr
        == "error: /some/\\x1b[31mfile: Permission denied (fix: check the path and its permissions)\n"
    )


def test_error_lines_show_control_characters_as_escapes(runner, tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(
        'role: medical-office-manager\npractice: {name: A, state: CO}\n"\\e[2Jsummry": x\n',
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}:3: \\x1b[2Jsummry: is not a parameter-file key")
    assert "\x1b" not in result.stderr


def test_check_and_explain_escape_what_they_print(runner, tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(
        'role: medical-office-manager\npractice: {name: "A \\e[32mPASSED \\x9b \\u202e", state: CO}\n',
        encoding="utf-8",
    )
    for args in (
        ["check", str(path)],
        ["check", str(path), "--format", "json"],
        ["explain", str(path)],
        ["explain", str(path), "--format", "json"],
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code in (0, 1), result.output
        assert not any(ch in result.stdout for ch in "\x1b\x9b\u202e"), args
        if "json" in args:
            found = json.loads(result.stdout)
            name = (
                found[0]["practice"]
                if isinstance(found, list)
                else found["documents"][0]["practice"]
            )
            assert name == "A \x1b[32mPASSED \x9b \u202e"
        else:
            assert "A \\x1b[32mPASSED \\x9b \\u202e" in result.stdout


def test_render_refuses_a_linked_output_file_and_writes_the_others(runner, tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    cedar, lone = PARAMS / "cedar-family-medicine.yaml", PARAMS / "lone-star-pediatrics.yaml"
    (out / "cedar-family-medicine-medical-office-manager.html").symlink_to(elsewhere / "x.html")
    result = runner.invoke(
        cli, ["render", str(cedar), str(lone), "--to", "html", "--out", str(out)]
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "symbolic link" in result.stderr
    assert list(elsewhere.iterdir()) == []  # nothing written through the link
    assert (out / "lone-star-pediatrics-medical-office-manager.html").is_file()
