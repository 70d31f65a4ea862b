"""Deduplicate reports into incidents: candidates -> scores -> links -> clusters -> ids."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ceasefire.incidents.candidates import Mergeable, mergeable
from ceasefire.incidents.cluster import Span
from ceasefire.incidents.config import IncidentsConfig, load_incidents_config
from ceasefire.incidents.ids import assign_ids
from ceasefire.incidents.linkage import link_clusters
from ceasefire.incidents.reports import Reports
from ceasefire.incidents.scoring import Links, score_slabs

Index = NDArray[np.int64]
Objects = NDArray[np.object_]
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Judgement:
    """An analyst's decision about two reports: positive (the same occurrence), negative
    (different occurrences) or unsure (recorded; changes nothing)."""

    event_a: str
    event_b: str
    judgement: str
    by: str = ""
    at: str = ""
    reason: str = ""


@dataclass
class Dedup:
    """Incidents of a set of reports."""

    reports: Reports
    labels: Index  # incident number of each report (0.. by smallest member)
    incident_ids: Objects  # stable incident id of each report
    anchors: NDArray[np.bool_]
    links: Links  # pairs that reached the link threshold
    merged: NDArray[np.bool_]  # per link: used (its reports are in one incident)
    blocked: dict[int, str]  # link index -> why a constraint kept its reports apart
    mergeable: Mergeable
    candidates: int
    judged: list[Judgement] = field(default_factory=list)
    ignored: list[tuple[Judgement, str]] = field(default_factory=list)

    @property
    def incidents(self) -> int:
        """Number of incidents."""
        return int(self.labels.max()) + 1 if len(self.labels) else 0


def latest_judgements(judgements: Iterable[Judgement]) -> list[Judgement]:
    """The last judgement of each pair of reports (judgements in the order they were made)."""
    last: dict[tuple[str, str], Judgement] = {}
    for j in judgements:
        last[(min(j.event_a, j.event_b), max(j.event_a, j.event_b))] = j
    return list(last.values())


def _judgement_pairs(
    reports: Reports, judgements: Sequence[Judgement]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[Judgement]]:
    position = pd.Series(np.arange(len(reports)), index=pd.Index(reports.event_id))
    positive, negative, used = [], [], []
    for j in latest_judgements(judgements):
        if j.event_a not in position.index or j.event_b not in position.index:
            continue  # a report not (yet) in the store
        pair = (int(position[j.event_a]), int(position[j.event_b]))
        if j.judgement == "positive":
            positive.append(pair)
        elif j.judgement == "negative":
            negative.append(pair)
        used.append(j)
    return positive, negative, used


def exclusive_codes(reports: Reports, sources: Sequence[str]) -> Index:
    """Per report: the index of its source in `sources` (exclusive sources), else -1."""
    kinds, distinct = pd.factorize(pd.Series(reports.source, dtype=object), sort=False)
    lookup = {s: i for i, s in enumerate(sources)}
    family = [lookup.get(str(d).split(":", 1)[0], -1) for d in np.asarray(distinct, dtype=object)]
    codes: Index = (
        np.asarray(family, dtype=np.int64)[kinds] if len(kinds) else np.zeros(0, np.int64)
    )
    return codes


def deduplicate(
    reports: Reports | pd.DataFrame,
    config: IncidentsConfig | None = None,
    judgements: Sequence[Judgement] = (),
    previous_anchors: Iterable[str] = (),
) -> Dedup:
    """Group reports into incidents. Judgements (in the order made; the last per pair counts)
    are applied after the automatic scores; previous anchors keep incident ids stable."""
    config = config or load_incidents_config()
    if isinstance(reports, pd.DataFrame):
        reports = Reports.from_frame(reports)
    allowed = mergeable(reports, config.candidates)
    links, seen = score_slabs(reports, config, allowed.mask)
    return resolve(reports, links, config, judgements, previous_anchors, seen)


def resolve(
    reports: Reports,
    links: Links,
    config: IncidentsConfig,
    judgements: Sequence[Judgement] = (),
    previous_anchors: Iterable[str] = (),
    candidates: int = 0,
) -> Dedup:
    """Incidents from scored links (above the link threshold) and analysts' judgements:
    average linkage under the constraints (ceasefire.incidents.linkage)."""
    allowed = mergeable(reports, config.candidates)
    positive, negative, used = _judgement_pairs(reports, judgements)
    # every report of an incident within max_time_gap_h of every other: no chains across days
    span = Span(reports.start, reports.end, config.candidates.max_time_gap_h * 3600)
    clustering = link_clusters(
        len(reports), links.a, links.b, links.score, config.threshold, config.unlinked_score,
        exclusive_codes(reports, config.exclusive_sources), positive, negative, span,
    )  # fmt: skip
    anchors_before = pd.Series(reports.event_id).isin(set(previous_anchors)).to_numpy(dtype=bool)
    ids, anchors = assign_ids(reports.event_id, clustering.labels, anchors_before)
    labels = clustering.labels
    merged = labels[links.a] == labels[links.b]
    by_pair = {(min(j.event_a, j.event_b), max(j.event_a, j.event_b)): j for j in used}
    ignored = []
    for x, y, why in clustering.ignored_positive:
        ex, ey = reports.event_id[x], reports.event_id[y]
        ignored.append((by_pair[(min(ex, ey), max(ex, ey))], why))
    return Dedup(
        reports, labels, ids, anchors, links, merged, clustering.blocked, allowed, candidates,
        used, ignored,
    )  # fmt: skip
