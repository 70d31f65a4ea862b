"""report.html: the run's summary and violations as one offline page."""

from __future__ import annotations

from typing import Any

import jinja2
import pandas as pd

from ceasefire.agreement.model import Agreement

MAX_ROWS = 2_000


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("ceasefire", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
    )


def render_report(
    agreement: Agreement,
    summary: dict[str, Any],
    violations: pd.DataFrame,
    issues: list[dict[str, Any]],
) -> str:
    """The HTML report (deterministic: same inputs, same bytes)."""
    rows = violations.head(MAX_ROWS).fillna("").to_dict(orient="records")
    template = _environment().get_template("report.html.j2")
    return template.render(
        agreement=agreement,
        summary=summary,
        violations=rows,
        shown=len(rows),
        total=len(violations),
        issues=issues,
    )
