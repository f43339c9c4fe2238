"""The form end to end: ``jdkit form`` on a free loopback port, Chromium driving it as a consultant would.

The journey: pick a role, type a practice, an invalid value (the preview goes stale, the
field is named and focused), the preview switched to the job posting and back, reload with unsaved edits (the leave-page prompt, then the
draft offered back), Open over edits (the question), Save, Export with an error (the draft
mark), a role change after Save, two reloads (the kernels end with their pages), and the
practice tab completed by keyboard alone. axe-core runs at every step and must find no
violation of serious or critical impact. Screenshots, the axe results and the step timings
go to ``test-artifacts/`` (git-ignored). The server's token and Host checks and its end on
any signal (SIGKILL, and SIGINT arriving ignored) are tested here too.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from jdkit.form.server import free_port
from tests.conftest import PARAMS, ROOT

pytestmark = pytest.mark.slow
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
START_TIMEOUT = 180  # seconds; the machine is shared, and Voila starts a kernel per page
ROLE = "Medical Office Manager (medical-office-manager)"
PRACTICE = "Aspen Valley Family Practice"


class Running:
    """A ``jdkit form`` process started by a test, with its URL and its stderr file."""

    def __init__(self, args: list[str], cwd: Path, *, ignore_sigint: bool = False) -> None:
        self.log = cwd / "form-server.log"
        self._log_handle = self.log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jdkit.cli", "form", "--no-browser", *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=self._log_handle,
            text=True,
            preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
            if ignore_sigint
            else None,
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(
            target=lambda: [lines.put(line) for line in self.process.stdout], daemon=True
        ).start()
        try:
            first = lines.get(timeout=START_TIMEOUT)
        except queue.Empty:
            self.stop()
            raise AssertionError(
                f"jdkit form printed no URL; its log:\n{self.log.read_text()}"
            ) from None
        match = re.search(r"(http://127\.0\.0\.1:(\d+)/\S*)", first)
        assert match, first
        self.url, self.port = match.group(1), int(match.group(2))
        self.token = self.url.split("token=", 1)[1] if "token=" in self.url else ""

    def interrupt(self) -> int:
        """Press Ctrl-C (SIGINT to jdkit only) and return its exit code."""
        self.process.send_signal(signal.SIGINT)
        return self.stop()

    def stop(self) -> int:
        """Wait for the process (killing it after 60 s) and close the log."""
        try:
            code = self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self._log_handle.close()
        return code


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(parent, []).append(int(entry))
    return tree


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid``."""
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    """The processes of ``pids`` still running (zombies count as gone)."""
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.add(pid)
    return out


def kernels(running: Running) -> list[int]:
    """The kernel processes of the form's server."""
    return [
        pid
        for pid in alive(descendants(running.process.pid))
        if b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


def wait_until(test: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if test():
            return True
        time.sleep(0.25)
    return test()


def _serves_http(port: int) -> bool:
    """True when an HTTP server answers on ``port`` (not just any socket that took the port)."""
    with socket.socket() as sock:
        sock.settimeout(3)
        if sock.connect_ex(("127.0.0.1", port)) != 0:
            return False
        try:
            sock.sendall(b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            return sock.recv(5) == b"HTTP/"
        except OSError:
            return False


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Running]:
    """``jdkit form`` on a free port, run from ``tmp_path`` (Save writes tmp_path/params), one example in params/."""
    (tmp_path / "params").mkdir()
    shutil.copy(PARAMS / "cedar-family-medicine.yaml", tmp_path / "params")
    running = Running(["--port", str(free_port())], tmp_path)
    yield running
    if running.process.poll() is None:
        running.interrupt()


@pytest.fixture(scope="module")
def axe_js() -> str:
    """axe-core's script, installed by scripts/ensure-axe (``npm install axe-core``) into .cache/axe when absent."""
    if not AXE.is_file():
        if shutil.which("npm") is None:
            pytest.skip("npm is not installed: cannot install axe-core")
        subprocess.run([str(ROOT / "scripts" / "ensure-axe")], check=True, timeout=300)
    return AXE.read_text(encoding="utf-8")


def in_chromium(scenario: Callable[[Any], None], width: int = 1440, height: int = 900) -> None:
    """Run ``scenario(page)`` in headless Debian Chromium, found as the PDF exporter finds it.

    Playwright's sync API refuses a thread with a running event loop (an earlier test in this
    worker may have left one), so the browser gets a thread of its own.
    """
    from playwright.sync_api import sync_playwright

    from jdkit.export.pdf import CHROMIUM_ARGS, find_chromium

    def run() -> None:
        with sync_playwright() as play:
            chromium = play.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            try:
                scenario(chromium.new_page(viewport={"width": width, "height": height}))
            finally:
                chromium.close()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(run).result()


class Journey:
    """The browser side of the journey: steps, their timings, axe results and screenshots."""

    def __init__(self, page: Any, running: Running, axe_js: str, work: Path) -> None:
        self.page, self.running, self.axe_js, self.work = page, running, axe_js, work
        self.timings: dict[str, float] = {}
        self.axe: dict[str, list[dict[str, Any]]] = {}
        self.dialogs: list[str] = []
        self.external: list[str] = []
        page.set_default_timeout(90_000)
        page.on("dialog", self._dialog)
        page.on(
            "request",
            lambda r: (
                self.external.append(r.url)
                if not r.url.startswith(
                    ("http://127.0.0.1", "data:", "blob:", "about:", "ws://127.0.0.1")
                )
                else None
            ),
        )

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.type)
        dialog.accept()

    def timed(self, name: str, action: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = action()
        self.timings[name] = round(time.perf_counter() - start, 3)
        return result

    def check(self, step: str) -> None:
        """axe-core on the page now; keep every violation, and a screenshot."""
        if not self.page.evaluate("typeof axe !== 'undefined'"):  # once per document loaded
            self.page.add_script_tag(content=self.axe_js)
        found = self.page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
            .violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))""")
        self.axe[step] = found
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"form-{len(self.axe):02d}-{step}.png"))

    def load(self, name: str = "page load to usable") -> None:
        def go() -> None:
            self.page.goto(self.running.url, timeout=START_TIMEOUT * 1000)
            self.usable()

        self.timed(name, go)

    def usable(self) -> None:
        self.page.wait_for_selector(".jdkit-role select", timeout=START_TIMEOUT * 1000)
        self.page.wait_for_selector(".jdkit-status span", timeout=START_TIMEOUT * 1000)

    def status(self, text: str) -> None:
        self.page.wait_for_selector(
            f".jdkit-status:has-text({json.dumps(text, ensure_ascii=False)})"
        )

    def srcdoc_has(self, text: str) -> None:
        self.page.wait_for_function(
            "t => (document.querySelector('iframe.jdkit-preview-frame') || {srcdoc: ''}).srcdoc.includes(t)",
            arg=text,
        )

    def question(self, starts: str) -> str:
        self.page.wait_for_selector(
            f".jdkit-question:has-text({json.dumps(starts, ensure_ascii=False)})"
        )
        return self.page.inner_text(".jdkit-question")

    def answer(self, label: str) -> None:
        self.page.click(f".jdkit-question button:has-text({json.dumps(label, ensure_ascii=False)})")

    def tab(self, title: str) -> None:
        self.page.click(
            f".jdkit-form .lm-TabBar-tab:has-text({json.dumps(title, ensure_ascii=False)})"
        )


def test_the_consultants_journey(served: Running, tmp_path: Path, axe_js: str) -> None:
    results: dict[str, Any] = {}

    def scenario(page: Any) -> None:
        journey = Journey(page, served, axe_js, tmp_path)
        try:
            journey_steps(journey)
        finally:
            results.update(
                timings=journey.timings,
                axe=journey.axe,
                dialogs=journey.dialogs,
                external=journey.external,
            )
            ARTIFACTS.mkdir(exist_ok=True)
            (ARTIFACTS / "form-journey.json").write_text(
                json.dumps(results, indent=2), encoding="utf-8"
            )

    in_chromium(scenario)
    serious = {
        step: [v for v in found if v["impact"] in ("serious", "critical")]
        for step, found in results["axe"].items()
    }
    assert {step: found for step, found in serious.items() if found} == {}
    assert len(results["axe"]) >= 10 and results["external"] == []  # nothing from a CDN
    start = time.monotonic()
    assert wait_until(lambda: len(kernels(served)) == 0, 90), (
        "the closed page's kernel is still running"
    )
    results["timings"]["kernel gone after the page closed"] = round(time.monotonic() - start, 1)
    (ARTIFACTS / "form-journey.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print("form journey timings (s):", json.dumps(results["timings"]))
    code = served.interrupt()
    assert code == 0, served.log.read_text()
    assert "stopped" in served.log.read_text() and not _serves_http(served.port)


# The form's visible controls that have neither a <label> nor an aria-label.
UNNAMED = """[...document.querySelectorAll('.jdkit-form input, .jdkit-form select, .jdkit-form textarea')]
    .filter(e => e.offsetParent !== null && !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))"""


def journey_steps(j: Journey) -> None:
    page, work = j.page, j.work
    j.load()
    assert "Pick a role" in page.inner_text(".jdkit-preview")
    assert page.get_attribute(".jdkit-form", "role") == "form"
    j.check("start")

    # Role pick: every field filled with the role's defaults; a new practice has no review date and no pay.
    j.timed(
        "role pick",
        lambda: (
            page.select_option(".jdkit-role select", label=ROLE),
            j.status("2 fields to fix: Practice & position › Practice › Name: fill it in"),
        ),
    )
    assert "fill it in" in page.inner_text(".jdkit-f-practice-name")
    j.tab("Statements & review")
    assert (
        page.input_value(".jdkit-f-review-last_reviewed input") == ""
    )  # a new practice: no review yet
    j.tab("Practice & position")
    j.check("role-picked")

    # Type a practice: the preview follows the keystrokes.
    page.select_option(".jdkit-f-practice-state select", label="CO Colorado")
    j.timed(
        "keystroke to preview",
        lambda: (page.fill(".jdkit-f-practice-name input", PRACTICE), j.srcdoc_has(PRACTICE)),
    )
    j.status("the preview and the score are up to date")
    preview = page.frame_locator("iframe.jdkit-preview-frame").locator("body").inner_text()
    assert (
        "To be set by the practice" in preview and "2026-10-15" not in preview
    )  # no review that never happened
    assert (
        page.get_attribute("iframe.jdkit-preview-frame", "title")
        == "Preview of the job description"
    )
    score = int(page.inner_text(".jdkit-score-value"))
    j.check("practice-typed")

    # An invalid value: the score and the preview are greyed and say so; the field is named and focused.
    j.tab("Compensation")
    assert "Market reference, not the practice's pay" in page.inner_text(".jdkit-market")
    page.fill(".jdkit-f-compensation-salary_max input", "99000")
    page.fill(".jdkit-f-compensation-salary_min input", "120000")
    j.status("1 field to fix: Compensation › Minimum pay")
    page.wait_for_selector(".jdkit-side.jdkit-stale")
    assert "Out of date" in page.inner_text(".jdkit-stale-note")
    assert "Compensation › Minimum pay" in page.inner_text(".jdkit-stale-note")
    assert "swap them" in page.inner_text(".jdkit-f-compensation-salary_min .jdkit-error")
    assert page.get_attribute(".jdkit-f-compensation-salary_min input", "aria-invalid") == "true"
    j.tab("Practice & position")
    page.click(".jdkit-fix")
    page.wait_for_function(
        "document.activeElement && document.activeElement.closest("
        "'.jdkit-f-compensation-salary_min') !== null"
    )
    j.check("invalid-value")
    page.fill(".jdkit-f-compensation-salary_min input", "75000")
    j.srcdoc_has("$75,000 to $99,000")
    page.wait_for_selector(".jdkit-side:not(.jdkit-stale)")
    page.wait_for_function(f"document.querySelector('.jdkit-score-value').textContent != '{score}'")
    assert (
        int(page.inner_text(".jdkit-score-value")) > score
    )  # the pay range is set: the score follows

    # The preview's switch: the job posting a candidate reads, then the description again.
    assert page.get_attribute(".jdkit-preview-kind", "aria-label") == "Preview shows"
    page.get_by_role("radio", name="Job posting").check()
    page.wait_for_selector("iframe.jdkit-preview-frame[title='Preview of the job posting']")
    j.srcdoc_has("What You Will Do")
    posting = page.frame_locator("iframe.jdkit-preview-frame").locator("body").inner_text()
    assert "$75,000 to $99,000" in posting and "Performance Metrics" not in posting
    j.check("posting-preview")
    page.get_by_role("radio", name="Job description").check()
    page.wait_for_selector("iframe.jdkit-preview-frame[title='Preview of the job description']")

    # Reload with unsaved edits: the browser asks first; the draft is offered back and restored.
    draft = work / "params" / ".drafts" / "aspen-valley-family-practice-medical-office-manager.yaml"
    assert wait_until(
        lambda: draft.is_file() and "75000" in draft.read_text(encoding="utf-8"), 30
    ), "no draft"
    page.wait_for_selector(".jdkit-form.jdkit-unsaved", state="attached")
    page.reload()
    j.usable()
    assert j.dialogs == ["beforeunload"]
    assert (
        "Unsaved edits to Aspen Valley Family Practice (Medical Office Manager) were kept as a draft"
        in j.question("Unsaved edits to")
    )
    j.check("draft-offered")
    j.answer("Restore the draft")
    j.srcdoc_has("$75,000 to $99,000")
    assert page.input_value(".jdkit-f-practice-name input") == PRACTICE

    # Open over unsaved edits: the question lists every field that would change, with both values.
    page.fill(".jdkit-open-path input", "params/cedar-family-medicine.yaml")
    page.click(".jdkit-open")
    asked = j.question("Open params/cedar-family-medicine.yaml?")
    name = "Practice & position › Practice › Name"
    assert f"{name}: “Aspen Valley Family Practice” now, “Cedar Family Medicine” after" in asked
    assert "Compensation › Minimum pay: 75,000 now" in asked
    j.check("open-asks")
    j.answer("Cancel")
    j.status("Not opened")
    assert page.input_value(".jdkit-f-practice-name input") == PRACTICE

    # Save: written, the draft gone, the page no longer asks before leaving.
    saved = work / "params" / "aspen-valley-family-practice-medical-office-manager.yaml"
    j.timed("save", lambda: (page.click(".jdkit-save"), j.status(f"Saved params/{saved.name}")))
    assert yaml.safe_load(saved.read_text(encoding="utf-8"))["compensation"] == {
        "salary_min": 75000,
        "salary_max": 99000,
    }
    assert not draft.exists()
    page.wait_for_selector(".jdkit-form:not(.jdkit-unsaved)", state="attached")
    assert page.input_value(".jdkit-open-path input") == f"params/{saved.name}"

    # Export with an error: asked first, the files marked as drafts, the result in the warning colour.
    page.click(".jdkit-export")
    assert "error" in j.question("This document has")
    j.check("export-asks")
    j.timed("export", lambda: (j.answer("Export as a draft"), j.status("Exported 3 draft files")))
    assert page.get_attribute(".jdkit-status span", "class") == "jdkit-status-warn"
    drafts = sorted(p.name for p in (work / "out").iterdir())
    assert drafts == [
        f"aspen-valley-family-practice-medical-office-manager-draft{e}"
        for e in (".docx", ".html", ".pdf")
    ]
    assert "Draft: not publishable" in (work / "out" / drafts[1]).read_text(encoding="utf-8")
    j.check("exported-draft")

    # A role change after Save: no "save first"; the dropdown keeps the new role; Save asks where.
    page.select_option(
        ".jdkit-role select", label="Practice Administrator (practice-administrator)"
    )
    asked = j.question("Practice Administrator is another job description")
    assert "Save first" not in page.inner_text("body")
    assert page.eval_on_selector(".jdkit-role select", "s => s.value").startswith(
        "Practice Administrator"
    )
    j.check("role-change-asks")
    j.answer("Save to a new file")
    page.click(".jdkit-save")
    j.status("Saved params/aspen-valley-family-practice-practice-administrator.yaml")
    assert yaml.safe_load(saved.read_text(encoding="utf-8"))["role"] == "medical-office-manager"

    # Every tab: each control has an accessible name, each list row is a named group, no title="null".
    titles = page.eval_on_selector_all(
        ".jdkit-form .lm-TabBar-tab", "tabs => tabs.map(t => t.textContent)"
    )
    for title in titles:
        j.tab(title)
        page.wait_for_selector(
            f".jdkit-form .lm-TabBar-tab.lm-mod-current:has-text({json.dumps(title)})"
        )
        if title in ("Responsibilities", "Required Skills", "Performance Metrics"):
            page.wait_for_selector(".jdkit-row:visible")
            # the rows' views render over several tasks, and page.py names each control as its
            # class arrives: check once every visible control has its name
            page.wait_for_function(f"() => ({UNNAMED}).length === 0")
            j.check(f"tab-{title.split()[-1].lower()}")
    assert page.evaluate(f"({UNNAMED}).map(e => e.outerHTML.slice(0, 80))") == []
    assert page.evaluate("document.querySelectorAll('[title=null]').length") == 0
    assert page.evaluate(
        "[...document.querySelectorAll('.jdkit-row')].every(r => r.getAttribute('role') === 'group'"
        " && r.getAttribute('aria-label'))"
    )
    assert page.get_attribute(".jdkit-f-metrics-remove >> nth=2", "aria-label").startswith(
        "Remove metric 3: "
    )
    j.tab("Practice & position")

    # Upload: a file over the limit is refused in the browser, before anything is sent.
    big = work / "big.yaml"
    big.write_bytes(b"# padding\n" * 200_000)
    with page.expect_file_chooser() as chooser:
        page.click(".jdkit-upload")
    chooser.value.set_files(str(big))
    j.status("big.yaml was not uploaded: it is 2.0 MB, and a parameter file can be at most 1.0 MB.")

    # Two reloads (four pages opened so far): each page's kernel ends with it; at most the open
    # page's (and one starting) remain. One reload more than the draft's proves they do not pile up.
    for index in range(2):
        j.timed(f"reload {index + 1}", lambda: (page.reload(), j.usable()))
    assert wait_until(lambda: len(kernels(j.running)) <= 2, 30), kernels(j.running)
    j.timings["kernels after two reloads"] = len(kernels(j.running))
    j.check("after-reloads")

    # Keyboard only, on the page the last reload opened: pick a role and complete the practice
    # tab without the mouse.
    page.keyboard.press("Tab")
    for _ in range(10):
        if page.evaluate("document.activeElement.closest('.jdkit-role') !== null"):
            break
        page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert float(outline.removesuffix("px")) >= 3, outline  # the focus ring: 3 px ...
    assert (
        page.evaluate("getComputedStyle(document.activeElement).outlineColor") == "rgb(26, 79, 160)"
    )  # 7.9:1
    for _ in range(6):  # arrow keys pass over the roles; the one they stop at is picked
        page.keyboard.press("ArrowDown")
    j.status("fields to fix")
    picked = page.eval_on_selector(".jdkit-role select", "s => s.value")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.jdkit-f-practice-name') !== null"):
            break
    page.keyboard.type("Juniper Clinic")
    page.keyboard.press("Tab")  # to State: type-ahead picks Oregon
    page.keyboard.type("OR")
    page.keyboard.press("Tab")
    page.keyboard.type("Portland")
    page.keyboard.press("Tab")
    j.srcdoc_has("Juniper Clinic")
    j.status("the preview and the score are up to date")
    assert page.input_value(".jdkit-f-practice-city input") == "Portland"
    assert page.eval_on_selector(".jdkit-f-practice-state select", "s => s.value") == "OR Oregon"
    assert (
        picked.split(" (")[0]
        in page.frame_locator("iframe.jdkit-preview-frame").locator("h1").inner_text()
    )
    j.check("keyboard-only")
    # At desktop width the page itself does not scroll: the fields and the preview side each do.
    assert page.evaluate("document.scrollingElement.scrollHeight <= innerHeight + 1")
    for column in (".jdkit-fields", ".jdkit-side"):
        assert (
            page.evaluate(f"getComputedStyle(document.querySelector('{column}')).overflowY")
            == "auto"
        )
    assert page.evaluate(
        "(() => { const f = document.querySelector('.jdkit-fields');"
        " return f.scrollHeight > f.clientHeight; })()"
    )
    page.set_viewport_size(
        {"width": 900, "height": 900}
    )  # below 1000 px: stacked, the score bar sticky
    page.evaluate(
        "document.querySelector('.jdkit-f-position-schedule').scrollIntoView({block: 'center'})"
    )
    top = page.evaluate("document.querySelector('.jdkit-scorebar-box').getBoundingClientRect().top")
    assert 0 <= top <= 60, top  # still in view while the fields scroll under it
    j.check("narrow")
    page.goto("about:blank")  # the consultant leaves the page: its kernel ends at once
    page.close()


def test_the_server_wants_its_token_and_a_loopback_host(served: Running) -> None:
    base = f"http://127.0.0.1:{served.port}/"

    def status(url: str, host: str | None = None) -> int:
        request = urllib.request.Request(url, headers={"Host": host} if host else {})
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=60) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)

    assert served.token and served.url == f"{base}?token={served.token}"
    assert status(base) in (302, 403)  # no token: sent to log in, no kernel started
    assert status(f"{base}?token=wrong") in (302, 403)
    assert status(served.url, host=f"evil.example:{served.port}") == 403  # DNS rebinding
    assert status(f"{base}voila/static/voila.js", host="evil.example") == 403
    assert kernels(served) == []  # none of these started a kernel
    assert status(served.url, host=f"localhost:{served.port}") == 200


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def test_no_token_opts_out(tmp_path: Path) -> None:
    running = Running(["--no-token", "--port", str(free_port())], tmp_path)
    try:
        assert running.url == f"http://127.0.0.1:{running.port}/"
        with urllib.request.urlopen(running.url, timeout=120) as response:
            assert response.status == 200 and b"jdkit" in response.read()
    finally:
        assert running.interrupt() == 0


@pytest.mark.parametrize("how", ["SIGKILL", "SIGINT-ignored"])
def test_voila_and_its_kernels_end_with_jdkit_form_however_it_ends(
    tmp_path: Path, how: str
) -> None:
    running = Running(["--port", str(free_port())], tmp_path, ignore_sigint=how == "SIGINT-ignored")
    with urllib.request.urlopen(
        running.url, timeout=START_TIMEOUT
    ) as response:  # a page: a kernel starts
        assert response.status == 200
    assert wait_until(lambda: len(kernels(running)) == 1, 60)
    family = descendants(running.process.pid)
    assert family, "no server process"
    if how == "SIGKILL":
        running.process.kill()
        running.stop()
    else:
        assert running.interrupt() == 0
    assert wait_until(lambda: not alive(family), 15), f"left running: {alive(family)}"
    # The port may be taken again at once by another test's process (a kernel's ZMQ socket binds
    # free ports): what must be gone is an HTTP server there, which only Voila would be.
    assert wait_until(lambda: not _serves_http(running.port), 10), (
        "a web server still holds the form's port"
    )


def test_a_port_in_use_is_one_line_and_exit_2(runner) -> None:
    from jdkit.cli import cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(cli, ["form", "--port", str(port), "--no-browser"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"error: --port: port {port} on 127.0.0.1 is already in use "
        "(fix: pick another with --port, or leave --port out to use a free one)"
    )


def test_lab_serves_the_form_notebook_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    running = Running(["--lab", "--port", str(free_port())], tmp_path)
    try:
        assert "/lab/tree/form.ipynb?token=" in running.url
        api = f"http://127.0.0.1:{running.port}/api/contents/form.ipynb?token={running.token}"
        with urllib.request.urlopen(api, timeout=60) as response:
            notebook = yaml.safe_load(response.read())  # JSON is YAML
        sources = "".join(cell["source"] for cell in notebook["content"]["cells"])
        assert "Form.from_env()" in sources
        with urllib.request.urlopen(running.url, timeout=60) as response:
            assert response.status == 200 and b"JupyterLab" in response.read()
    finally:
        code = running.interrupt()
    assert code == 0, running.log.read_text()
    assert not _serves_http(running.port)
    assert os.environ["JUPYTER_RUNTIME_DIR"]  # conftest kept Jupyter's files in a temp folder
