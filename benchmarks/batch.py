"""Benchmark the notebook pipeline: HTML + PDF per practice, three ways.

    python benchmarks/batch.py [-n 24] [--sample-a 3] [--sample-b 6] [-j 2] [--rounds 3]
    python benchmarks/batch.py --baseline REV [-n 24] [--rounds 3]   # (c) now against (c) at REV

(a) the loop a user would script: the ``papermill`` command, then ``jupyter nbconvert
    --to html --no-input``, then ``jupyter nbconvert --to webpdf``, per practice;
(b) sequential in-process ``papermill.execute_notebook`` plus nbconvert's ``HTMLExporter``
    (``exclude_input``) and ``WebPDFExporter`` with their defaults;
(c) ``jdkit batch -j 2 --to html,pdf`` over all N practices, ``--rounds`` times into new
    folders (this machine is shared and noisy: the median and the best are shown).

(a) and (b) cost the same for every practice, so they are timed on the first
``--sample-a`` / ``--sample-b`` practices and reported per practice; (c) runs all N.
nbconvert's webpdf only launches Playwright's own browser, which cannot be downloaded
here, so the benchmark points Playwright's browser folder at Debian's Chromium.
Prints a table of seconds per practice and ratios; nothing here is asserted in tests.

``--baseline REV`` times only (c), against the same command at an older commit (a git
worktree on ``PYTHONPATH``, its own notebook), alternating the two round by round so that the
machine's load falls on both alike: the no-slowdown comparison for a refactoring.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "job_description.ipynb"


def practices(n: int, folder: Path, examples_dir: Path = ROOT / "params") -> list[Path]:
    """Write ``n`` parameter files made from the examples, each with its own practice name."""
    import yaml

    from jdkit.params import read

    examples = sorted(examples_dir.glob("*.yaml"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        data = dict(read(examples[i % len(examples)]))
        data["practice"] = {**data["practice"], "name": f"{data['practice']['name']} {i:03d}"}
        path = folder / f"practice-{i:03d}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def playwright_shim(folder: Path) -> dict[str, str]:
    """Environment in which Playwright's default Chromium is Debian's (for nbconvert's webpdf)."""
    from jdkit.export.pdf import find_chromium

    env = {**os.environ, "PLAYWRIGHT_BROWSERS_PATH": str(folder)}
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "from playwright.sync_api import sync_playwright\n"
                "with sync_playwright() as p:\n"
                "    try: p.chromium.launch()\n"
                "    except Exception as e: print(e)\n"
            ),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    match = re.search(r"doesn't exist at (\S+)", probe.stdout)
    if match:
        target = Path(match.group(1))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        target.symlink_to(find_chromium())
    return env


def run_a(paths: list[Path], work: Path, env: dict[str, str]) -> float:
    """(a): three commands per practice; returns seconds."""
    start = time.perf_counter()
    for path in paths:
        out = work / f"{path.stem}.ipynb"
        for command in (
            [str(BIN / "papermill"), str(NOTEBOOK), str(out), "-f", str(path), "--no-progress-bar"],
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)],
            [
                str(BIN / "jupyter"),
                "nbconvert",
                "--to",
                "webpdf",
                "--WebPDFExporter.disable_sandbox=True",
                str(out),
            ],
        ):
            subprocess.run(command, check=True, capture_output=True, env=env, cwd=work, timeout=600)
    return time.perf_counter() - start


def run_b(paths: list[Path], work: Path, env: dict[str, str]) -> float:
    """(b): in-process papermill + nbconvert exporters with their defaults; returns seconds."""
    os.environ["PLAYWRIGHT_BROWSERS_PATH"] = env["PLAYWRIGHT_BROWSERS_PATH"]
    start = time.perf_counter()
    import papermill as pm
    from nbconvert import HTMLExporter, WebPDFExporter

    from jdkit.params import read

    for path in paths:
        out = work / f"{path.stem}.ipynb"
        nb = pm.execute_notebook(
            str(NOTEBOOK), str(out), parameters=dict(read(path)), progress_bar=False
        )
        html, _ = HTMLExporter(exclude_input=True).from_notebook_node(nb)
        pdf, _ = WebPDFExporter(disable_sandbox=True).from_notebook_node(nb)
        (work / f"{path.stem}.html").write_text(html, encoding="utf-8")
        (work / f"{path.stem}.pdf").write_bytes(pdf)
    return time.perf_counter() - start


def run_c(folder: Path, work: Path, jobs: int, code: Path | None = None) -> tuple[float, float]:
    """(c): ``jdkit batch``, of this checkout or of the tree ``code``; returns (wall seconds,
    steady seconds per practice after the first result)."""
    command = [str(BIN / "jdkit")]
    env = dict(os.environ)
    if code is not None:  # the old tree's package and notebook, run by this venv's Python
        command = [sys.executable, "-c", "from jdkit.cli import main; main()"]
        env["PYTHONPATH"] = str(code)
    extra = (
        ["--notebook", str(code / "notebooks" / "job_description.ipynb")]
        if code is not None
        else []
    )
    start = time.perf_counter()
    proc = subprocess.Popen(
        [
            *command,
            "batch",
            str(folder),
            "--out",
            str(work),
            "--to",
            "html,pdf",
            "-j",
            str(jobs),
            "--force",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=folder.parent,
    )
    stamps, failures, last = [], [], ""
    assert proc.stderr is not None
    for line in proc.stderr:
        last = line.strip() or last
        if line.startswith("["):
            stamps.append(time.perf_counter())
            if "] ok" not in line and "unchanged" not in line:
                failures.append(line.strip())
    proc.wait()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(
            f"jdkit batch failed with exit code {proc.returncode}: "
            + " | ".join(failures[:3] or [last])
        )
    steady = (stamps[-1] - stamps[0]) / (len(stamps) - 1) if len(stamps) > 1 else wall
    return wall, steady


def compare(rev: str, n: int, jobs: int, rounds: int) -> None:
    """(c) now and (c) at ``rev``, alternating; print both and their ratio."""
    with tempfile.TemporaryDirectory(prefix="jdkit-bench-") as tmp:
        root = Path(tmp)
        old = root / "baseline"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old), rev],
            check=True,
            capture_output=True,
        )
        # pyproject maps jdkit.templates and jdkit.notebooks to the top-level folders, which only
        # this venv's editable finder knows (and it finds this checkout's): link the old tree's
        for name in ("templates", "notebooks"):
            if not (old / "jdkit" / name).exists():
                (old / "jdkit" / name).symlink_to(old / name, target_is_directory=True)
        try:
            practices(
                n, root / "params", old / "params"
            )  # the old examples: valid for both versions
            now_runs, old_runs = [], []
            for i in range(max(1, rounds)):
                pair = (
                    [("now", None), ("old", old)] if i % 2 == 0 else [("old", old), ("now", None)]
                )
                for name, code in pair:
                    runs = now_runs if name == "now" else old_runs
                    runs.append(run_c(root / "params", root / f"{name}{i}", jobs, code))
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)],
                capture_output=True,
            )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\njdkit batch -j {jobs} --to html,pdf, {n} practices, {len(now_runs)} rounds each, "
        "alternating; "
        f"{os.cpu_count()} cores, load average {load}"
    )
    print(f"{'':28} {'median s':>9} {'best s':>8} {'steady s/practice':>18}")
    for label, runs in ((f"at {rev}", old_runs), ("this checkout", now_runs)):
        walls = sorted(w for w, _ in runs)
        steady = sorted(s for _, s in runs)[len(runs) // 2]
        print(f"{label:28} {walls[len(walls) // 2]:9.2f} {walls[0]:8.2f} {steady:18.3f}")
    old_med = sorted(w for w, _ in old_runs)[len(old_runs) // 2]
    now_med = sorted(w for w, _ in now_runs)[len(now_runs) // 2]
    print(
        f"ratio (old / now, median wall): {old_med / now_med:.2f} "
        "(above 1: this checkout is faster)"
    )


def main() -> None:
    """Run the three approaches and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=24, help="practices for (c)")
    parser.add_argument("--sample-a", type=int, default=3, help="practices timed for (a)")
    parser.add_argument("--sample-b", type=int, default=6, help="practices timed for (b)")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="runs of (c)")
    parser.add_argument(
        "--baseline", metavar="REV", help="time (c) only, against the same at commit REV"
    )
    args = parser.parse_args()
    if args.baseline:
        compare(args.baseline, args.n, args.jobs, args.rounds)
        return
    with tempfile.TemporaryDirectory(prefix="jdkit-bench-") as tmp:
        root = Path(tmp)
        paths = practices(args.n, root / "params")
        env = playwright_shim(root / "browsers")
        for name in ("a", "b"):
            (root / name).mkdir()
        runs = sorted(
            run_c(root / "params", root / f"c{i}", args.jobs) for i in range(max(1, args.rounds))
        )
        (c_wall, c_steady), c_best = runs[len(runs) // 2], runs[0][0]
        b = run_b(paths[: args.sample_b], root / "b", env) / min(args.sample_b, args.n)
        a = run_a(paths[: args.sample_a], root / "a", env) / min(args.sample_a, args.n)
    c = c_wall / args.n
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nHTML + PDF per practice, {os.cpu_count()} cores, load average {load}; "
        f"(c) over {args.n} practices"
    )
    print(f"{'approach':58} {'s/practice':>10} {'(c) is x faster':>16}")
    rows = [
        (f"(a) papermill + nbconvert CLI loop ({args.sample_a} timed)", a),
        (f"(b) in-process papermill + nbconvert defaults ({args.sample_b} timed)", b),
        (f"(c) jdkit batch -j {args.jobs}, whole run incl. start-up (median)", c),
        (f"(c) jdkit batch -j {args.jobs}, whole run, best of {len(runs)}", c_best / args.n),
        (f"(c) jdkit batch -j {args.jobs}, steady state (after first result)", c_steady),
    ]
    for label, value in rows:
        print(
            f"{label:58} {value:10.3f} "
            f"{a / c if label.startswith('(a)') else b / c if label.startswith('(b)') else 1:16.1f}"
        )
    print(
        f"\ntargets: (c) >= 15x faster than (a) -> {a / c:.1f}x; "
        f">= 3x faster than (b) -> {b / c:.1f}x; "
        f"<= 0.3 s/practice -> {c:.3f} s (steady {c_steady:.3f} s)"
    )


if __name__ == "__main__":
    main()
