"""The normalized event schema, read from schema.yaml, as Arrow and as documentation."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import pyarrow as pa
import yaml

_ARROW_TYPES = {
    "string": pa.string(),
    "float64": pa.float64(),
    "int64": pa.int64(),
    "bool": pa.bool_(),
    "timestamp": pa.timestamp("us", tz="UTC"),
}


@dataclass(frozen=True)
class Field:
    """One column of the normalized event schema."""

    name: str
    type: str
    required: bool
    doc: str


@cache
def event_fields() -> tuple[Field, ...]:
    """The fields of the normalized event schema, in order."""
    text = files("ceasefire.events").joinpath("schema.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return tuple(Field(**item) for item in raw["fields"])


@cache
def event_schema() -> pa.Schema:
    """The Arrow schema of normalized events."""
    return pa.schema(
        [pa.field(f.name, _ARROW_TYPES[f.type], nullable=not f.required) for f in event_fields()]
    )


def event_columns() -> list[str]:
    """Column names of the normalized event schema."""
    return [f.name for f in event_fields()]


def schema_markdown() -> str:
    """The schema as a Markdown table (for docs/events.md)."""
    rows = ["| column | type | required | meaning |", "|---|---|---|---|"]
    for f in event_fields():
        doc = f.doc.replace("|", "\\|")
        rows.append(f"| `{f.name}` | {f.type} | {'yes' if f.required else ''} | {doc} |")
    return "\n".join(rows)
