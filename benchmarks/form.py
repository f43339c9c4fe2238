"""Benchmark the widget form, headless: build, pick a role, open tabs, refresh, typing bursts, open,
save.

    python benchmarks/form.py [--repeat 5] [--server]

Prints a table of median figures and ratios: a debounced burst of keystrokes (one refresh)
against refreshing on every keystroke, and a refresh against its parts (validate, render,
check). Widget counts show what sharing Layout and Style objects saves; message counts
(widgets opened and updated) show what a role pick costs the browser now that lists draw
their rows only when their tab opens. Browser-side figures (page load, role pick, Save,
Export in Chromium) come from the journey test, ``tests/form/test_browser.py``, which writes
them to ``test-artifacts/form-journey.json``. With ``--server``, ``jdkit form``'s server too:
Voila's start-up (until it listens), a page served (a fresh kernel runs the form notebook:
most of the page load but the browser's drawing of the widgets) and the stop, and the same
start-up for ``--lab``; Jupyter's folders go to a temporary one. Nothing here is asserted
in tests.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import ipywidgets as W  # noqa: E402

from jdkit import params  # noqa: E402
from jdkit.checks import check  # noqa: E402
from jdkit.form import Form  # noqa: E402
from jdkit.models import JobDescription  # noqa: E402
from jdkit.params import to_params, write as write_params  # noqa: E402
from jdkit.render import render  # noqa: E402

ROLE = "medical-office-manager"
EXAMPLE = ROOT / "params" / "hudson-cardiology.yaml"


def timed(func: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``func`` in milliseconds."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def widget_counts() -> tuple[int, int, int]:
    """(all widgets, Layout/Style widgets, controls and boxes) alive now."""
    kinds = collections.Counter(type(w).__name__ for w in W.widgets.widget._instances.values())
    styling = sum(n for k, n in kinds.items() if k == "Layout" or k.endswith("Style"))
    total = sum(kinds.values())
    return total, styling, total - styling


@contextlib.contextmanager
def messages() -> Iterator[collections.Counter[str]]:
    """Count the comm messages widgets send while the block runs: ``open`` and ``update``."""
    sent: collections.Counter[str] = collections.Counter()
    widget = W.widgets.widget.Widget
    send_state, opened = widget.send_state, widget.open

    def counting_send(self: Any, key: Any = None) -> Any:
        sent["update"] += 1
        return send_state(self, key)

    def counting_open(self: Any) -> Any:
        sent["open"] += 1
        return opened(self)

    widget.send_state, widget.open = counting_send, counting_open  # type: ignore[method-assign]
    try:
        yield sent
    finally:
        widget.send_state, widget.open = send_state, opened  # type: ignore[method-assign]


def server_rows(repeat: int) -> list[tuple[str, str, str]]:
    """``jdkit form``'s server: median start-up, page served and stop, for Voila and --lab."""
    from jdkit.form.server import start_server

    work = Path(tempfile.mkdtemp(prefix="jdkit-bench-server-"))
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        os.environ[name] = str(work / name.lower())
    starts: dict[bool, list[float]] = {False: [], True: []}
    pages: list[float] = []
    stops: list[float] = []
    try:
        for _ in range(repeat):
            for lab in (False, True):
                start = time.perf_counter()
                server = start_server(workdir=work, lab=lab)
                starts[lab].append(time.perf_counter() - start)
                try:
                    if not lab:
                        start = time.perf_counter()
                        with urllib.request.urlopen(server.url, timeout=120) as response:
                            response.read()
                        pages.append(time.perf_counter() - start)
                finally:
                    start = time.perf_counter()
                    server.stop()
                    if not lab:
                        stops.append(time.perf_counter() - start)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def ms(runs: list[float]) -> str:
        return f"{statistics.median(runs) * 1000:.0f} ms"

    return [
        ("server start-up, Voila (until it listens)", ms(starts[False]), ""),
        ("  a page served (a fresh kernel runs the notebook)", ms(pages), "then drawn"),
        ("  stop (SIGTERM, its kernel shut down)", ms(stops), ""),
        ("server start-up, --lab", ms(starts[True]), ""),
    ]


def main() -> None:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--server", action="store_true", help="also time jdkit form's server")
    options = parser.parse_args()
    repeat = options.repeat
    work = Path(tempfile.mkdtemp(prefix="jdkit-bench-form-"))
    rows: list[tuple[str, str, str]] = []
    if options.server:
        rows.extend(server_rows(repeat))

    build = timed(lambda: Form(work), repeat)
    rows.append(("build the form (no role)", f"{build:.0f} ms", ""))
    fresh = iter([Form(work) for _ in range(repeat)])  # built first: only the pick is timed
    first_pick = timed(lambda: next(fresh).pick_role(ROLE), repeat)
    rows.append(
        ("pick a role, first time", f"{first_pick:.0f} ms", "lists keep plain values until drawn")
    )
    before = widget_counts()
    form = Form(work)
    with messages() as sent:
        form.pick_role(ROLE)
    rows.append(
        (
            "  messages to the browser for that pick",
            f"{sum(sent.values())}",
            f"{sent['open']} widgets opened, {sent['update']} updates",
        )
    )
    pick = timed(lambda: form.pick_role(ROLE), repeat)
    rows.append(("pick a role again", f"{pick:.0f} ms", ""))
    with messages() as sent:
        start = time.perf_counter()
        for index in range(len(form.tabs.children)):
            form.tabs.selected_index = index
        tabs = (time.perf_counter() - start) * 1000
    rows.append(
        (
            "open every tab (draws every list)",
            f"{tabs:.0f} ms",
            f"{sent['open']} widgets opened, {sent['update']} updates",
        )
    )
    form.field("practice.name").control.value = "Birch Street Clinic"
    form.field("practice.state").control.value = "WA"
    total, styling, widgets = (
        after - was for after, was in zip(widget_counts(), before, strict=True)
    )
    naive = widgets * 2 + widgets  # unshared: each widget its own Layout, nearly each its own Style
    rows.append(
        (
            "widgets of one filled form, every tab open",
            f"{total}",
            f"{styling} new Layout/Style; ~{naive} if unshared (x{naive / total:.1f})",
        )
    )

    refresh = timed(form.refresh, repeat)
    model = form.model
    assert model is not None
    data = {**form.values(), "role": model.role.model_dump()}
    validate = timed(lambda: JobDescription.model_validate(data), repeat)
    html = timed(lambda: render(model, "html"), repeat)
    checks = timed(lambda: check(model), repeat)
    rows.append(("refresh: validate + preview + findings", f"{refresh:.1f} ms", ""))
    rows.append(("  validate", f"{validate:.1f} ms", f"{validate / refresh:.0%} of refresh"))
    rows.append(("  render html", f"{html:.1f} ms", f"{html / refresh:.0%} of refresh"))
    rows.append(("  check", f"{checks:.1f} ms", f"{checks / refresh:.0%} of refresh"))

    word = "Birch Street Family Clinic"
    name = form.field("practice.name").control

    def burst() -> None:  # no event loop here: every keystroke refreshes, as without the debounce
        for end in range(1, len(word) + 1):
            name.value = word[:end]

    undebounced = timed(burst, repeat)
    rows.append(
        (
            f"typing {len(word)} keys, refresh on each",
            f"{undebounced:.0f} ms",
            f"debounced: 1 refresh = {refresh:.1f} ms (x{undebounced / refresh:.0f} less work)",
        )
    )

    (work / "params").mkdir(exist_ok=True)
    shutil.copy(EXAMPLE, work / "params" / EXAMPLE.name)
    load = timed(lambda: form.open(f"params/{EXAMPLE.name}", ask=False), repeat)
    rows.append(("open a parameter file", f"{load:.0f} ms", EXAMPLE.name))
    model = form.model
    assert model is not None
    minimal = timed(lambda: to_params(model), repeat)
    save = timed(lambda: write_params(work / "params", model), repeat)
    lines = (work / "params" / f"{model.slug}.yaml").read_text().count("\n")
    full = len(params.yaml.safe_dump(model.model_dump(mode="json", exclude={"role"})).splitlines())
    rows.append(("minimal overrides (to_params)", f"{minimal:.1f} ms", ""))
    rows.append(
        (
            "save (overrides + YAML + atomic write)",
            f"{save:.1f} ms",
            f"{lines} lines vs {full} for the full model (x{full / lines:.0f} shorter)",
        )
    )

    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  {'median':>10}  notes (repeat={repeat})")
    for step, figure, note in rows:
        print(f"{step:<{width}}  {figure:>10}  {note}")


if __name__ == "__main__":
    main()
