"""Imported by the forkserver of ``jdkit batch``'s process pool: warms it once for every worker.

Workers are forks of that server and kernels are forks of a worker's zygote, so what
is warmed here (imports, the compiled nbconvert template, jdkit's caches) is paid for
once per batch instead of once per worker or per kernel. See ``jdkit.runner.preload``.
"""

from __future__ import annotations


def _preload() -> None:
    try:
        from .kernelfork import block_unused
        from .runner import preload

        block_unused()  # before the imports below reach them
        preload()
    except Exception:  # only a speed-up: a forkserver that failed here must still start workers
        pass


_preload()
