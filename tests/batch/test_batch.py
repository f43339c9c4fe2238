"""``jdkit batch`` end to end: good practices among a broken file, a raising cell and a hung kernel."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pypdf
import pytest

from jdkit.models import SECTIONS

from ..conftest import DATA, PARAMS, ROOT, practice_file

pytestmark = pytest.mark.slow
JDKIT = str(Path(sys.executable).parent / "jdkit")
GOOD = {
    "Cedar Family Medicine": "cedar-family-medicine-medical-office-manager",
    "Lone Star Pediatrics": "lone-star-pediatrics-medical-office-manager",
}


@pytest.fixture(scope="module")
def batch(
    probe_notebook: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[subprocess.CompletedProcess, Path]:
    """One batch over two good practices, a broken file, one that raises and one that hangs."""
    root = tmp_path_factory.mktemp("batch")
    inputs = root / "in"
    inputs.mkdir()
    for name in ("cedar-family-medicine.yaml", "lone-star-pediatrics.yaml"):
        shutil.copy(PARAMS / name, inputs / name)
    shutil.copy(DATA / "bad" / "min-above-max.yaml", inputs / "broken.yaml")
    practice_file(inputs, PARAMS / "hudson-cardiology.yaml", "Raising Clinic")
    practice_file(inputs, PARAMS / "pacific-dermatology.yaml", "Hanging Clinic")
    out = root / "out"
    proc = subprocess.run(
        [
            JDKIT,
            "batch",
            str(inputs),
            "--out",
            str(out),
            "--to",
            "html,pdf",
            "-j",
            "2",
            "--timeout",
            "5",
            "--notebook",
            str(probe_notebook),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return proc, out


def _summary(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "summary.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {row["practice"] or Path(row["source"]).name: row for row in rows}


def test_exit_1_and_the_three_failures_listed(
    batch: tuple[subprocess.CompletedProcess, Path],
) -> None:
    proc, out = batch
    assert proc.returncode == 1, proc.stderr[-3000:]
    failed = [line for line in proc.stderr.splitlines() if line.startswith("failed:")]
    assert len(failed) == 3, proc.stderr[-3000:]
    assert "2 done, 0 unchanged, 3 failed" in proc.stdout
    assert str(out / "summary.html") in proc.stdout


def test_summary_names_the_three_with_their_reasons(
    batch: tuple[subprocess.CompletedProcess, Path],
) -> None:
    rows = _summary(batch[1])
    assert {name: row["status"] for name, row in rows.items()} == {
        "Cedar Family Medicine": "ok",
        "Lone Star Pediatrics": "ok",
        "broken.yaml": "failed",
        "Raising Clinic": "failed",
        "Hanging Clinic": "failed",
    }
    broken = rows["broken.yaml"]["reason"]
    assert "broken.yaml" in broken and "compensation" in broken and "salary_min" in broken
    assert rows["broken.yaml"]["seconds"] in ("0.0", "0")  # validated first: no kernel was started
    assert "ValueError: boom from Raising Clinic" in rows["Raising Clinic"]["reason"]
    assert "timed out after 5 s" in rows["Hanging Clinic"]["reason"]
    for name in GOOD:
        row = rows[name]
        assert row["score"] and int(float(row["score"])) in range(0, 101)
        assert row["errors"] != "" and float(row["seconds"]) > 0
        assert row["pay"] and row["pay_min"] and row["pay_max"]
    assert rows["Lone Star Pediatrics"]["pay"] == "$30.00 to $38.50 per hour"


def test_good_practices_are_complete(batch: tuple[subprocess.CompletedProcess, Path]) -> None:
    out = batch[1]
    rows = _summary(out)
    for name, slug in GOOD.items():
        folder = out / slug
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            f"{slug}{ext}" for ext in (".ipynb", ".html", ".pdf", ".stamp.json")
        )
        assert rows[name]["outputs"].split() == [
            f"{slug}/{slug}{ext}" for ext in (".ipynb", ".html", ".pdf")
        ]
        nb = nbformat.read(folder / f"{slug}.ipynb", as_version=4)
        nbformat.validate(nb)
        html = (folder / f"{slug}.html").read_text(encoding="utf-8")
        assert name in html and "PROBE" not in html and "import jdkit" not in html
        reader = pypdf.PdfReader(io.BytesIO((folder / f"{slug}.pdf").read_bytes()))
        import unicodedata

        text = unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in reader.pages))
        assert name in text
        for _, heading in SECTIONS:
            assert heading in text


def test_failures_leave_no_documents(batch: tuple[subprocess.CompletedProcess, Path]) -> None:
    out = batch[1]
    assert not any("broken" in p.name or "salary" in p.name for p in out.iterdir())
    for slug in ("raising-clinic-medical-office-manager", "hanging-clinic-medical-office-manager"):
        assert sorted(p.name for p in (out / slug).iterdir()) == [f"{slug}.failed.ipynb"]
    failed = nbformat.read(
        out
        / "raising-clinic-medical-office-manager"
        / "raising-clinic-medical-office-manager.failed.ipynb",
        as_version=4,
    )
    errors = [o for c in failed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors and errors[0].ename == "ValueError"


def test_each_practice_had_a_fresh_kernel(batch: tuple[subprocess.CompletedProcess, Path]) -> None:
    out = batch[1]
    pids = []
    for slug in GOOD.values():
        nb = nbformat.read(out / slug / f"{slug}.ipynb", as_version=4)
        text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
        probe = next(line for line in text.splitlines() if line.startswith("PROBE pid"))
        assert probe.endswith("saw None"), probe
        pids.append(probe.split()[2])
    assert len(set(pids)) == len(pids)


def test_summary_html_has_table_and_pay_chart(
    batch: tuple[subprocess.CompletedProcess, Path],
) -> None:
    html = (batch[1] / "summary.html").read_text(encoding="utf-8")
    assert "<svg" in html and "Pay ranges by practice" in html
    for name in (*GOOD, "Raising Clinic", "Hanging Clinic"):
        assert name in html
    for (
        name
    ) in GOOD:  # each chart bar names its role, so two roles at one practice can be told apart
        assert f">{name}: Medical Office Manager</text>" in html
    assert "timed out" in html and "<script" not in html


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    proc = subprocess.run(
        [JDKIT, "batch", str(PARAMS), "--out", str(tmp_path), "--to", "html,xls"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "--to" in proc.stderr and "xls" in proc.stderr
    assert not any(tmp_path.iterdir())


def test_the_stamp_key_covers_every_file_of_the_package(tmp_path):
    """A changed org chart, check or table redoes the practice: the key hashes the package tree."""
    import shutil

    import jdkit
    from jdkit.batch.plan import inputs_key as _inputs_key

    package = tmp_path / "jdkit"
    shutil.copytree(
        Path(jdkit.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__")
    )
    before = _inputs_key("{}", ["html"], "Letter", root=package)
    assert _inputs_key("{}", ["html"], "Letter", root=package) == before
    for changed in (
        "orgchart.py",
        "params.py",
        "checks/review.py",
        "data/minimum_wage.csv",
        "roles/medical-coder.yaml",
    ):
        path = package / changed
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert _inputs_key("{}", ["html"], "Letter", root=package) != before, changed
        path.write_bytes(original)
    assert _inputs_key("{}", ["html"], "Letter", root=package) == before


@pytest.mark.slow
def test_a_practice_folder_that_links_outside_fails_that_practice_only(tmp_path):
    """A symlinked practice folder: nothing is written or deleted where it points; the others finish."""
    from jdkit.params import load

    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    keep = elsewhere / ".keep.tmp"
    keep.write_text("not jdkit's")
    linked, fine = PARAMS / "cedar-family-medicine.yaml", PARAMS / "lone-star-pediatrics.yaml"
    out.mkdir()
    slug = load(linked).slug
    (out / slug).symlink_to(elsewhere, target_is_directory=True)
    (elsewhere / f".{slug}.html.x.tmp").write_text("a file the batch must not delete")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "jdkit.cli",
            "batch",
            str(linked),
            str(fine),
            "--out",
            str(out),
            "--to",
            "html",
            "-j",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    assert "symbolic link" in proc.stderr and "1 done" in proc.stdout
    assert sorted(p.name for p in elsewhere.iterdir()) == sorted(
        [".keep.tmp", f".{slug}.html.x.tmp"]
    )
    assert (out / load(fine).slug / f"{load(fine).slug}.html").is_file()


@pytest.mark.parametrize("runner", ["kernels", "no-fork", "papermill"])
def test_a_folder_named_jdkit_where_the_batch_runs_is_never_imported(tmp_path, runner):
    """A consultant's own folder named jdkit in the working directory: no batch process imports it
    or its templates (the forkserver, the zygote, spawned kernels), and the cells still see the
    user's environment (no PYTHONSAFEPATH of jdkit's left in it)."""
    work = tmp_path / "work"
    (work / "jdkit").mkdir(parents=True)
    (work / "jdkit" / "__init__.py").write_text(
        "raise SystemExit('the folder named jdkit was imported')\n"
    )
    (work / "jdkit" / "index.html.j2").write_text("HIJACKED\n")
    notebook = nbformat.read(ROOT / "notebooks" / "job_description.ipynb", as_version=4)
    notebook.cells.append(
        nbformat.v4.new_code_cell(
            "import os, sys\nprint('probe', os.environ.get('PYTHONSAFEPATH'), os.getcwd() in sys.path or '' in sys.path)"
        )
    )
    nbformat.write(notebook, tmp_path / "probe.ipynb")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONSAFEPATH", "JDKIT_NO_FORK")
    }
    if runner == "no-fork":
        env["JDKIT_NO_FORK"] = "1"
    done = subprocess.run(
        [
            JDKIT,
            "batch",
            str(PARAMS / "hudson-cardiology-coder.yaml"),
            "--out",
            str(tmp_path / "out"),
            "--to",
            "html",
            "--notebook",
            str(tmp_path / "probe.ipynb"),
            "--runner",
            "papermill" if runner == "papermill" else "kernels",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (html,) = (tmp_path / "out").glob("*/*.html")
    assert "HIJACKED" not in html.read_text(encoding="utf-8") and "Medical Coder" in html.read_text(
        encoding="utf-8"
    )
    (record,) = (tmp_path / "out").glob("*/*.ipynb")
    printed = "".join(
        output.get("text", "") for output in nbformat.read(record, as_version=4).cells[-1].outputs
    )
    assert printed.strip() == "probe None False"


def test_the_summary_says_which_written_practices_have_errors(tmp_path):
    from jdkit import params
    from jdkit.batch import write_summary
    from jdkit.batch.plan import _row

    rows = []
    for index, path in enumerate(sorted(PARAMS.glob("*.yaml"))[:3]):
        row = _row(params.load(path), str(path))
        row.status, row.score, row.errors = ("ok", 80, 2) if index == 0 else ("ok", 100, 0)
        rows.append(row)
    _, summary = write_summary(rows, tmp_path)
    html = summary.read_text(encoding="utf-8")
    assert (
        '<p class="to-fix">1 practice has errors in its checks (the Errors column): fix them before publishing; '
        "jdkit check on its file lists what to fix.</p>"
    ) in html
    assert html.count('<tr class="ok errors">') == 1 and html.count('<tr class="ok">') == 2
    rows[0].errors = 0
    _, summary = write_summary(rows, tmp_path)
    assert "to-fix" not in summary.read_text(encoding="utf-8").split("</style>")[1]


def test_safe_path_holds_until_the_last_thread_leaves(monkeypatch):
    """Threads of one worker running papermill nest safe_path: none removes the variable while
    another's kernel may still be starting; the user's own PYTHONSAFEPATH is left as it is."""
    import threading

    from jdkit.batch.settings import safe_path

    monkeypatch.delenv("PYTHONSAFEPATH", raising=False)
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def a():
        with safe_path():
            a_in.set()
            b_in.wait(5)  # both inside; then A leaves first
        a_out.set()

    def b():
        a_in.wait(5)
        with safe_path():
            b_in.set()
            a_out.wait(5)  # A has left: the variable must still be set for B
            seen["inside"] = os.environ.get("PYTHONSAFEPATH")
        seen["after"] = os.environ.get("PYTHONSAFEPATH")

    threads = [threading.Thread(target=b), threading.Thread(target=a)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {"inside": "1", "after": None}
    monkeypatch.setenv("PYTHONSAFEPATH", "x")
    with safe_path():
        assert os.environ["PYTHONSAFEPATH"] == "x"
    assert os.environ["PYTHONSAFEPATH"] == "x"


def test_a_practice_written_with_errors_in_its_checks_makes_the_batch_exit_1(tmp_path):
    """Colorado requires a pay range: a practice without one is written (a draft to fix), named
    on stderr as not ready to publish, and the batch exits 1, as ``jdkit check`` does; so does a
    re-run that finds it unchanged. A script never publishes it on the batch's success."""
    import yaml

    unpaid = practice_file(tmp_path / "in", PARAMS / "cedar-family-medicine.yaml", "Unpaid Clinic")
    data = yaml.safe_load(unpaid.read_text(encoding="utf-8"))
    del data["compensation"]
    unpaid.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    good = PARAMS / "hudson-cardiology.yaml"
    out = tmp_path / "out"
    command = [JDKIT, "batch", str(unpaid), str(good), "--out", str(out), "--to", "html"]
    for run in ("first", "unchanged"):
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert done.returncode == 1, (run, done.stdout, done.stderr[-2000:])
        assert [line for line in done.stderr.splitlines() if "ready to publish" in line] == [
            f"not ready to publish: Unpaid Clinic: Medical Office Manager: 1 error in its checks "
            f"(fix: jdkit check on {unpaid} lists them; correct them there)"
        ], run
        counts = "2 done, 0 unchanged" if run == "first" else "0 done, 2 unchanged"
        assert f"{counts}, 0 failed (1 not ready to publish). Documents:" in done.stdout, run
    with open(out / "summary.csv", encoding="utf-8") as handle:
        rows = {row["practice"]: row for row in csv.DictReader(handle)}
    assert (
        rows["Unpaid Clinic"]["errors"] == "1"
        and rows["Hudson Cardiology Associates"]["errors"] == "0"
    )
    assert all((out / row["slug"] / f"{row['slug']}.html").is_file() for row in rows.values())
