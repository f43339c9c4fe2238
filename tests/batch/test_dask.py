"""The batch on a Dask distributed cluster: ``jdkit batch --scheduler ADDRESS`` against a LocalCluster."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from jdkit.cli import cli

from ..conftest import PARAMS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    """One in-process worker thread: fits two shared cores, and its tasks run real kernels."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as local:
        yield local


def test_batch_runs_on_a_dask_cluster(cluster, runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    result = runner.invoke(
        cli,
        [
            "batch",
            str(PARAMS / "cedar-family-medicine.yaml"),
            str(PARAMS / "lone-star-pediatrics.yaml"),
            "--out",
            str(out),
            "--to",
            "html,pdf",
            "--scheduler",
            cluster.scheduler_address,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "2 done, 0 unchanged, 0 failed" in result.output
    with open(out / "summary.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["status"] for row in rows] == ["ok", "ok"]
    for row in rows:
        for ext in (".ipynb", ".html", ".pdf"):
            assert (out / row["slug"] / f"{row['slug']}{ext}").stat().st_size > 1000
    html = (out / rows[1]["slug"] / f"{rows[1]['slug']}.html").read_text(encoding="utf-8")
    assert "Lone Star Pediatrics" in html and "$30.00 to $38.50 per hour" in html


def test_unreachable_scheduler_is_one_line(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Nothing listens on port 9, so the command waits out the whole timeout: a short one here.
    result = runner.invoke(
        cli,
        [
            "batch",
            str(PARAMS),
            "--out",
            str(tmp_path / "o"),
            "--scheduler",
            "tcp://127.0.0.1:9",
            "--scheduler-timeout",
            "1",
        ],
    )
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "--scheduler" in result.output


def test_missing_dask_names_the_extra_in_one_line(runner, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Without the optional Dask (a plain ``pip install jdkit``), --scheduler says which extra to install."""
    import sys

    for name in [m for m in sys.modules if m.split(".")[0] in ("dask", "distributed")]:
        monkeypatch.delitem(sys.modules, name)
    for name in ("dask", "distributed"):
        monkeypatch.setitem(
            sys.modules, name, None
        )  # as if not installed: importing it raises ImportError
    result = runner.invoke(
        cli,
        [
            "batch",
            str(PARAMS / "cedar-family-medicine.yaml"),
            "--out",
            str(tmp_path / "o"),
            "--scheduler",
            "tcp://127.0.0.1:9",
        ],
    )
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1, result.output
    assert "jdkit[dask]" in result.output and "internal error" not in result.output
    assert not (tmp_path / "o").exists()
