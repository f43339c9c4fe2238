"""Benchmark the direct render path: documents per second, start-up, one-file wall time, memory.

    python benchmarks/render.py [-n 1000] [--repeat 5]

Prints a table of figures, each against its target from issue 2, and the ratio between
the fast path and the naive alternative (a fresh Jinja2 environment per document).
Run it on a quiet machine; nothing here is asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, best_of, practices, wall

from jdkit import params
from jdkit.render import environment, render


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="documents to render (default 1000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per wall-time figure (default 5)")
    args = parser.parse_args()

    sets = practices(args.n)
    start = time.perf_counter()
    models = [params.build(p) for p in sets]
    build_s = time.perf_counter() - start

    html_s = best_of(3, lambda: [render(m, "html") for m in models])
    md_s = best_of(3, lambda: [render(m, "md") for m in models])
    both_s = build_s + html_s + md_s

    def naive() -> None:  # what a script without a cached environment does
        for m in models[: max(1, args.n // 10)]:
            environment.cache_clear()
            render(m, "html")

    naive_per_doc = best_of(3, naive) / max(1, args.n // 10)
    environment.cache_clear()

    py = sys.executable
    import_best, import_med = wall([py, "-c", "import jdkit"], args.repeat)
    models_best, _ = wall([py, "-c", "import jdkit.params"], args.repeat)
    bare_best, _ = wall([py, "-c", "pass"], args.repeat)
    jdkit_exe = str(Path(py).with_name("jdkit"))
    with tempfile.TemporaryDirectory() as out:
        example = str(sorted((ROOT / "params").glob("*.yaml"))[0])
        render_best, render_med = wall([jdkit_exe, "render", example, "--to", "html", "--out", out], args.repeat)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    rows = [
        ("validate + merge (docs/s)", args.n / build_s, ">= 500", ""),
        ("render HTML (docs/s)", args.n / html_s, ">= 500", f"{naive_per_doc / (html_s / args.n):.0f}x naive"),
        ("render Markdown (docs/s)", args.n / md_s, "", ""),
        ("build + HTML + MD (docs/s)", args.n / both_s, "", ""),
        ("import jdkit (s, best/median)", import_best - bare_best, "<= 0.15",
         f"{import_med - bare_best:.3f} median"),
        ("import jdkit.params (s)", models_best - bare_best, "", "pydantic models, YAML, role library"),
        ("jdkit render 1 file cold (s)", render_best, "<= 0.4", f"{render_med:.3f} median"),
        ("peak memory (MB)", peak_mb, "", f"{args.n} models held"),
    ]
    print(f"jdkit render benchmark: {args.n} documents, Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    print(f"{'figure':<32} {'value':>10}  {'target':<8}  note")
    for name, value, target, note in rows:
        print(f"{name:<32} {value:>10.3f}  {target:<8}  {note}")
    print("naive = a fresh Jinja2 environment (template compile) for every document;"
          " import time is net of bare interpreter start-up")


if __name__ == "__main__":
    main()
