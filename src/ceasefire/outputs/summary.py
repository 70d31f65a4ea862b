"""summary.json: agreement, inputs with their hashes, event counts, violation counts."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from ceasefire import __version__
from ceasefire.agreement.model import Agreement
from ceasefire.sources.report import IngestReport


def _counts(series: pd.Series) -> dict[str, int]:
    values = series.fillna("").astype(str).replace("", "unattributed")
    return {str(k): int(v) for k, v in sorted(values.value_counts().items())}


def build_summary(
    agreement: Agreement,
    reports: list[IngestReport],
    total_events: int,
    violations: pd.DataFrame,
    events_checked: int,
    territory: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The summary as a JSON-ready dict, with a fixed key order and no wall-clock time; the
    `territory` section only when control maps were given."""
    summary = {
        "software": {"name": "ceasefire", "version": __version__},
        "agreement": {
            "id": agreement.id,
            "version": agreement.version,
            "title": agreement.title,
            "status": agreement.status,
            "entry_into_force": agreement.entry_into_force.isoformat(),
        },
        "inputs": [
            {
                "file": r.file,
                "sha256": r.sha256,
                "source": r.source,
                "rows_read": r.rows_read,
                "rows_new": r.rows_new,
                "rows_already_stored": r.rows_already_stored,
                "rows_skipped": len(r.skipped),
            }
            for r in reports
        ],
        "events": {
            "read": sum(r.rows_read for r in reports),
            "new": sum(r.rows_new for r in reports),
            "total": total_events,
            "checked": events_checked,
            "in_violation": int(violations["event_id"].nunique()) if len(violations) else 0,
        },
        "violations": {
            "total": len(violations),
            "by_party": _counts(violations["party"]) if len(violations) else {},
            "by_rule": _counts(violations["rule_id"]) if len(violations) else {},
            "by_day": _counts(violations["date"]) if len(violations) else {},
        },
    }
    if territory is not None:
        summary["territory"] = territory
    return summary


def summary_json(summary: dict[str, Any]) -> str:
    """Stable JSON text."""
    return json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
