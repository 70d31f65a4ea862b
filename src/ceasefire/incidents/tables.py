"""Incidents as tables: what the store keeps of a deduplication and its grading."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ceasefire.grading.admiralty import Grading
from ceasefire.incidents.candidates import Mergeable
from ceasefire.incidents.config import IncidentsConfig
from ceasefire.incidents.dedup import Dedup
from ceasefire.incidents.reports import CATEGORIES, Reports
from ceasefire.incidents.scoring import Links


def not_merged_reasons(reports: Reports, allowed: Mergeable, config: IncidentsConfig) -> np.ndarray:
    """Why each report is not compared automatically ('' when it is)."""
    limits = config.candidates
    reason = np.full(len(reports), "", dtype=object)
    for i in np.flatnonzero(~allowed.mask).tolist():
        if allowed.no_place[i]:
            reason[i] = "no coordinates"
        elif allowed.too_wide[i]:
            radius = f"{reports.radius[i]:g}"
            reason[i] = f"located only to {radius} km (limit {limits.max_radius_km:g} km)"
        else:
            hours = (reports.end[i] - reports.start[i]) / 3600.0
            limit = f"limit {limits.max_interval_h:g} h"
            reason[i] = f"timed only to a window of {hours:.0f} h ({limit})"
    return reason


def party_names(reports: Reports, codes: np.ndarray) -> np.ndarray:
    """Party ids from party codes (None for -1)."""
    names = np.array([*reports.parties, None], dtype=object)
    result: np.ndarray = names[codes]
    return result


def report_frame(dedup: Dedup, grading: Grading, config: IncidentsConfig) -> pd.DataFrame:
    """incident_reports: one row per report."""
    reports = dedup.reports
    return pd.DataFrame(
        {
            "event_id": reports.event_id,
            "incident_id": dedup.incident_ids,
            "anchor": dedup.anchors,
            "source": reports.source,
            "actor1_party": party_names(reports, reports.party1),
            "actor2_party": party_names(reports, reports.party2),
            "acting_party": party_names(reports, reports.initiator),
            "reliability": grading.report_reliability,
            "origins": grading.report_origins,
            "independent_group": grading.report_group,
            "not_merged": not_merged_reasons(reports, dedup.mergeable, config),
        }
    )


def links_frame(dedup: Dedup) -> pd.DataFrame:
    """incident_links: one row per pair that reached the threshold."""
    links, ids = dedup.links, dedup.reports.event_id
    blocked = np.full(len(links), "", dtype=object)
    for index, why in dedup.blocked.items():
        blocked[index] = why
    data: dict[str, object] = {
        "event_a": ids[links.a], "event_b": ids[links.b], "score": links.score,
        "merged": dedup.merged, "blocked": blocked,
    }  # fmt: skip
    for name in links.feature_scores:
        data[f"{name}_score"] = links.feature_scores[name]
        data[f"{name}_value"] = links.feature_values[name]
    return pd.DataFrame(data)


def links_from_frame(frame: pd.DataFrame, reports: Reports) -> Links:
    """Stored links back as Links over reports (pairs whose reports are gone are dropped)."""
    position = pd.Series(np.arange(len(reports)), index=pd.Index(reports.event_id))
    a = position.reindex(frame["event_a"]).to_numpy(dtype=np.float64)
    b = position.reindex(frame["event_b"]).to_numpy(dtype=np.float64)
    keep = np.isfinite(a) & np.isfinite(b)
    names = [c.removesuffix("_score") for c in frame.columns if c.endswith("_score")]
    return Links(
        a[keep].astype(np.int64), b[keep].astype(np.int64),
        frame["score"].to_numpy(dtype=np.float32)[keep],
        {n: frame[f"{n}_score"].to_numpy(dtype=np.float32)[keep] for n in names},
        {n: frame[f"{n}_value"].to_numpy(dtype=np.float32)[keep] for n in names},
    )  # fmt: skip


def incident_frame(dedup: Dedup, grading: Grading) -> pd.DataFrame:
    """incidents: one row per incident, in label order."""
    reports, labels = dedup.reports, dedup.labels
    n = dedup.incidents
    order = np.lexsort((np.arange(len(reports)), reports.radius, labels))
    first = np.ones(len(order), dtype=bool)
    first[1:] = labels[order][1:] != labels[order][:-1]
    best = order[first]  # the most precisely located report of each incident
    per = pd.DataFrame({"label": labels, "start": reports.start, "end": reports.end,
                        "source": reports.source, "category": reports.category})  # fmt: skip
    grouped = per.groupby("label", sort=True)
    sources = (
        per[["label", "source"]].drop_duplicates().sort_values(["label", "source"])
        .groupby("label")["source"].agg(",".join)
    )  # fmt: skip
    counts = per[per["category"] >= 0].groupby(["label", "category"]).size().reset_index(name="n")
    counts = counts.sort_values(["label", "n", "category"], ascending=[True, False, True])
    category = counts.drop_duplicates("label").set_index("label")["category"]
    vocabulary = np.array([*CATEGORIES, "unknown"], dtype=object)
    frame = pd.DataFrame(
        {
            "incident_id": dedup.incident_ids[best],
            "reports": np.bincount(labels, minlength=n),
            "sources": sources.reindex(range(n)).to_numpy(dtype=object),
            "time_start": pd.to_datetime(grouped["start"].min().to_numpy(), unit="s", utc=True),
            "time_end": pd.to_datetime(grouped["end"].max().to_numpy(), unit="s", utc=True),
            "lon": reports.lon[best],
            "lat": reports.lat[best],
            "radius_km": reports.radius[best],
            "location_name": reports.location_name[best],
            "category": vocabulary[category.reindex(range(n)).fillna(-1).to_numpy(dtype=np.int64)],
        }
    )
    anchor_of = pd.Series(reports.event_id[dedup.anchors], index=labels[dedup.anchors])
    frame.insert(1, "anchor_event_id", anchor_of.reindex(range(n)).to_numpy(dtype=object))
    return pd.concat([frame, grading.incidents.reset_index(drop=True)], axis=1)
