"""PDF: ``jupyter nbconvert --to jdkit-pdf``, the Chromium printer and ``jdkit.export``'s pdf format."""

from __future__ import annotations

import functools
import io
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pypdf
import pytest

from jdkit.errors import ExportError
from jdkit.export import export
from jdkit.export.pdf import DEBIAN_CHROMIUMS, find_chromium
from jdkit.models import SECTIONS
from jdkit.params import load

from ..conftest import PARAMS

pytestmark = pytest.mark.slow
JUPYTER = str(Path(sys.executable).parent / "jupyter")
LETTER = (612, 792)
A4 = (595.92, 842.88)


@functools.lru_cache(maxsize=8)  # pypdf takes seconds on a job description, read by several tests
def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFKC", text)  # Chromium sets "ffi" and the like as ligatures


# The printer's own tests (threads, browsers, crashes, restarts) print a one-line page each: what
# they prove does not depend on the document, and a job description costs ~1 s of Chromium and pypdf.
# The job description itself is printed by the nbconvert, export and plain-browser tests here.
NAMES = [f"{tree} Clinic" for tree in ("Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir")]


def _one_line(name: str) -> str:
    """A whole HTML document of one line, titled ``name``."""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{name}</title></head>'
        f"<body><p>{name}</p></body></html>"
    )


def _size(pdf: bytes) -> tuple[float, float]:
    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width), 2), round(float(box.height), 2)


def _nbconvert(
    notebook: Path, out: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            JUPYTER,
            "nbconvert",
            "--to",
            "jdkit-pdf",
            "--output-dir",
            str(out),
            *extra,
            str(notebook),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=out,
        env=env,
    )


@pytest.fixture(scope="module")
def letter_pdf(executed_notebook: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("pdf")
    proc = _nbconvert(executed_notebook, out)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return (out / "cedar.pdf").read_bytes()


def test_jdkit_pdf_holds_the_practice_and_every_section(letter_pdf: bytes) -> None:
    assert letter_pdf.startswith(b"%PDF-")
    text = _text(letter_pdf)
    assert "Cedar Family Medicine" in text
    assert "Medical Office Manager" in text
    for _, heading in SECTIONS:
        assert heading in text, heading
    assert _size(letter_pdf) == LETTER
    # the document the practice signs, laid out as jdkit render prints it: the pay chart stays on screen
    assert len(pypdf.PdfReader(io.BytesIO(letter_pdf)).pages) <= 6 and "market band" not in text
    info = pypdf.PdfReader(io.BytesIO(letter_pdf)).metadata  # from the notebook's output metadata
    assert (info.title, info.author, info.creator) == (
        "Medical Office Manager · Cedar Family Medicine",
        "Cedar Family Medicine",
        "jdkit",
    )
    assert info.subject.startswith(
        "Job description for the Medical Office Manager at Cedar Family Medicine"
    )


def test_pages_are_numbered_in_the_footer(letter_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(letter_pdf))
    count = len(reader.pages)
    assert count >= 2
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {count}" in page.extract_text()


def test_pdf_hides_code_and_findings(letter_pdf: bytes) -> None:
    text = _text(letter_pdf)
    for hidden in ("model_from", "import jdkit", "jdkit_source", "score 1", "finding(s)"):
        assert hidden not in text


def test_paper_a4(executed_notebook: Path, tmp_path: Path) -> None:
    proc = _nbconvert(executed_notebook, tmp_path, "--paper", "A4")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert _size((tmp_path / "cedar.pdf").read_bytes()) == A4


def test_no_chromium_is_one_line_saying_how_to_install(
    executed_notebook: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "JDKIT_CHROMIUM": str(tmp_path / "no-such-chromium")}
    proc = _nbconvert(executed_notebook, tmp_path, env=env)
    assert proc.returncode != 0
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in proc.stderr
    assert "apt-get install -y chromium" in errors[0] and "no-such-chromium" in errors[0]
    assert not (tmp_path / "cedar.pdf").exists()


def test_find_chromium_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("JDKIT_CHROMIUM", str(fake))
    assert find_chromium() == str(fake)
    fake.chmod(0o644)  # not executable: an error naming the variable, not a silent fallback
    with pytest.raises(ExportError, match="JDKIT_CHROMIUM"):
        find_chromium()
    monkeypatch.delenv("JDKIT_CHROMIUM")
    installed = [path for path in DEBIAN_CHROMIUMS if os.access(path, os.X_OK)]
    if installed:  # Debian's headless shell before its full browser
        assert find_chromium() == installed[0]


def test_export_pdf_format_of_jdkit_render() -> None:
    model = load(PARAMS / "pacific-dermatology.yaml")
    body, resources = export(model, "pdf", paper="A4")
    assert resources["extension"] == ".pdf" and resources["paper"] == "A4"
    assert _size(body) == A4
    text = _text(body)
    assert "Pacific Dermatology" in text
    for _, heading in SECTIONS:
        assert heading in text
    with pytest.raises(ExportError, match="paper"):
        export(model, "pdf", paper="A3")


def test_printer_serves_many_threads_at_once_each_its_own_document() -> None:
    """One browser, two pages, four threads: every PDF is the document its caller sent."""
    import concurrent.futures as cf

    from jdkit.export.pdf import Printer

    names = NAMES
    with Printer(pages=2) as printer, cf.ThreadPoolExecutor(4) as pool:
        pdfs = list(
            pool.map(lambda name: printer.print_html(_one_line(name), paper="A4"), names * 2)
        )
    for name, pdf in zip(names * 2, pdfs, strict=True):
        text = _text(pdf)
        assert name in text
        assert not [other for other in names if other != name and other in text]
        assert _size(pdf) == A4


def test_printers_spread_prints_over_one_browser_each_and_every_pdf_is_its_own_document(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``jdkit render``'s printer: a browser per core, each print to the least busy one."""
    import threading

    from jdkit.export.pdf import (
        Paper,
        Printer,
        Printers,
        PrintJob,
        default_browsers,
        shared_printer,
    )

    assert (
        isinstance(shared_printer(), Printers) and shared_printer().pages == default_browsers() >= 1
    )
    names = NAMES
    took: list[int] = []  # the browser each print went to

    def counted(index: int, printer: Printer) -> None:
        submit = printer.submit

        def spy(html: str, *, paper: Paper = "Letter") -> PrintJob:
            took.append(index)
            return submit(html, paper=paper)

        monkeypatch.setattr(printer, "submit", spy)

    with Printers(browsers=2) as printers:
        assert printers.pages == 2 and len(printers.printers) == 2 and printers.busy == (0, 0)
        for index, printer in enumerate(printers.printers):
            counted(index, printer)
        jobs = [
            printers.submit(_one_line(name)) for name in names
        ]  # all at once: both browsers take some
        pdfs = [job.result(timeout=300) for job in jobs]
        assert sorted(set(took)) == [0, 1] and len(took) == len(names)
        ended = threading.Semaphore(0)
        for job in jobs:  # runs after Printers' own callback, which ends the print's count
            job.add_done_callback(lambda _: ended.release())
        assert all(ended.acquire(timeout=5) for _ in jobs)
        assert printers.busy == (0, 0)  # every print ended: no browser still counted busy
    for name, pdf in zip(names, pdfs, strict=True):
        text = _text(pdf)
        assert name in text and not [other for other in names if other != name and other in text]


def test_printer_without_screen_frames_prints_what_a_plain_browser_prints() -> None:
    """PRINT_ARGS (no on-screen frames) must not change a page: same pages, same text on each."""
    from playwright.sync_api import sync_playwright

    from jdkit.export.pdf import CHROMIUM_ARGS, VIEWPORT, Printer
    from jdkit.render import render

    html = render(load(PARAMS / "hudson-cardiology.yaml"), "html")
    with Printer(pages=1) as printer:
        ours = printer.print_html(html, paper="Letter")
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        page.set_content(html, wait_until="load")
        plain = page.pdf(format="Letter", print_background=True)
        browser.close()
    ours_pages, plain_pages = (
        pypdf.PdfReader(io.BytesIO(ours)).pages,
        pypdf.PdfReader(io.BytesIO(plain)).pages,
    )
    assert len(ours_pages) == len(plain_pages) > 1
    assert [p.extract_text() for p in ours_pages] == [p.extract_text() for p in plain_pages]


def test_printer_works_inside_a_running_event_loop() -> None:
    """As in a Jupyter kernel (the form's Export), where Playwright's sync API refuses to run."""
    import asyncio

    from jdkit.export.pdf import shared_printer
    from jdkit.render import render

    model = load(PARAMS / "cedar-family-medicine.yaml")

    async def inside() -> bytes:
        return shared_printer().print_html(render(model, "html"))

    assert "Cedar Family Medicine" in _text(asyncio.run(inside()))


def test_batch_without_chromium_stops_before_any_notebook(
    runner,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from jdkit.cli import cli

    monkeypatch.setenv("JDKIT_CHROMIUM", str(tmp_path / "no-such-chromium"))
    out = tmp_path / "out"
    result = runner.invoke(cli, ["batch", str(PARAMS), "--out", str(out), "--to", "html,pdf"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert (
        len(lines) == 1
        and "no-such-chromium" in lines[0]
        and "apt-get install -y chromium" in lines[0]
    )
    assert not out.exists()


def _chromium(kind: str | None) -> list:  # type: ignore[type-arg]
    """This process's Chromium processes: the browser (``kind=None``) or those of ``--type=kind``."""
    import psutil

    found = []
    for proc in psutil.Process().children(recursive=True):
        try:
            line = " ".join(proc.cmdline())
        except psutil.Error:  # a short-lived helper that is already gone
            continue
        if "chrom" in line and (
            (kind is None and "--type=" not in line) or (kind and f"--type={kind}" in line)
        ):
            found.append(proc)
    return found


@pytest.mark.parametrize("kind", ["renderer", None], ids=["renderer-killed", "browser-killed"])
def test_printer_survives_a_crashed_page_or_browser(kind: str | None) -> None:
    """A batch's one browser must not fail every later practice when it crashes: the printer
    replaces the page, or relaunches the browser, and prints the next documents."""
    from jdkit.export.pdf import Printer

    html = _one_line("Cedar Family Medicine")
    with Printer(pages=2) as printer:
        assert "Cedar Family Medicine" in _text(printer.print_html(html))
        victims = _chromium(kind)
        assert victims
        for proc in victims:
            proc.kill()
        pdfs = [future.result(timeout=120) for future in [printer.submit(html) for _ in range(4)]]
    assert all("Cedar Family Medicine" in _text(pdf) for pdf in pdfs)


def test_printer_starts_again_after_close() -> None:
    from jdkit.export.pdf import Printer

    html = _one_line("Lone Star Pediatrics")
    printer = Printer(pages=1)
    try:
        first = printer.print_html(html)
        printer.close()
        job = printer.submit(html)  # a new thread, loop and browser
        second = job.result(timeout=120)
    finally:
        printer.close()
    assert "Lone Star Pediatrics" in _text(first) and _text(first) == _text(second)
    assert job.seconds > 0  # the browser's own time on it was recorded


def test_nbconvert_pdf_is_tagged_and_passes_pdfua(letter_pdf: bytes, tmp_path: Path) -> None:
    import pikepdf

    path = tmp_path / "cedar.pdf"
    path.write_bytes(letter_pdf)
    done = subprocess.run(
        [str(Path(sys.executable).with_name("pdfua")), "check", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode in (0, 1, 2), done.stdout  # 3: an ERROR-level finding
    with pikepdf.open(path) as pdf:
        assert (
            str(pdf.Root.Lang) == "en" and "/StructTreeRoot" in pdf.Root and "/Outlines" in pdf.Root
        )


def test_printer_closed_while_its_browsers_start_leaves_none_running() -> None:
    """``close`` right after ``start(wait=False)`` waits for the launches, then closes what they
    opened."""
    from jdkit.export.pdf import Printers

    others = {p.pid for p in _chromium(None)}  # the shared printer's, say, of an earlier test
    printers = Printers(browsers=2)
    printers.start(wait=False)
    printers.close()
    assert [p.pid for p in _chromium(None) if p.pid not in others and _alive(p)] == []


def _alive(process) -> bool:  # type: ignore[no-untyped-def]
    import psutil

    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:  # gone meanwhile
        return False


def test_a_document_with_a_script_is_laid_out_as_it_loads() -> None:
    """The printer skips the screen layout of what it loads (``_UNLAID``), but not for a document
    whose scripts may measure the page as it loads (a notebook's chart): they see its real width."""
    from jdkit.export.pdf import _UNLAID, Printer, _for_print

    plain = _one_line("Alder Clinic")
    assert _for_print(plain).count(_UNLAID) == 1 and _for_print(plain).replace(_UNLAID, "") == plain
    json_ld = plain.replace("</head>", '<script type="application/ld+json">{}</script></head>')
    assert _UNLAID in _for_print(json_ld)  # data, not a script that runs
    measuring = plain.replace(
        "</body>",
        "<p id=w>w</p><script>addEventListener('load', () => "
        "document.body.append('width ' + document.getElementById('w').offsetWidth))"
        "</script></body>",
    )
    assert _for_print(measuring) == measuring
    with Printer(pages=1) as printer:
        text = _text(printer.print_html(measuring))
    assert "Alder Clinic" in text and "width 0" not in text and "width " in text
