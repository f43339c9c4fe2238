"""The form end to end: ``jdkit form`` serving Voila on a free loopback port, Chromium driving it.

A screenshot of the filled-in form is kept in ``test-artifacts/form-e2e.png``.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from jdkit.form.server import free_port
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
ARTIFACTS = ROOT / "test-artifacts"
START_TIMEOUT = 180  # seconds; the machine is shared, and Voila starts a kernel per page


class Running:
    """A ``jdkit form`` process started by a test, with its URL and its stderr file."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        self.log = cwd / "form-server.log"
        self._log_handle = self.log.open("wb")
        self.process = subprocess.Popen([sys.executable, "-m", "jdkit.cli", "form", "--no-browser", *args],
                                        cwd=cwd, stdout=subprocess.PIPE, stderr=self._log_handle, text=True)
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in self.process.stdout], daemon=True).start()
        try:
            first = lines.get(timeout=START_TIMEOUT)
        except queue.Empty:
            self.stop()
            raise AssertionError(f"jdkit form printed no URL; its log:\n{self.log.read_text()}") from None
        match = re.search(r"(http://127\.0\.0\.1:(\d+)/\S*)", first)
        assert match, first
        self.url, self.port = match.group(1), int(match.group(2))

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


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Running]:
    """``jdkit form`` on a free port, run from ``tmp_path`` (so Save writes tmp_path/params)."""
    running = Running(["--port", str(free_port())], tmp_path)
    yield running
    if running.process.poll() is None:
        running.interrupt()


def in_chromium(scenario: Callable[[Any], None]) -> None:
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
                scenario(chromium.new_page(viewport={"width": 1500, "height": 1100}))
            finally:
                chromium.close()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(run).result()


def test_fill_in_the_form_in_a_browser_save_and_check(served: Running, tmp_path: Path) -> None:
    in_chromium(lambda page: fill_in_and_save(page, served.url))
    saved = tmp_path / "params" / "aspen-valley-family-practice-medical-office-manager.yaml"
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert data["practice"] == {"name": "Aspen Valley Family Practice", "state": "CO"}
    assert data["compensation"] == {"salary_min": 75000, "salary_max": 99000}

    checked = subprocess.run([sys.executable, "-m", "jdkit.cli", "check", str(saved)],
                             capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert checked.returncode in (0, 1), checked.stderr  # 1 only for error-level findings; never bad input
    assert "error:" not in checked.stderr
    assert "Aspen Valley Family Practice" in checked.stdout or saved.name in checked.stdout

    code = served.interrupt()
    assert code == 0, served.log.read_text()
    assert "stopped" in served.log.read_text()
    assert not _listening(served.port)


def fill_in_and_save(page: Any, url: str) -> None:
    """Pick a role, type a practice and a pay range, watch preview and score, save."""
    page.set_default_timeout(90_000)
    page.goto(url, timeout=START_TIMEOUT * 1000)
    assert "Pick a role" in page.inner_text(".jdkit-preview")

    page.select_option(".jdkit-role select", value="Medical Office Manager (medical-office-manager)")
    page.wait_for_selector(".jdkit-status:has-text('field(s) to fix')")
    assert "String should have at least 1 character" in page.inner_text(".jdkit-f-practice-name")

    page.fill(".jdkit-f-practice-name input", "Aspen Valley Family Practice")
    page.select_option(".jdkit-f-practice-state select", value="CO Colorado")
    page.wait_for_selector(".jdkit-status:has-text('valid')")
    preview = page.frame_locator("iframe.jdkit-preview-frame")
    assert "Aspen Valley Family Practice" in preview.locator("body").inner_text()
    # The role holds no pay: the document says so, and Colorado's law makes it an error finding.
    assert "To be set by the practice" in preview.locator("body").inner_text()
    without_range = int(page.inner_text(".jdkit-score-value"))
    assert "pay range" in page.inner_text(".jdkit-findings").lower()
    page.click(".jdkit-form .lm-TabBar-tab:has-text('Compensation')")
    assert page.input_value(".jdkit-f-compensation-salary_min input[type=number]") in ("", "0")

    # A minimum above the maximum: the model's message beside the compensation fields.
    page.fill(".jdkit-f-compensation-salary_max input[type=number]", "99000")
    page.fill(".jdkit-f-compensation-salary_min input[type=number]", "120000")
    page.press(".jdkit-f-compensation-salary_min input[type=number]", "Tab")
    page.wait_for_selector(".jdkit-f-compensation .jdkit-error:has-text('swap them')")
    assert "Traceback" not in page.inner_text("body")

    # Typing a range ticks both fields as set: the preview and the score follow.
    page.fill(".jdkit-f-compensation-salary_min input[type=number]", "75000")
    page.press(".jdkit-f-compensation-salary_min input[type=number]", "Tab")
    page.wait_for_selector(".jdkit-status:has-text('valid')")
    page.wait_for_function("document.querySelector('iframe.jdkit-preview-frame')"
                           ".srcdoc.includes('$75,000 to $99,000')")
    assert "$75,000 to $99,000" in preview.locator("body").inner_text()
    assert page.locator(".jdkit-f-compensation .jdkit-error").count() == 0
    page.wait_for_function(f"document.querySelector('.jdkit-score-value').textContent != '{without_range}'")
    assert int(page.inner_text(".jdkit-score-value")) > without_range

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "form-e2e.png"), full_page=False)

    page.click(".jdkit-save")
    page.wait_for_selector(".jdkit-status:has-text('saved params/aspen-valley-family-practice')")


def test_a_port_in_use_is_one_line_and_exit_2(runner) -> None:
    from jdkit.cli import cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(cli, ["form", "--port", str(port), "--no-browser"])
    assert result.exit_code == 2
    assert result.output.strip() == (f"error: --port: port {port} on 127.0.0.1 is already in use "
                                     "(fix: pick another with --port, or leave --port out to use a free one)")


def test_lab_serves_the_form_notebook_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    running = Running(["--lab", "--port", str(free_port())], tmp_path)
    try:
        assert "/lab/tree/form.ipynb?token=" in running.url
        token = running.url.rsplit("token=", 1)[1]
        api = f"http://127.0.0.1:{running.port}/api/contents/form.ipynb?token={token}"
        with urllib.request.urlopen(api, timeout=60) as response:
            notebook = yaml.safe_load(response.read())  # JSON is YAML
        sources = "".join(cell["source"] for cell in notebook["content"]["cells"])
        assert "Form.from_env()" in sources
        with urllib.request.urlopen(running.url, timeout=60) as response:
            assert response.status == 200 and b"JupyterLab" in response.read()
    finally:
        code = running.interrupt()
    assert code == 0, running.log.read_text()
    assert not _listening(running.port)
    assert os.environ["JUPYTER_RUNTIME_DIR"]  # conftest kept Jupyter's files in a temp folder
