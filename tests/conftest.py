"""Shared fixtures: example parameter files, a CLI runner, and Jupyter kept off $HOME."""

from __future__ import annotations

import fcntl
import functools
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from jdkit.batch.settings import block_unused

# As in jdkit's own processes: no test checks jsonschema's optional formats, whose
# rfc3987_syntax builds a grammar for ~3 s of CPU when nbformat is first imported.
block_unused()

ROOT = Path(__file__).resolve().parent.parent
PARAMS = ROOT / "params"
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = sorted(PARAMS.glob("*.yaml"))
# Model fields holding codes, dates or patterned values, not free text: the tests that put
# hostile or marked text into every text field leave these as they are.
CODED = frozenset(
    {
        "state",
        "id",
        "onet_soc",
        "currency",
        "period",
        "employment_type",
        "flsa_status",
        "exemption",
        "location_type",
        "family",
        "comparison",
        "level",
        "postal_code",
        "url",
        "website",
        "apply_url",
        "apply_email",
        "last_reviewed",
        "date_posted",
        "valid_through",
        "accessed",
        "next_due",
        "frequency",
        "exposure",
    }
)

# Nothing a test starts (kernels, Jupyter, Voila, IPython) may write to the home directory.
_JUPYTER_HOME = Path(tempfile.mkdtemp(prefix="jdkit-test-home-"))
for _name in (
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_DATA_DIR",
    "JUPYTER_RUNTIME_DIR",
    "IPYTHONDIR",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_CACHE_HOME",
    "XDG_RUNTIME_DIR",
    "MPLCONFIGDIR",
):
    _path = _JUPYTER_HOME / _name.lower()
    _path.mkdir(parents=True, exist_ok=True)
    os.environ[_name] = str(_path)
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")

# Hypothesis profiles: "ci" (when $CI is set) runs the full 500 examples; "dev", the default
# elsewhere, runs 50 so that a local `make test` does not spend 80 s on the property test.
# HYPOTHESIS_PROFILE=ci picks the full run locally. Tests take their count from the profile
# (``settings.default.max_examples``), not from a number of their own.
_HYPOTHESIS = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("ci", max_examples=500, **_HYPOTHESIS)
settings.register_profile("dev", max_examples=50, **_HYPOTHESIS)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


# The slowest test files first: ``make test``'s ``--dist loadfile`` hands whole files to the workers
# in collection order, and a long file handed out last runs alone at the end. Measured with
# ``--durations``; every other file keeps its place, and each file its own order.
SLOW_FIRST = (
    "form/test_browser.py",
    "batch/test_signals.py",
    "export/test_pdf.py",
    "batch/test_runners.py",
    "test_hostile.py",
    "form/test_form.py",
    "test_owners.py",
    "batch/test_kill.py",
    "export/test_a11y.py",
    "test_notebook.py",
    "batch/test_batch.py",
    "export/test_docx.py",
    "test_property.py",
    "batch/test_sources.py",
)
TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: index for index, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.relative_to(TESTS).as_posix(), len(rank)))


@pytest.fixture
def runner() -> CliRunner:
    """A click test runner that keeps stderr apart from stdout."""
    return CliRunner()


@pytest.fixture
def good() -> dict:
    """A minimal valid parameter mapping."""
    return {"role": "medical-office-manager", "practice": {"name": "Acme Clinic", "state": "CO"}}


def example_ids() -> list[str]:
    """The example parameter files' stems, for test ids."""
    return [path.stem for path in EXAMPLES]


# A cell appended to the job-description notebook by the batch tests: it reports the kernel's pid,
# any variable left by an earlier practice and the kind of kernel (a fork of jdkit's zygote has its
# module imported), then raises or hangs for practices named so.
PROBE_CELL = """import os, sys, time
print("PROBE pid", os.getpid(), "saw", repr(globals().get("probe_leak")))
print("PROBE kernel", "forked" if "jdkit.batch.fork" in sys.modules else "spawned")
probe_leak = practice["name"]
if practice["name"].startswith("Raising"):
    raise ValueError("boom from " + practice["name"])
if practice["name"].startswith("Hanging"):
    time.sleep(3600)
"""


@pytest.fixture(scope="session")
def probe_notebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped notebook plus the probe cell (tagged jdkit-internal, so never exported)."""
    import nbformat

    nb = nbformat.read(ROOT / "notebooks" / "job_description.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE_CELL, metadata={"tags": ["jdkit-internal"]}))
    path = tmp_path_factory.mktemp("probe") / "probe.ipynb"
    nbformat.write(nb, path)
    return path


def practice_file(folder: Path, base: Path, name: str) -> Path:
    """Write a copy of the parameter file ``base`` with the practice renamed ``name``; return its path."""
    import yaml

    from jdkit.params import read

    data = dict(read(base))
    data["practice"] = {**data["practice"], "name": name}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name.lower().replace(" ", "-") + ".yaml")
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def executed_notebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The job-description notebook executed by papermill (Python API) for Cedar Family Medicine."""
    import papermill as pm

    from jdkit.params import read

    out = tmp_path_factory.mktemp("executed") / "cedar.ipynb"
    parameters = dict(read(PARAMS / "cedar-family-medicine.yaml"))
    pm.execute_notebook(
        str(ROOT / "notebooks" / "job_description.ipynb"),
        str(out),
        parameters=parameters,
        progress_bar=False,
        kernel_name="python3",
    )
    return out


@pytest.fixture(autouse=True, scope="module")
def _close_shared_printer():  # type: ignore[no-untyped-def]
    """Close jdkit's shared browser after each test module: Playwright allows one sync session per
    thread, and a browser test in a later module of the same worker starts its own."""
    yield
    from jdkit.export.pdf import close_shared_printer

    close_shared_printer()


def own_pay(role_id: str) -> dict:
    """A practice's own lawful pay for ``role_id`` in any state jdkit's tests use (the roles hold none)."""
    from jdkit import roles

    exempt = roles.get(role_id).defaults["position"].get("flsa_status") == "exempt"
    if exempt:
        return {
            "salary_min": 90000,
            "salary_max": 115000,
            "period": "YEAR",
            "bonus": "Up to 5% of base salary a year for keeping days in A/R at or under 35, paid in February.",
        }
    return {
        "salary_min": 24,
        "salary_max": 30,
        "period": "HOUR",
        "bonus": "A quarterly bonus of $200 when the team's patient survey score is 90 percent or higher.",
    }


def shared_artefact(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]
) -> Path:
    """The folder ``name``, filled by ``make(folder)`` once a test run for every xdist worker.

    The first worker to ask makes it under a file lock in the run's base folder (shared by the
    workers of one run, new each run); the others wait for it and read it. Without xdist it is made
    in this process's temp folder. A folder is used only once ``make`` has returned: a failed
    ``make`` fails the test that asked, and the next to ask tries again.
    """
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = tmp_path_factory.getbasetemp().parent  # pytest-N/, above this worker's popen-gwK/
    else:
        root = tmp_path_factory.getbasetemp()
    folder, done = root / f"shared-{name}", root / f"shared-{name}.done"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


RENDERED_FORMATS = ("html", "md", "docx", "pdf", "jsonld")


def _render_both(folder: Path) -> None:
    from jdkit.cli import cli

    to = ",".join(RENDERED_FORMATS)
    args = ["render", str(PARAMS), "--to", to, "--kind", "both", "--out", str(folder)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output + result.stderr


@pytest.fixture(scope="session")
def rendered_both(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``jdkit render`` of every example to every format, description and posting, in one
    command: made once a run and shared by every module and worker (test_document, test_formats,
    test_print and test_a11y read its files; none may write there). Files are named by
    ``jdkit.export.stem_of``."""
    return shared_artefact(tmp_path_factory, "rendered-both", _render_both)


class PdfPage(NamedTuple):
    """One PDF page as pypdf reads it: its text, and each piece of it with its (x, y) in points."""

    text: str
    placed: list[tuple[str, float, float]]
    width: float
    height: float


@functools.cache
def _pdf_pages(path: str, _file: tuple[int, int, int, int]) -> tuple[PdfPage, ...]:
    import pypdf

    pages = []
    for page in pypdf.PdfReader(path).pages:
        placed: list[tuple[str, float, float]] = []

        def visit(text, cm, tm, font, size, placed=placed):  # type: ignore[no-untyped-def]
            if text.strip():  # the text matrix's origin, through the current matrix
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                placed.append((text, x, y))

        box = page.mediabox
        text = page.extract_text(visitor_text=visit)
        pages.append(PdfPage(text, placed, float(box.width), float(box.height)))
    return tuple(pages)


def pdf_pages(path: Path) -> tuple[PdfPage, ...]:
    """Every page's text and placed text, read by pypdf once per file and process: pypdf takes
    about a second a page on Chromium's PDFs (thousands of text operations), and several modules
    read the same printed examples."""
    info = path.stat()  # a hard link to a file already read is not read again
    return _pdf_pages(str(path), (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns))
