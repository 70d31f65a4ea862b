"""The optional sections: territory (from `territory` rows: date, admin1, party, area_km2,
share) and backstop status (the agreement's commitments and the `triggers` rows of the
period). Each returns None when there is nothing to show."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from ceasefire.reporting.data import ReportData
from ceasefire.reporting.tables import admin_names

TERRITORY_COLUMNS = ("date", "admin1", "party", "area_km2", "share")
TIME_COLUMNS = ("time", "date", "triggered_at", "at", "day")
#: the columns of triggers.csv (backstop stage) shown in the report, with their headings
TRIGGER_VIEW = {
    "date": "date", "guarantor": "guarantor", "commitment": "commitment",
    "trigger_id": "trigger", "level": "level", "action": "response", "respond_by": "respond by",
    "violations": "violations", "incidents": "incidents", "evidence_sha256": "evidence SHA-256",
}  # fmt: skip
MAX_ROWS = 500


def _generic(frame: pd.DataFrame) -> dict[str, Any]:
    head = frame.head(MAX_ROWS).fillna("").astype(str)
    return {"columns": list(head.columns), "rows": head.values.tolist(), "total": len(frame)}


def territory(data: ReportData) -> dict[str, Any] | None:
    """Control per admin-1 unit and party at the end of the period, and the change since the
    last map before it."""
    frame = data.side_tables.get("territory")
    if frame is None or not len(frame):
        return None
    if not set(TERRITORY_COLUMNS) <= set(frame.columns):
        return {"generic": _generic(frame)}
    frame = frame.assign(
        day=pd.to_datetime(frame["date"], errors="coerce").dt.date,
        area=pd.to_numeric(frame["area_km2"], errors="coerce"),
        part=pd.to_numeric(frame["share"], errors="coerce"),
    ).dropna(subset=["day"])
    if not len(frame):
        return None
    upto = frame[frame["day"] <= data.period.end]
    as_of = (upto if len(upto) else frame)["day"].max()
    earlier = frame[frame["day"] < data.period.start]["day"]
    before = earlier.max() if len(earlier) and data.period.kind != "all" else None
    if before is None and data.period.kind == "all" and frame["day"].nunique() > 1:
        before = frame["day"].min()
    now = frame[frame["day"] == as_of].set_index(["admin1", "party"])
    then = (
        frame[frame["day"] == before].set_index(["admin1", "party"]) if before is not None else None
    )
    names = admin_names()
    rows = []
    for (admin1, party), row in now.sort_index().iterrows():
        change = None
        if then is not None:
            previous = then["area"].get((admin1, party), 0.0)
            change = float(row["area"]) - float(previous if pd.notna(previous) else 0.0)
        rows.append(
            {
                "admin1": admin1,
                "name": names.get(
                    str(admin1), "total" if str(admin1) in ("", "ALL", "total") else str(admin1)
                ),
                "party": party,
                "area_km2": row["area"],
                "share": row["part"],
                "change_km2": change,
            }
        )
    return {"as_of": as_of, "before": before, "rows": rows}


def _hashes(text: str) -> str:
    found = [h for h in re.split(r"[;,\s]+", text) if h]
    more = f" and {len(found) - 2} more" if len(found) > 2 else ""
    return " ".join(found[:2]) + more


def _triggers_view(frame: pd.DataFrame) -> dict[str, Any]:
    """The backstop stage's triggers with their main columns, else every column."""
    if not {"commitment", "level", "date"} <= set(frame.columns):
        return _generic(frame)
    view = frame[[c for c in TRIGGER_VIEW if c in frame.columns]].fillna("").astype(str)
    if "evidence_sha256" in view.columns:
        view = view.assign(evidence_sha256=view["evidence_sha256"].map(_hashes))
    result = _generic(view)
    result["columns"] = [TRIGGER_VIEW[c] for c in view.columns]
    return result


def _period_rows(frame: pd.DataFrame, data: ReportData) -> pd.DataFrame:
    column = next((c for c in TIME_COLUMNS if c in frame.columns), None)
    if column is None or data.period.kind == "all":
        return frame
    times = pd.to_datetime(frame[column], errors="coerce", utc=True)
    days = times.dt.tz_convert(data.agreement.timezone).dt.date
    keep = days.map(lambda d: pd.notna(d) and data.period.contains(d)).astype(bool)
    return frame[keep.to_numpy()]


def backstop(data: ReportData) -> dict[str, Any] | None:
    """The guarantors' commitments (valid in the period or not) and the triggers that fired."""
    agreement = data.agreement
    start, end = data.period.utc_bounds(agreement.timezone)
    commitments = []
    for guarantor in agreement.guarantors:
        for commitment in guarantor.commitments:
            valid_from = agreement.resolve_time(commitment.valid_from)
            valid_until = agreement.commitment_end(commitment)
            active = valid_from < end and (valid_until is None or valid_until > start)
            commitments.append(
                {
                    "guarantor": guarantor.name,
                    "id": commitment.id,
                    "title": commitment.title,
                    "toward": ", ".join(commitment.toward),
                    "against": ", ".join(commitment.against),
                    "valid_from": valid_from.date().isoformat(),
                    "valid_until": valid_until.date().isoformat() if valid_until else "open-ended",
                    "active": active,
                    "triggers": len(commitment.triggers),
                    "responses": len(commitment.responses),
                }
            )
    triggers = data.side_tables.get("triggers")
    fired = _triggers_view(_period_rows(triggers, data)) if triggers is not None else None
    if not commitments and fired is None:
        return None
    return {"commitments": commitments, "fired": fired}
