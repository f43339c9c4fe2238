"""The batch's runners: the fast path (forked kernels), the same with spawned kernels
(``JDKIT_NO_FORK``) and the reference (plain ``papermill.execute_notebook``) give byte-identical
documents (every example for the reference, two for the fallback), and the kernel's structured
result is what the batch reads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from jdkit.batch import run_batch

from ..conftest import EXAMPLES, ROOT

FORMATS = ["html", "md", "docx", "jsonld"]


def _documents(out: Path) -> dict[str, bytes]:
    """Every document of a batch by its path (a Word file too: it is dated by the day, not the
    moment it was written)."""
    return {
        str(path.relative_to(out)): path.read_bytes()
        for path in sorted(out.glob("*/*"))
        if path.suffix not in (".ipynb", ".json")
    }  # the record and the stamp: papermill's timings


def _kernels(out: Path) -> set[str]:
    kinds = set()
    for path in out.glob("*/*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
        # the probe cell's line (tests/conftest.py): which kind of kernel ran the practice
        kinds.update(
            line.split()[2] for line in text.splitlines() if line.startswith("PROBE kernel")
        )
    return kinds


@pytest.mark.slow
def test_every_runner_gives_the_same_documents_for_every_example(
    tmp_path: Path, probe_notebook: Path
) -> None:
    probe = probe_notebook
    sources = [str(p) for p in EXAMPLES]
    fast = run_batch(
        sources, tmp_path / "fast", FORMATS, notebook=probe, kinds=("description", "posting")
    )
    reference = run_batch(
        sources,
        tmp_path / "papermill",
        FORMATS,
        notebook=probe,
        kinds=("description", "posting"),
        runner="papermill",
    )
    env = {**os.environ, "JDKIT_NO_FORK": "1"}  # a new process: its forkserver sees the variable
    # The fallback on two examples (the reference covers all six): its kernels start as the reference's do.
    spawned = subprocess.run(
        [
            sys.executable,
            "-m",
            "jdkit.cli",
            "batch",
            *sources[:2],
            "--out",
            str(tmp_path / "spawned"),
            "--to",
            ",".join(FORMATS),
            "--kind",
            "both",
            "--notebook",
            str(probe),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert spawned.returncode == 0, spawned.stderr[-2000:]
    assert not fast.failed and not reference.failed
    assert _kernels(tmp_path / "fast") == {"forked"}
    assert _kernels(tmp_path / "spawned") == {"spawned"}  # JDKIT_NO_FORK: no zygote
    assert _kernels(tmp_path / "papermill") == {"spawned"}
    documents = _documents(tmp_path / "fast")
    assert len(documents) == len(EXAMPLES) * 2 * len(FORMATS)
    assert _documents(tmp_path / "papermill") == documents
    spawned_documents = _documents(tmp_path / "spawned")
    two = {name.split("/")[0] for name in spawned_documents}
    assert len(two) == 2
    assert spawned_documents == {
        name: data for name, data in documents.items() if name.split("/")[0] in two
    }
    # the same score from the kernel's result, whichever runner ran it
    assert [(r.slug, r.score, r.errors) for r in fast.results] == [
        (r.slug, r.score, r.errors) for r in reference.results
    ]
    assert all(r.score is not None for r in fast.results)


@pytest.mark.slow
def test_a_notebook_of_ones_own_without_a_result_is_still_scored(tmp_path: Path) -> None:
    """A user's notebook that checks nothing: the batch builds and checks the model itself."""
    nb = nbformat.read(ROOT / "notebooks" / "job_description.ipynb", as_version=4)
    nb.cells = [c for c in nb.cells if "jdkit-internal" not in c.metadata.get("tags", [])]
    path = tmp_path / "plain.ipynb"
    nbformat.write(nb, path)
    from jdkit.checks import check, score
    from jdkit.params import load

    done = run_batch([str(EXAMPLES[0])], tmp_path / "out", ["html", "md"], notebook=path)
    (row,) = done.results
    found = check(load(EXAMPLES[0]))
    assert row.status == "ok" and (row.score, row.errors) == (
        score(found),
        sum(f.severity == "error" for f in found),
    )
    assert (tmp_path / "out" / row.slug / f"{row.slug}.md").is_file()


def test_an_unknown_runner_is_one_line_with_exit_2(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    from jdkit.cli import cli

    result = runner.invoke(
        cli, ["batch", str(EXAMPLES[0]), "--out", str(tmp_path / "o"), "--runner", "fast"]
    )
    assert result.exit_code == 2 and "--runner" in result.stderr and "kernels" in result.stderr
    assert not (tmp_path / "o").exists()


def test_the_result_is_json_a_notebook_can_hold(tmp_path: Path) -> None:
    from jdkit.notebook import RESULT_MIME, result
    from jdkit.params import load

    model = load(EXAMPLES[0])
    bundle = result(model, [], 100)
    assert (
        json.loads(json.dumps(bundle))[RESULT_MIME]["model"]["practice"]["name"]
        == model.practice.name
    )
    assert "next_due" not in bundle[RESULT_MIME]["model"]["review"]  # computed, not data
