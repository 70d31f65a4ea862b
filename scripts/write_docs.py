"""Regenerate the generated parts of docs/ (the event schema table)."""

from __future__ import annotations

from pathlib import Path

from ceasefire.events.schema import schema_markdown

ROOT = Path(__file__).resolve().parents[1]
HEADER = """# The normalized event schema

Every reader produces these columns (defined in `src/ceasefire/events/schema.yaml`; this
table is generated from it by `scripts/write_docs.py` and a test keeps them in step). Times
are UTC; a date-only source gives the interval of its local calendar day(s) (default time zone
Europe/Kyiv).

"""
FOOTER = """

Precision is kept, never invented: `time_start`/`time_end` hold the interval the event may be
in, and `location_precision`/`location_radius_km` the area. Downstream checks treat an event
located to an oblast as that area, not as a point.
"""


def events_doc() -> str:
    """The text of docs/events.md."""
    return HEADER + schema_markdown() + FOOTER


if __name__ == "__main__":
    (ROOT / "docs" / "events.md").write_text(events_doc(), encoding="utf-8")
