"""Charts of a report (matplotlib, PNG): violations per day (or week, month) per party, by
category, and deaths reported per party. Parties differ by hatch as well as colour."""

from __future__ import annotations

from datetime import date

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ceasefire.reporting.data import ReportData
from ceasefire.reporting.style import drawing, party_style, png
from ceasefire.reporting.tables import UNATTRIBUTED, Count, bin_size, party_keys, series

SIZE_IN = (7.0, 2.5)


def _tick_labels(edges: list[date], size: str) -> tuple[list[int], list[str]]:
    step = max(1, int(np.ceil(len(edges) / 12)))
    fmt = {"month": "%Y-%m", "year": "%Y"}.get(size, "%Y-%m-%d")
    positions = list(range(0, len(edges), step))
    return positions, [edges[i].strftime(fmt) for i in positions]


def stacked_by_party(data: ReportData, value: str) -> bytes | None:
    """Stacked bars per bin and party of violations ('violations') or deaths ('deaths')."""
    edges, values = series(data, value)
    if not edges or not any(v.sum() for v in values.values()):
        return None
    keys = [k for k, _ in party_keys(data)]
    styles = party_style(keys)
    size = bin_size(data.period)
    with drawing():
        figure = Figure(figsize=SIZE_IN)
        ax = figure.add_axes((0.08, 0.22, 0.74, 0.7))
        bottom = np.zeros(len(edges))
        for key in keys:
            if not values[key].sum():
                continue
            colour, hatch = styles[key]
            ax.bar(
                np.arange(len(edges)),
                values[key],
                bottom=bottom,
                width=0.85,
                color=colour,
                hatch=hatch,
                edgecolor="black",
                linewidth=0.4,
                label=key if key != UNATTRIBUTED else "unattributed",
            )
            bottom += values[key]
        positions, labels = _tick_labels(edges, size)
        ax.set_xticks(positions, labels, rotation=30, ha="right", fontsize=6.5)
        ax.set_xlim(-0.6, len(edges) - 0.4)
        unit = "violations" if value == "violations" else "deaths reported"
        ax.set_ylabel(f"{unit} per {size}", fontsize=7)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", color="#cccccc", linewidth=0.4)
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)
        figure.legend(loc="upper left", bbox_to_anchor=(0.83, 0.92), fontsize=7, frameon=False)
        return png(figure)


def by_category(rows: list[Count]) -> bytes | None:
    """Horizontal bars of violations by event category (previous period as outlines)."""
    rows = [r for r in rows if r.current or r.previous][:12]
    if not rows:
        return None
    compare = any(r.previous is not None for r in rows)
    with drawing():
        height_in = 0.75 + 0.25 * len(rows)
        figure = Figure(figsize=(SIZE_IN[0], height_in))
        bottom, top = 0.45 / height_in, 0.12 / height_in
        ax = figure.add_axes((0.22, bottom, 0.6, 1 - bottom - top))
        y = np.arange(len(rows))[::-1]
        height = 0.4 if compare else 0.7
        ax.barh(
            y + (height / 2 if compare else 0),
            [r.current for r in rows],
            height=height,
            color="#555555",
            edgecolor="black",
            linewidth=0.4,
            label="this period",
        )
        if compare:
            ax.barh(
                y - height / 2,
                [r.previous or 0 for r in rows],
                height=height,
                color="white",
                edgecolor="black",
                hatch="////",
                linewidth=0.4,
                label="previous period",
            )
            figure.legend(loc="upper left", bbox_to_anchor=(0.83, 0.95), fontsize=7, frameon=False)
        ax.set_yticks(y, [r.label.replace("_", " ") for r in rows], fontsize=7)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("violations", fontsize=7)
        ax.grid(axis="x", color="#cccccc", linewidth=0.4)
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)
        return png(figure)
