"""Editable lists (``ListEditor``, ``TableEditor``): one row per item, Add at the top and bottom.

They live in ``jdkit.form.fields``, beside the model editor that builds them and that builds
their rows (a model's fields hold lists, a list's rows are models), so the two modules do not
import each other; this module keeps their import path.
"""

from __future__ import annotations

from .fields import (
    TOP_ADD_FROM as TOP_ADD_FROM,
    ListEditor as ListEditor,
    TableEditor as TableEditor,
)

__all__ = ["ListEditor", "TableEditor"]
