"""Parameter files as output, under the names the form and earlier releases use.

The inverse of the merge and the writer of parameter files live in ``jdkit.params``, beside
the reader (``reads``/``read``, ``writes``/``write``, as in jupytext); this module re-exports
them: ``dumps_params`` is ``jdkit.params.writes`` and ``write_params`` is ``jdkit.params.write``.
"""

from __future__ import annotations

from ..params import (
    overrides as overrides,
    plain as plain,
    to_params as to_params,
    write as write_params,
    writes as dumps_params,
)

__all__ = ["plain", "overrides", "to_params", "dumps_params", "write_params"]
