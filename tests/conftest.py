"""Shared fixtures: example parameter files, a CLI runner, and Jupyter kept off $HOME."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
PARAMS = ROOT / "params"
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = sorted(PARAMS.glob("*.yaml"))

# Nothing a test starts (kernels, Jupyter, Voila, IPython) may write to the home directory.
_JUPYTER_HOME = Path(tempfile.mkdtemp(prefix="jdkit-test-home-"))
for _name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR",
              "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR", "MPLCONFIGDIR"):
    _path = _JUPYTER_HOME / _name.lower()
    _path.mkdir(parents=True, exist_ok=True)
    os.environ[_name] = str(_path)
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")


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
