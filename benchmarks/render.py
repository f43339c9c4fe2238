"""Benchmark ``jdkit render`` end to end against the code before the document layer, in one run.

    python benchmarks/render.py [-n 1000] [--small 100] [--baseline 224ebaf] [--no-baseline]

Writes ``n`` generated parameter files, then runs the real command (a fresh process each
time, as a user would) for HTML alone at ``--small`` and ``n`` practices and for HTML+PDF
at ``n``: wall time and the ``jdkit render`` process's peak RSS (its own, not Chromium's).
The baseline is the same command from a temporary git worktree of ``--baseline`` (the commit
before issue 14), run with this environment's packages; the worktree is removed at the end.
Prints a table of figures, the ratio old/new and the targets of issue 14 (HTML+PDF for 1,000
practices under 30 s, peak RSS flat in N). Run it on a quiet machine; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from common import ROOT, practices

BASELINE = "224ebaf"  # HEAD when the document layer (issue 14) was started
# Runs the baseline's CLI from its worktree: the editable install's finder would import this checkout.
BOOT = ("import sys; sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]; "
        "sys.path.insert(0, {root!r}); sys.argv[0] = 'jdkit'; from jdkit.cli import main; main()")


def write_params(n: int, folder: Path) -> Path:
    """``n`` generated practices (``common.practices``) as parameter files in ``folder``."""
    folder.mkdir(parents=True)
    for index, item in enumerate(practices(n)):
        (folder / f"practice-{index:05d}.yaml").write_text(yaml.safe_dump(dict(item), sort_keys=False),
                                                           encoding="utf-8")
    return folder


def run(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall seconds and peak RSS (MB) of ``command``'s own process, and its last output line."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 2):
        raise SystemExit(f"{' '.join(command[:3])} ... failed ({proc.returncode}):\n{output[-2000:]}")
    return wall, usage.ru_maxrss / 1024, (output.strip().splitlines() or [""])[-1]


def baseline_tree(revision: str, folder: Path) -> Path:
    """A detached worktree of ``revision``, its templates where its package looks for them."""
    subprocess.run(["git", "worktree", "add", "--detach", str(folder), revision], cwd=ROOT, check=True,
                   capture_output=True)
    (folder / "jdkit" / "templates").symlink_to(folder / "templates", target_is_directory=True)
    return folder


def measure(cli: list[str], params_small: Path, params_all: Path, work: Path) -> dict[str, tuple[float, float]]:
    """The three runs of one version of the code: {name: (seconds, peak MB)}."""
    figures = {}
    for name, source, formats in (("html-small", params_small, "html"), ("html", params_all, "html"),
                                  ("html+pdf", params_all, "html,pdf")):
        out = work / f"out-{name}"
        seconds, rss, line = run([*cli, "render", str(source), "--to", formats, "--out", str(out)], work)
        files = len(list(out.iterdir()))
        print(f"  {name:<10} {seconds:8.2f} s {rss:8.1f} MB  {files} files  ({line})", flush=True)
        shutil.rmtree(out)
        figures[name] = (seconds, rss)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="practices for the full runs (default 1000)")
    parser.add_argument("--small", type=int, default=100, help="practices for the small HTML run (default 100)")
    parser.add_argument("--baseline", default=BASELINE, help=f"git revision to compare with (default {BASELINE})")
    parser.add_argument("--no-baseline", action="store_true", help="measure this checkout only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jdkit-bench-") as tmp:
        work = Path(tmp)
        params_all = write_params(args.n, work / "params")
        params_small = work / "params-small"
        params_small.mkdir()
        for path in sorted(params_all.iterdir())[: args.small]:
            shutil.copy(path, params_small / path.name)
        print(f"jdkit render: {args.n} practices ({args.small} for the small run), Python "
              f"{sys.version.split()[0]}, {os.cpu_count()} cores", flush=True)
        print("this checkout:", flush=True)
        new = measure([str(Path(sys.executable).with_name("jdkit"))], params_small, params_all, work)
        old = None
        if not args.no_baseline:
            tree = baseline_tree(args.baseline, work / "baseline")
            try:
                print(f"baseline {args.baseline}:", flush=True)
                old = measure([sys.executable, "-c", BOOT.format(root=str(tree))], params_small, params_all, work)
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
    rows = [
        (f"HTML+PDF, {args.n} practices (s)", "html+pdf", 0, "< 30"),
        (f"HTML, {args.n} practices (s)", "html", 0, ""),
        (f"HTML, {args.small} practices (s)", "html-small", 0, ""),
        (f"peak RSS, HTML+PDF, {args.n} (MB)", "html+pdf", 1, ""),
        (f"peak RSS, HTML, {args.n} (MB)", "html", 1, "flat in N"),
        (f"peak RSS, HTML, {args.small} (MB)", "html-small", 1, ""),
    ]
    print()
    print(f"{'figure':<34} {'before':>9} {'after':>9} {'before/after':>12}  target")
    for name, key, index, target in rows:
        after = new[key][index]
        before = old[key][index] if old else float("nan")
        print(f"{name:<34} {before:>9.2f} {after:>9.2f} {before / after:>12.2f}  {target}")
    growth = new["html"][1] - new["html-small"][1]
    print(f"RSS growth from {args.small} to {args.n} practices (HTML): {growth:+.1f} MB after"
          + (f", {old['html'][1] - old['html-small'][1]:+.1f} MB before" if old else ""))
    print(f"PDF throughput after: {args.n / new['html+pdf'][0]:.1f} documents/s "
          f"({new['html+pdf'][0] / args.n * 1000:.1f} ms each, HTML included)")


if __name__ == "__main__":
    main()
