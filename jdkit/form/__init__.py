"""The consultant's form: ipywidgets generated from the models, with live preview and findings.

``specs`` reads the models' annotations, ``fields`` and ``lists`` build an editor per field
and list, ``words`` names every place and problem in the form's own words, ``app`` is the
form around them, with ``actions`` (roles), ``files`` (Open, Upload, Save, Export),
``drafts`` and ``ask`` (its questions); ``panel`` and ``band`` draw the score, findings,
preview and market band. ``page`` is the page's style sheet, script and Voila template,
``server`` and ``child`` run ``jdkit form``. ``Form`` here is the public entry point.
"""

from __future__ import annotations

from .app import EXPORT_FORMATS, Form

__all__ = ["Form", "EXPORT_FORMATS"]
