"""The printed safety plan: one A4 page for the paper record, dated and versioned.

Standard 2.4.VII asks for a robust framework for reviewing paper plans, which "mitigates the
loss of governance that can occur with non-electronic records": every print says which version
it is, when it was signed, when it must be reviewed, who printed it and when, and that a newer
version may exist. The page is drawn with WeasyPrint from a Jinja2 template; if a long plan
would spill onto a second page, it is drawn again in a smaller type before giving in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.loader import get_template
from weasyprint import HTML

# Type sizes tried in turn (points); below 7pt a printed plan is no longer readable on a ward.
TYPE_SIZES = (9.5, 8.5, 7.5, 7.0)


def render_plan_pdf(context: dict[str, Any], *, printed_at: dt.datetime) -> tuple[bytes, int]:
    """The PDF bytes and the number of pages (1 unless even the smallest type overflows)."""
    template = get_template("careplans/print.html")
    document = None
    for size in TYPE_SIZES:
        html = template.render({**context, "type_size": size, "printed_at": printed_at})
        document = HTML(string=html).render()
        if len(document.pages) == 1:
            break
    assert document is not None
    return document.write_pdf(), len(document.pages)
