"""The report as one self-contained HTML page (images inline, no network), from templates in
ceasefire/templates/report/, one partial per section. The same page is printed to PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import jinja2
import pandas as pd

from ceasefire.adjudicate import PreparedAgreement
from ceasefire.reporting import charts, sections
from ceasefire.reporting.data import ReportData
from ceasefire.reporting.maps import MapImage, render_map
from ceasefire.reporting.style import data_uri, party_style
from ceasefire.reporting.tables import (
    LIST_ALL_UP_TO,
    PAGE_ROWS,
    bin_size,
    headline,
    incident_list,
    party_keys,
    summary_tables,
)

#: sections in order; each renders when it has data (see sections.py for the optional ones)
SECTIONS = ("summary", "map", "charts", "incidents", "territory", "backstop", "inputs")


@dataclass
class Figures:
    """The images of a report (PNG bytes; None when there is nothing to draw)."""

    map: MapImage
    by_day: bytes | None
    by_category: bytes | None
    deaths: bytes | None
    extra: dict[str, bytes] = field(default_factory=dict)


def environment() -> jinja2.Environment:
    """Templates of the report, autoescaped; missing variables are errors."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ceasefire", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    env.filters["km"] = lambda v: "" if v is None or pd.isna(v) else f"{float(v):.1f}"
    env.filters["png"] = data_uri
    return env


def _num(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}"


def draw(data: ReportData, prep: PreparedAgreement | None = None) -> Figures:
    """Draw the map and charts."""
    prep = prep or PreparedAgreement(data.agreement)
    keys = [k for k, _ in party_keys(data)]
    tables = summary_tables(data)
    return Figures(
        map=render_map(prep, data.violations, keys),
        by_day=charts.stacked_by_party(data, "violations"),
        by_category=charts.by_category(tables["category"]),
        deaths=charts.stacked_by_party(data, "deaths"),
    )


def software() -> dict[str, str]:
    """Versions of what rendered the report (the same versions give the same bytes)."""
    result = {}
    for name in ("ceasefire", "matplotlib", "weasyprint", "pyarrow", "jinja2"):
        try:
            result[name] = version(name)
        except PackageNotFoundError:
            continue
    return result


def context(data: ReportData, figures: Figures) -> dict[str, Any]:
    """Everything the templates use."""
    rows, total = incident_list(data)
    keys = [k for k, _ in party_keys(data)]
    pages = [rows[i : i + PAGE_ROWS] for i in range(0, len(rows), PAGE_ROWS)] or [[]]
    return {
        "agreement": data.agreement,
        "data": data,
        "period": data.period,
        "compared": data.previous is not None,
        "previous": data.period.previous() if data.previous is not None else None,
        "headline": headline(data),
        "tables": summary_tables(data),
        "parties": party_keys(data),
        "party_colour": {k: c for k, (c, _) in party_style(keys).items()},
        "figures": figures,
        "pages": pages,
        "shown": len(rows),
        "total": total,
        "list_all_up_to": LIST_ALL_UP_TO,
        "territory": sections.territory(data),
        "backstop": sections.backstop(data),
        "software": software(),
        "sections": SECTIONS,
        "bin": bin_size(data.period),
    }


def render_html(data: ReportData, figures: Figures | None = None) -> str:
    """The report page (deterministic: same data, same bytes)."""
    figures = figures or draw(data)
    return environment().get_template("report/report.html.j2").render(context(data, figures))
