"""Shared look of maps and charts: party colours and hatches that still read in black and
white, status markers, and deterministic PNG output (no wall-clock metadata)."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import matplotlib
from matplotlib.figure import Figure

# Okabe-Ito colours, chosen to differ in lightness too: dark blue, light orange, green, pink
PARTY_COLOURS = ("#0a4f8c", "#f0a830", "#2a9d6f", "#cc79a7", "#56b4e9")
PARTY_HATCHES = ("", "////", "....", "xxxx", "\\\\\\\\")
UNATTRIBUTED_COLOUR = "#ffffff"
UNATTRIBUTED_HATCH = "||||"
STATUS_MARKERS = {
    "verified": "o",
    "corroborated": "s",
    "alleged": "^",
    "disputed": "D",
    "dismissed": "X",
}
DPI = 150
RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "svg.hashsalt": "ceasefire",
    "hatch.linewidth": 0.6,
    "axes.edgecolor": "#333333",
    "axes.linewidth": 0.6,
    "path.simplify": True,
}


def party_style(keys: list[str]) -> dict[str, tuple[str, str]]:
    """(colour, hatch) per party key; the last key, 'unattributed', is white with bars."""
    styles = {}
    for i, key in enumerate(keys):
        if key == "unattributed":
            styles[key] = (UNATTRIBUTED_COLOUR, UNATTRIBUTED_HATCH)
        else:
            styles[key] = (
                PARTY_COLOURS[i % len(PARTY_COLOURS)],
                PARTY_HATCHES[i % len(PARTY_HATCHES)],
            )
    return styles


@contextmanager
def drawing() -> Iterator[None]:
    """Matplotlib settings for every figure of the report."""
    with matplotlib.rc_context(cast(Any, RC)):
        yield


def png(figure: Figure) -> bytes:
    """The figure as PNG bytes, the same for the same drawing (no Software or date chunks)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def data_uri(image: bytes) -> str:
    """A PNG as a data: URI for <img src>."""
    return "data:image/png;base64," + base64.b64encode(image).decode("ascii")
