"""Where a ``jdkit batch`` spends its CPU: seconds by kind of process, for one HTML + PDF run.

    python benchmarks/batch_cpu.py [-n 24] [-j 2]

Runs ``jdkit batch`` over N generated practices and samples every process it starts
(every 20 ms, by psutil) until it exits: the command itself (validation, printing
requests, writing files), the forkserver, the workers, their kernel zygotes and the
kernels, Playwright's driver and Chromium's processes. Prints CPU seconds and share of
the total per kind, beside the wall time and what 2 cores could at best have given.
A process that lives less than one sample is missed, so the total is a lower bound.
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import tempfile
import time
from pathlib import Path

import psutil
from batch import BIN, practices  # benchmarks/batch.py


def _kind(proc: psutil.Process, cli: int) -> str | None:
    try:
        name, line = proc.name(), " ".join(proc.cmdline())
    except psutil.Error:
        return None
    if proc.pid == cli:
        return "jdkit batch (parent)"
    if "chrom" in name or "--type=" in line:
        part = line.split("--type=")[1].split()[0] if "--type=" in line else "browser"
        sub = (
            line.split("--utility-sub-type=")[1].split()[0].split(".")[-1]
            if "--utility-sub-type=" in line
            else ""
        )
        return f"chromium {part}" + (f" ({sub})" if sub else "")
    if "node" in name:
        return "playwright driver (node)"
    if "forkserver" in line:  # forkserver -> worker -> zygote -> kernel
        depth, parent = 0, proc
        while parent is not None and parent.pid != cli:
            try:
                parent = parent.parent()
            except psutil.Error:
                break
            depth += 1
        return {1: "forkserver", 2: "worker", 3: "kernel zygote", 4: "kernel"}.get(
            depth, "other python"
        )
    return name


def measure(folder: Path, out: Path, jobs: int) -> tuple[float, dict[str, list[float]]]:
    """Run the batch; return its wall time and, per kind, each process's CPU seconds."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [
            str(BIN / "jdkit"),
            "batch",
            str(folder),
            "--out",
            str(out),
            "--to",
            "html,pdf",
            "-j",
            str(jobs),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    root = psutil.Process(proc.pid)
    seen: dict[int, list] = {}
    while proc.poll() is None:
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            procs = []
        for item in procs:
            try:
                times = item.cpu_times()
            except psutil.Error:
                continue
            if item.pid not in seen:
                kind = _kind(item, proc.pid)
                if kind is None:
                    continue
                seen[item.pid] = [kind, 0.0]
            seen[item.pid][1] = max(seen[item.pid][1], times.user + times.system)
        time.sleep(0.02)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"jdkit batch failed with exit code {proc.returncode}")
    kinds: dict[str, list[float]] = collections.defaultdict(list)
    for kind, cpu in seen.values():
        kinds[kind].append(cpu)
    return wall, kinds


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=24, help="practices")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jdkit-bench-") as tmp:
        practices(args.n, Path(tmp) / "params")
        wall, kinds = measure(Path(tmp) / "params", Path(tmp) / "out", args.jobs)
    total = sum(sum(v) for v in kinds.values())
    cores = os.cpu_count() or 1
    print(
        f"\njdkit batch -j {args.jobs}, {args.n} practices, HTML + PDF: wall {wall:.2f} s "
        f"({wall / args.n:.3f} s/practice); CPU {total:.1f} s on {cores} cores "
        f"(at best {total / cores:.2f} s of wall)"
    )
    print(f"{'process kind':42} {'count':>5} {'CPU s':>7} {'share':>6} {'CPU s/practice':>15}")
    for kind, values in sorted(kinds.items(), key=lambda item: -sum(item[1])):
        cpu = sum(values)
        print(f"{kind:42} {len(values):5d} {cpu:7.2f} {cpu / total:6.1%} {cpu / args.n:15.3f}")


if __name__ == "__main__":
    main()
