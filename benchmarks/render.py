"""Benchmark ``jdkit render`` end to end against the code before a change, side by side in one run.

    python benchmarks/render.py [-n 1000] [--small 100] [--sample 30] [--no-baseline] [--no-stages]

Writes ``n`` generated parameter files, then runs the real command (a fresh process each
time, as a user would) for HTML alone at ``--small`` and ``n`` practices and for HTML+PDF
at ``--small`` and ``n``: wall time, CPU seconds of the whole process tree (``jdkit
render`` and Chromium's processes, read from /proc while it runs: a figure the other work
on a shared machine changes far less than wall time) and the peak RSS of the ``jdkit
render`` process itself (``VmHWM``, sampled while it runs; Chromium's is not in it).

"Before" is this checkout with the files of ``BASELINE_FILES`` put back as they are at
``--baseline`` (default ``HEAD``, today's code): the modules are loaded from ``git show``
into the run's process, the templates from a copy of ``templates/`` holding the old files.
Each figure is measured before and after back to back, so both see the same load.

Then, unless ``--no-stages``, where the time of one HTML+PDF document goes: the Python stages
in this process (read, build, HTML, the PDF/UA finish) and the browser's, one print at a time
on ``--sample`` documents, with the CPU of each kind of Chromium process; and a floor: the
same documents' words alone, as plain paragraphs with no style, printed by the same browser.

Prints a table of figures, the ratio before/after, the load average during each run and the
targets of issue 14 (HTML+PDF for 1,000 practices under 30 s, peak RSS flat in N). Nothing is
asserted: run it on a quiet machine, or read the CPU figures when it is not quiet.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import yaml
from common import ROOT, practices

BASELINE_FILES = (
    "jdkit/export/pdf.py",
    "jdkit/export/tagging.py",
    "templates/document/style.css.j2",
)
# Both runs import jdkit from this benchmark's own tree (a copy of a checkout can be measured
# while the checkout changes). AFTER is the CLI as it is; BEFORE loads the modules of
# BASELINE_FILES from their copies at --baseline, and its templates from a copy of templates/.
# pyproject's package-dir maps jdkit.templates and jdkit.notebooks to the top-level templates/ and
# notebooks/, which only the editable finder knows: both are registered by hand, from the folders
# given.
PRELUDE = """
import importlib.util, sys
sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]
sys.path.insert(0, {root!r})
import jdkit
for _name, _folder in (('templates', {templates!r}), ('notebooks', {root!r} + '/notebooks')):
    _spec = importlib.util.spec_from_file_location(
        'jdkit.' + _name, _folder + '/__init__.py', submodule_search_locations=[_folder])
    _module = importlib.util.module_from_spec(_spec)
    sys.modules['jdkit.' + _name] = _module
    _spec.loader.exec_module(_module)
    setattr(jdkit, _name, _module)
"""
AFTER = (
    PRELUDE
    + """
sys.argv[0] = 'jdkit'
from jdkit.cli import main
main()
"""
)
BOOT = (
    PRELUDE
    + """
import jdkit.export
for name, path in {modules!r}:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
sys.argv[0] = 'jdkit'
from jdkit.cli import main
main()
"""
)


def write_params(n: int, folder: Path) -> Path:
    """``n`` generated practices (``common.practices``) as parameter files in ``folder``."""
    folder.mkdir(parents=True)
    for index, item in enumerate(practices(n)):
        (folder / f"practice-{index:05d}.yaml").write_text(
            yaml.safe_dump(dict(item), sort_keys=False), encoding="utf-8"
        )
    return folder


def load() -> float:
    """The one-minute load average."""
    return os.getloadavg()[0]


def _follow(pid: int, got: dict[str, float], done: threading.Event) -> None:
    """Until ``done``: ``pid``'s own peak RSS (VmHWM, MB) every 20 ms, and every 0.25 s the CPU
    seconds of it and each process below it (Chromium's renderers are not all reaped where
    ``wait4`` would count them, so the tree is read while it runs)."""
    import psutil  # type: ignore[import-untyped]

    cpu: dict[int, float] = {}
    next_tree = 0.0
    while not done.is_set():
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        got["rss"] = max(got["rss"], int(line.split()[1]) / 1024)
                        break
        except OSError:  # gone (a zombie has no VmHWM either)
            pass
        if time.monotonic() >= next_tree:
            next_tree = time.monotonic() + 0.25
            try:
                top = psutil.Process(pid)
                for proc in [top, *top.children(recursive=True)]:
                    try:
                        times = proc.cpu_times()
                        cpu[proc.pid] = max(cpu.get(proc.pid, 0.0), times.user + times.system)
                    except psutil.Error:
                        pass
            except psutil.Error:
                pass
            got["tree_cpu"] = sum(cpu.values())
        done.wait(0.02)


def run(command: list[str], cwd: Path) -> dict[str, float | str]:
    """Wall seconds, CPU seconds of the process tree, the process's own peak RSS (MB), the load."""
    start_load = load()
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    got, done = {"rss": 0.0, "tree_cpu": 0.0}, threading.Event()
    watcher = threading.Thread(target=_follow, args=(proc.pid, got, done), daemon=True)
    watcher.start()
    output = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    watcher.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(
            f"{' '.join(command[:3])} ... failed ({proc.returncode}):\n{output[-2000:]}"
        )
    # The larger of the two counts: wait4 has the processes reaped in the tree, the samples the rest
    cpu = max(usage.ru_utime + usage.ru_stime, got["tree_cpu"])
    return {
        "wall": wall,
        "cpu": cpu,
        "rss": got["rss"],
        "load": (start_load + load()) / 2,
        "line": (output.strip().splitlines() or [""])[-1],
    }


def baseline(revision: str, folder: Path) -> tuple[list[tuple[str, str]], str]:
    """``BASELINE_FILES`` as at ``revision``, written under ``folder``: ``(module name, path)`` of
    each module, and a copy of ``templates/`` holding the old templates."""
    templates = folder / "templates"
    shutil.copytree(ROOT / "templates", templates, ignore=shutil.ignore_patterns("__pycache__"))
    modules = []
    for path in BASELINE_FILES:
        text = subprocess.run(
            ["git", "show", f"{revision}:{path}"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        if path.startswith("templates/"):
            (folder / path).write_text(text, encoding="utf-8")
            continue
        target = folder / path.replace("/", "_")
        target.write_text(text, encoding="utf-8")
        modules.append((path[:-3].replace("/", "."), str(target)))
    return modules, str(templates)


RUNS = (
    ("html-small", "small", "html"),
    ("html", "all", "html"),
    ("pdf-small", "small", "html,pdf"),
    ("pdf", "all", "html,pdf"),
)


def measure(
    versions: dict[str, list[str]], sources: dict[str, Path], work: Path
) -> dict[str, dict[str, dict[str, Any]]]:
    """Every run of ``RUNS`` for each version, back to back: {version: {run: figures}}."""
    figures: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in versions}
    for index, (run_name, source, formats) in enumerate(RUNS):
        order = (
            list(versions) if index % 2 == 0 else list(reversed(versions))
        )  # neither always goes first
        for version in order:
            out = work / f"out-{version}-{run_name}"
            got = run(
                [
                    *versions[version],
                    "render",
                    str(sources[source]),
                    "--to",
                    formats,
                    "--out",
                    str(out),
                ],
                work,
            )
            files = len(list(out.iterdir()))
            print(
                f"  {version:<7} {run_name:<10} {got['wall']:8.2f} s wall {got['cpu']:8.2f} s CPU "
                f"{got['rss']:7.1f} MB  load {got['load']:5.2f}  {files} files  ({got['line']})",
                flush=True,
            )
            shutil.rmtree(out)
            figures[version][run_name] = got
    return figures


def stages(sample: int) -> None:
    """Where one HTML+PDF document's time goes, stage by stage, one document at a time: wall and
    CPU milliseconds (this process's own, or the Chromium processes' for the browser)."""
    import asyncio
    import glob

    import psutil

    from jdkit import params
    from jdkit.document.writers import render_html
    from jdkit.export.pdf import _Browser, _for_print, find_chromium  # the printer's own steps
    from jdkit.export.tagging import finish_from_html

    timer: dict[str, tuple[float, float]] = {}

    def timed(name: str, func, items):  # type: ignore[no-untyped-def]
        start, cpu = time.perf_counter(), time.process_time()
        result = [func(item) for item in items]
        timer[name] = (
            (time.perf_counter() - start) / len(items) * 1000,
            (time.process_time() - cpu) / len(items) * 1000,
        )
        return result

    with tempfile.TemporaryDirectory(prefix="jdkit-stages-") as tmp:
        folder = write_params(sample, Path(tmp) / "p")
        files = sorted(glob.glob(str(folder / "*.yaml")))
        render_html(
            params.build(params.read(files[0]))
        )  # imports and compiled templates: not counted
        items = timed("read the parameter file", params.read, files)
        models = timed("build the model (merge, validate)", params.build, items)
        htmls = timed("HTML (document tree, template)", render_html, models)

    def chromium_cpu() -> dict[str, float]:
        found: dict[str, float] = {}
        for child in psutil.Process().children(recursive=True):
            try:
                line = child.cmdline()
                times = child.cpu_times()
            except psutil.Error:
                continue
            kind = next(
                (f"Chromium {a[7:]}" for a in line if a.startswith("--type=")), "Chromium browser"
            )
            found[kind] = found.get(kind, 0.0) + times.user + times.system
        return found

    async def browser() -> list[bytes]:
        chromium = await _Browser.launch(find_chromium())
        page = await chromium.new_page()
        await page.load(_for_print(htmls[0]))
        await page.print("Letter")
        walls, cpus, pdfs = [0.0, 0.0], [0.0, 0.0], []
        for html in htmls:
            before, start = chromium_cpu(), time.perf_counter()
            await page.load(_for_print(html))
            middle, loaded = time.perf_counter(), chromium_cpu()
            pdfs.append(await page.print("Letter"))
            printed = chromium_cpu()
            walls[0], walls[1] = walls[0] + middle - start, walls[1] + time.perf_counter() - middle
            cpus[0] += sum(loaded.values()) - sum(before.values())
            cpus[1] += sum(printed.values()) - sum(loaded.values())
            for kind, seconds in printed.items():
                shares[kind] = shares.get(kind, 0.0) + seconds - before.get(kind, 0.0)
        # the floor: the same words with no structure or style, one print each
        floor = 0.0
        for html in htmls:
            before = chromium_cpu()
            await page.load(plain(html))
            await page.print("Letter")
            floor += sum(chromium_cpu().values()) - sum(before.values())
        await chromium.close()
        n = len(htmls)
        timer["browser: load (Page.setDocumentContent: parse, style)"] = (
            walls[0] / n * 1000,
            cpus[0] / n * 1000,
        )
        timer["browser: print (Page.printToPDF: layout, paint, tagged PDF)"] = (
            walls[1] / n * 1000,
            cpus[1] / n * 1000,
        )
        for kind, seconds in sorted(shares.items()):
            if seconds / n * 1000 >= 0.5:
                timer[f"  of which {kind}"] = (float("nan"), seconds / n * 1000)
        timer["floor: the same words as plain paragraphs (load and print)"] = (
            float("nan"),
            floor / n * 1000,
        )
        return pdfs

    shares: dict[str, float] = {}
    pdfs = asyncio.run(browser())
    timed(
        "PDF/UA finish (pikepdf: /Lang, XMP, artifacts)",
        lambda pair: finish_from_html(*pair),
        list(zip(pdfs, htmls, strict=True)),
    )
    python = sum(
        cpu for name, (_, cpu) in timer.items() if not name.startswith(("browser", " ", "floor"))
    )
    floor = timer["floor: the same words as plain paragraphs (load and print)"][1]
    cores = os.cpu_count() or 1
    print(
        f"\nwhere one HTML+PDF document's time goes ({sample} documents, one at a time, "
        f"load {load():.2f}):  {'wall':>8} {'CPU':>8}"
    )
    for name, (wall, cpu) in timer.items():
        print(f"  {name:<62} {wall:8.1f} {cpu:8.1f} ms")
    print(
        f"floor of 1,000 HTML+PDF documents on {cores} cores, if Chromium printed only their words "
        f"and Python's stages cost nothing else: ({python:.0f} + {floor:.0f} ms) x 1,000 / {cores} "
        f"= {(python + floor) / cores:.1f} s (target: 30 s)"
    )


def plain(html: str) -> str:
    """The words ``html``'s body shows, as plain paragraphs of 40 words: no style, no structure."""
    from html import escape
    from html.parser import HTMLParser

    words: list[str] = []

    class Words(HTMLParser):
        skip = 0

        def handle_starttag(self, tag: str, attrs: object) -> None:
            self.skip += tag in ("style", "script", "title")

        def handle_endtag(self, tag: str) -> None:
            self.skip -= tag in ("style", "script", "title")

        def handle_data(self, data: str) -> None:
            if not self.skip:
                words.extend(data.split())

    Words().feed(html)
    paragraphs = "".join(
        f"<p>{escape(' '.join(words[i : i + 40]))}</p>" for i in range(0, len(words), 40)
    )
    return f'<!doctype html><html lang="en"><body>{paragraphs}</body></html>'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "-n", type=int, default=1000, help="practices for the full runs (default 1000)"
    )
    parser.add_argument(
        "--small", type=int, default=100, help="practices for the small runs (default 100)"
    )
    parser.add_argument(
        "--baseline", default="HEAD", help="git revision of the files before (default HEAD)"
    )
    parser.add_argument("--no-baseline", action="store_true", help="measure this checkout only")
    parser.add_argument(
        "--sample", type=int, default=30, help="documents for the stage profile (default 30)"
    )
    parser.add_argument("--no-stages", action="store_true", help="skip the stage profile")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jdkit-bench-") as tmp:
        work = Path(tmp)
        sources = {"all": write_params(args.n, work / "params"), "small": work / "params-small"}
        sources["small"].mkdir()
        for path in sorted(sources["all"].iterdir())[: args.small]:
            shutil.copy(path, sources["small"] / path.name)
        versions = {
            "after": [
                sys.executable,
                "-c",
                AFTER.format(root=str(ROOT), templates=str(ROOT / "templates")),
            ]
        }
        if not args.no_baseline:
            modules, templates = baseline(args.baseline, work / "baseline")
            boot = BOOT.format(root=str(ROOT), templates=templates, modules=modules)
            versions = {"before": [sys.executable, "-c", boot], **versions}
        print(
            f"jdkit render: {args.n} practices ({args.small} for the small runs), Python "
            f"{sys.version.split()[0]}, {os.cpu_count()} cores, load {load():.2f}; "
            f"before = {', '.join(BASELINE_FILES)} at {args.baseline}",
            flush=True,
        )
        figures = measure(versions, sources, work)
    new, old = figures["after"], figures.get("before")
    rows = [
        (f"HTML+PDF, {args.n} practices (s)", "pdf", "wall", "< 30"),
        (f"HTML+PDF, {args.small} practices (s)", "pdf-small", "wall", ""),
        (f"HTML, {args.n} practices (s)", "html", "wall", ""),
        (f"HTML, {args.small} practices (s)", "html-small", "wall", ""),
        (f"CPU, HTML+PDF, {args.n} (s, all processes)", "pdf", "cpu", ""),
        (f"CPU, HTML, {args.n} (s)", "html", "cpu", ""),
        (f"peak RSS, HTML+PDF, {args.n} (MB)", "pdf", "rss", "flat in N"),
        (f"peak RSS, HTML+PDF, {args.small} (MB)", "pdf-small", "rss", ""),
        (f"peak RSS, HTML, {args.n} (MB)", "html", "rss", "flat in N"),
        (f"peak RSS, HTML, {args.small} (MB)", "html-small", "rss", ""),
    ]
    print()
    print(
        f"{'figure':<40} {'before':>9} {'after':>9} {'before/after':>12}  {'load b/a':>11}  target"
    )
    for name, key, what, target in rows:
        after = new[key][what]
        before = old[key][what] if old else float("nan")
        loads = (
            f"{old[key]['load']:.1f}/{new[key]['load']:.1f}" if old else f"{new[key]['load']:.1f}"
        )
        print(
            f"{name:<40} {before:>9.2f} {after:>9.2f} {before / after:>12.2f}  {loads:>11}  "
            f"{target}"
        )
    for version, got in figures.items():
        print(
            f"{version}: RSS growth from {args.small} to {args.n} practices: HTML "
            f"{got['html']['rss'] - got['html-small']['rss']:+.1f} MB, HTML+PDF "
            f"{got['pdf']['rss'] - got['pdf-small']['rss']:+.1f} MB; HTML+PDF "
            f"{got['pdf']['wall'] / args.n * 1000:.1f} ms and "
            f"{got['pdf']['cpu'] / args.n * 1000:.1f} ms CPU "
            f"a document; on an idle machine with {os.cpu_count()} cores at least "
            f"{got['pdf']['cpu'] / (os.cpu_count() or 1):.1f} s for {args.n}"
        )
    if not args.no_stages:
        stages(args.sample)


if __name__ == "__main__":
    main()
