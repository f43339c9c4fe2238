"""Imported by the forkserver of ``jdkit batch``'s process pool: warms it once for every worker.

Workers are forks of that server and kernels are forks of a worker's zygote, so what is
warmed here (imports, the compiled nbconvert template, jdkit's caches) is paid for once per
batch instead of once per worker or per kernel. Library state only, no practice's data.
"""

from __future__ import annotations


def preload() -> None:
    """Block what no batch process needs, then import and warm what every worker and kernel
    uses."""
    from .settings import block_unused, forget_safe_path, freeze, import_kernel_modules

    forget_safe_path()  # the workers, and the kernels they start, get the user's environment
    block_unused()  # before the imports below reach them

    import nbformat

    from .. import notebook, templating
    from .kernels import register_engine
    from .publish import exporter

    import_kernel_modules()
    # the batch is an edge: its processes load compiled templates from disk
    templating.use_user_cache()
    notebook.warm()
    # nbformat's functions are unannotated
    cell = nbformat.v4.new_code_cell(  # type: ignore[no-untyped-call]
        "",
        metadata={"tags": ["jdkit-document"]},
        outputs=[
            nbformat.v4.new_output(  # type: ignore[no-untyped-call]
                "display_data", {"text/html": "<p>warm-up</p>"}
            )
        ],
    )
    notebook_node = nbformat.v4.new_notebook(cells=[cell])  # type: ignore[no-untyped-call]
    exporter().from_notebook_node(notebook_node)  # compiles every template it uses
    register_engine()
    freeze()  # every fork shares these objects' pages


try:
    preload()
except Exception:  # only a speed-up: a forkserver that failed here must still start workers
    pass
