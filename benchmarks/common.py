"""What every benchmark script shares: generated practices and the timing helpers."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jdkit import params  # noqa: E402
from jdkit.models import JobDescription  # noqa: E402


def practices(n: int) -> list[params.Params]:
    """``n`` parameter sets made from the examples in params/, each with its own name and pay."""
    examples = [params.read(p) for p in sorted((ROOT / "params").glob("*.yaml"))]
    out = []
    for i in range(n):
        base = dict(examples[i % len(examples)])
        base["practice"] = {**base["practice"], "name": f"{base['practice']['name']} {i}"}
        pay = dict(base.get("compensation", {}))
        for key in ("salary_min", "salary_max"):  # both ends, so min <= max still holds
            if key in pay:
                pay[key] = round(pay[key] * (1 + i % 7 / 100), 2)
        base["compensation"] = pay
        out.append(params.Params(base, file=f"generated-{i}.yaml"))
    return out


def models(n: int) -> list[JobDescription]:
    """``practices(n)`` merged and validated."""
    return [params.build(p) for p in practices(n)]


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs of ``func``, in seconds."""
    return min(_runs(repeat, func))


def median_of(repeat: int, func: Callable[[], object]) -> float:
    """The median of ``repeat`` runs of ``func``, in seconds."""
    return statistics.median(_runs(repeat, func))


def wall(cmd: list[str], repeat: int) -> tuple[float, float]:
    """Best and median wall time of a command run from the repository root, in seconds."""
    runs = _runs(repeat, lambda: subprocess.run(cmd, check=False, capture_output=True, cwd=ROOT))
    return min(runs), statistics.median(runs)


def _runs(repeat: int, func: Callable[[], object]) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times
