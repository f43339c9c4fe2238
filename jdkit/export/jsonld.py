"""schema.org ``JobPosting`` data (JSON-LD): the ``jsonld`` format and ``--embed-jsonld``.

The data is built in ``jdkit.document.jsonld``, beside the HTML writer that embeds it (so the
document package never imports the exporters' one); this module keeps its public names.
"""

from __future__ import annotations

from ..document.jsonld import (
    DESCRIPTION_TAGS as DESCRIPTION_TAGS,
    base_salary as base_salary,
    clean as clean,
    description_html as description_html,
    dumps as dumps,
    education_requirements as education_requirements,
    experience_requirements as experience_requirements,
    jobposting as jobposting,
    postal_address as postal_address,
    render_jsonld as render_jsonld,
    script_json as script_json,
)

__all__ = [
    "jobposting",
    "description_html",
    "dumps",
    "render_jsonld",
    "script_json",
    "DESCRIPTION_TAGS",
]
