"""Violations made ready for the report: event details joined, severity, status, grading,
evidence hashes and incident ids, using the columns later stages add when they are present.

Columns used when present (added by the incidents, grading, evidence and backstop stages):
`incident_id`, `status`, `severity`, `reliability` + `credibility` (Admiralty code) or
`grade`, `evidence_sha256` (hashes separated by ';', ',' or spaces). When absent, the report
falls back to: one incident per event, status `alleged` (nothing verified), the severity
below, and the SHA-256 of the input file each report came from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ceasefire.agreement.model import Agreement
from ceasefire.backstop.severity import severity_ranks

#: event columns joined onto violations (from events.parquet or the store)
EVENT_DETAILS = [
    "event_id", "category", "weapon_class", "target_category", "fatalities_best",
    "fatalities_low", "fatalities_high", "location_name", "provenance_file", "provenance_sha256",
]  # fmt: skip
SEVERITIES = ("critical", "major", "minor")
STATUSES = ("verified", "corroborated", "alleged", "disputed", "dismissed")
_HEAVY = {"artillery", "mlrs", "long_range", "aircraft", "tank"}
_STRIKES = {"missile_strike", "air_strike", "attack_on_civilians"}
_PROTECTED = {"civilian", "energy_infrastructure", "critical_infrastructure", "monitor"}


def default_severity(frame: pd.DataFrame) -> np.ndarray:
    """critical: 5+ deaths, long-range weapons or strikes on protected targets; major: any
    death, heavy weapons, air or missile strikes, civilians targeted; minor: the rest."""
    deaths = pd.to_numeric(frame["fatalities_best"], errors="coerce").fillna(0).to_numpy()
    weapon = frame["weapon_class"].fillna("").astype(str).to_numpy()
    category = frame["category"].fillna("").astype(str).to_numpy()
    target = frame["target_category"].fillna("").astype(str).to_numpy()
    protected = np.isin(target, list(_PROTECTED))
    critical = (
        (deaths >= 5) | (weapon == "long_range") | (protected & np.isin(category, list(_STRIKES)))
    )
    major = (
        (deaths > 0) | np.isin(weapon, list(_HEAVY)) | np.isin(category, list(_STRIKES)) | protected
    )
    return np.where(critical, "critical", np.where(major, "major", "minor")).astype(object)


def severity_levels(agreement: Agreement | None) -> tuple[str, ...]:
    """Severity levels, most severe first: the agreement's scale, else critical/major/minor."""
    scale = getattr(agreement, "severity", None)
    return tuple(reversed(scale.levels)) if scale is not None else SEVERITIES


def agreement_severity(agreement: Agreement, frame: pd.DataFrame) -> np.ndarray:
    """The agreement's scale: the highest level whose criterion a violation matches (the
    backstop's own severity, so the report and the triggers never disagree)."""
    assert agreement.severity is not None
    deaths = pd.to_numeric(frame["fatalities_best"], errors="coerce").fillna(0)
    _, names = severity_ranks(agreement, frame.assign(fatalities=deaths))
    return names


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[column].astype(object).where(frame[column].notna(), "").astype(str)


def _evidence(frame: pd.DataFrame) -> pd.Series:
    """Unique evidence hashes per violation, ';'-separated, input-file hash first."""
    base = _text(frame, "provenance_sha256")
    extra = _text(frame, "evidence_sha256")
    if not extra.str.len().any():
        return base
    joined = (base + ";" + extra).str.replace(r"[,\s]+", ";", regex=True)
    return joined.map(lambda text: ";".join(dict.fromkeys(h for h in text.split(";") if h)))


def enrich(
    violations: pd.DataFrame, events: pd.DataFrame | None, agreement: Agreement | None = None
) -> pd.DataFrame:
    """Violations with event details, severity, status, grading, evidence and incident id."""
    frame = violations.reset_index(drop=True)
    if events is not None and len(frame):
        wanted = [
            c
            for c in EVENT_DETAILS
            if c in events.columns and (c == "event_id" or c not in frame.columns)
        ]
        details = events[wanted].drop_duplicates("event_id")
        frame = frame.merge(details, on="event_id", how="left", sort=False)
    for column in EVENT_DETAILS[1:]:
        if column not in frame.columns:
            frame[column] = np.nan if column.startswith("fatalities") else ""
    frame["party"] = _text(frame, "party")
    if "severity" not in frame.columns or not _text(frame, "severity").str.len().all():
        if not len(frame):
            derived = np.array([], dtype=object)
        elif agreement is not None and agreement.severity is not None:
            derived = agreement_severity(agreement, frame)
        else:
            derived = default_severity(frame)
        given = _text(frame, "severity") if "severity" in frame.columns else None
        frame["severity"] = derived if given is None else given.where(given != "", derived)
    frame["status"] = _text(frame, "status").replace("", "alleged")
    if "admiralty_code" in frame.columns:  # the incidents stage's Admiralty code, e.g. B2
        frame["grading"] = _text(frame, "admiralty_code")
    elif "reliability" in frame.columns and "credibility" in frame.columns:
        frame["grading"] = _text(frame, "reliability") + _text(frame, "credibility")
    else:
        frame["grading"] = _text(frame, "grade")
    frame["evidence"] = _evidence(frame)
    incident = _text(frame, "incident_id")
    frame["incident_id"] = incident.where(incident != "", frame["event_id"].astype(str))
    return frame.sort_values(
        ["date", "incident_id", "rule_id", "event_id"], kind="stable"
    ).reset_index(drop=True)


def _joined(work: pd.DataFrame, column: str, index: pd.Index, sep: str) -> np.ndarray:
    """Distinct values of a column per incident, in order of appearance, joined."""
    distinct = work.drop_duplicates(["incident_id", column])
    single = ~distinct["incident_id"].duplicated(keep=False)
    result = distinct[single].set_index("incident_id")[column].astype(str)
    several = distinct[~single]
    if len(several):
        ordered = several.sort_values("incident_id", kind="stable")
        ids = ordered["incident_id"].to_numpy()
        values = ordered[column].astype(str).tolist()
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
        ends = np.r_[starts[1:], len(ids)]
        joined = [sep.join(values[a:b]) for a, b in zip(starts, ends, strict=True)]
        result = pd.concat([result, pd.Series(joined, index=ids[starts])])
    return result.reindex(index).fillna("").to_numpy(dtype=object)


def _unique_hashes(text: str) -> str:
    return ";".join(dict.fromkeys(h for h in text.split(";") if h))


def incidents(frame: pd.DataFrame, levels: tuple[str, ...] = SEVERITIES) -> pd.DataFrame:
    """One row per incident: its reports, rules, worst severity, status, grading, evidence.
    levels: severity levels, most severe first."""
    if not len(frame):
        return pd.DataFrame(columns=INCIDENT_COLUMNS)
    rank = {s: i for i, s in enumerate(levels)}
    needed = [c for c in INCIDENT_SOURCES if c in frame.columns]
    work = frame[needed].assign(_rank=frame["severity"].map(rank).fillna(len(levels)))
    # rows come sorted by date: an incident's first row has its first date
    first = work.drop_duplicates("incident_id").set_index("incident_id").sort_index()
    index = first.index
    grouped = work[["incident_id", "_rank", "confidence"]].groupby("incident_id", sort=True)
    reports = work.drop_duplicates(["incident_id", "event_id"])
    deaths = reports.groupby("incident_id")["fatalities_best"].sum(min_count=1)
    evidence = _joined(work, "evidence", index, ";")
    several = np.char.count(evidence.astype(str), ";") > 0
    evidence[several] = [_unique_hashes(e) for e in evidence[several]]
    worst = grouped["_rank"].min().reindex(index).to_numpy()
    names = np.asarray([*levels, ""], dtype=object)
    result = pd.DataFrame(
        {
            "incident_id": index,
            "date": first["date"].to_numpy(),
            "party": first["party"].to_numpy(),
            "lon": first["lon"].to_numpy(),
            "lat": first["lat"].to_numpy(),
            "admin1": first["admin1"].to_numpy(),
            "side": first["side"].to_numpy(),
            "distance_km": first["distance_km"].to_numpy(),
            "reports": reports.groupby("incident_id").size().reindex(index).to_numpy(),
            "rules": _joined(work, "rule_id", index, ";"),
            "articles": _joined(work, "article", index, "; "),
            "category": first["category"].to_numpy(),
            "weapon_class": first["weapon_class"].to_numpy(),
            "severity": names[np.minimum(worst, len(levels)).astype(int)],
            "status": first["status"].to_numpy(),
            "grading": first["grading"].to_numpy(),
            "confidence": grouped["confidence"].max().reindex(index).to_numpy(),
            "fatalities_best": deaths.reindex(index).to_numpy(),
            "explanation": first["explanation"].to_numpy(),
            "evidence": evidence,
        }
    )
    return result.sort_values(["date", "incident_id"], kind="stable").reset_index(drop=True)


INCIDENT_SOURCES = [
    "incident_id", "event_id", "date", "party", "lon", "lat", "admin1", "side", "distance_km",
    "rule_id", "article", "category", "weapon_class", "severity", "status", "grading",
    "confidence", "fatalities_best", "explanation", "evidence",
]  # fmt: skip
INCIDENT_COLUMNS = [
    "incident_id", "date", "party", "lon", "lat", "admin1", "side", "distance_km", "reports",
    "rules", "articles", "category", "weapon_class", "severity", "status", "grading",
    "confidence", "fatalities_best", "explanation", "evidence",
]  # fmt: skip
