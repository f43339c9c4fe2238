"""``jdkit.batch.pool.WorkerPool``: a dead worker costs its own practice only, and is retried only when killed.

Real forkserver workers run tiny tasks (no notebook): one kills its own worker with SIGKILL on
every attempt, one crashes it (SIGSEGV), one is killed on its first attempt only; each attempt
leaves a file, so the test counts how often each task ran.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass
from pathlib import Path

import pytest

from jdkit.batch.pool import WorkerPool
from jdkit.batch.publish import collect as _outcomes
from jdkit.batch.records import Outcome

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Job:
    slug: str
    folder: str


def run(job: Job) -> Outcome:
    """Note the attempt, then end the worker as the slug says (``kill``, ``segv``, ``kill-once``) or succeed."""
    attempts = sorted(Path(job.folder).glob(f"{job.slug}.*"))
    Path(job.folder, f"{job.slug}.{len(attempts) + 1}").touch()
    if job.slug == "kill" or (job.slug == "kill-once" and not attempts):
        os.kill(os.getpid(), signal.SIGKILL)
    if job.slug == "segv":
        os.kill(os.getpid(), signal.SIGSEGV)
    return Outcome(job.slug, True)


def test_only_the_dead_workers_practice_fails_and_a_kill_is_retried_once(tmp_path: Path) -> None:
    slugs = ["a", "kill", "b", "segv", "kill-once", "c", "d"]
    pool = WorkerPool(2)
    try:
        futures = {pool.submit(run, Job(slug, str(tmp_path))): slug for slug in slugs}
        outcomes = {o.slug: o for o in _outcomes(futures, None, "Letter", None, pool.recover)}
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    assert {slug: o.ok for slug, o in outcomes.items()} == {
        "a": True,
        "b": True,
        "c": True,
        "d": True,
        "kill-once": True,
        "kill": False,
        "segv": False,
    }
    assert (
        outcomes["kill"].reason
        == "the worker running this practice was killed (SIGKILL); it had been retried once"
    )
    assert outcomes["segv"].reason == "the worker running this practice crashed (SIGSEGV)"
    runs = {slug: len(list(tmp_path.glob(f"{slug}.*"))) for slug in slugs}
    assert (
        runs["kill"] == 2 and runs["kill-once"] == 2 and runs["segv"] == 1
    )  # a crash is not retried
    assert not Path(pool.ledger).exists()
