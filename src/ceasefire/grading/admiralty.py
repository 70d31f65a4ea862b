"""The Admiralty code of each incident: source reliability A-F and information credibility 1-6.

Reliability is a property of a source (by type, overridable by name). Credibility is a
property of the information: how many independent groups of reports carry it. Reports are
in one group when they share an origin (outlet), directly or through other reports, or when
their texts are copies of one another. Everything is computed for all incidents at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from rapidfuzz import fuzz

from ceasefire.grading.config import RELIABILITY, GradingConfig
from ceasefire.grading.origins import origins, outlet_key, outlets
from ceasefire.incidents.cluster import components
from ceasefire.incidents.features import similarity
from ceasefire.incidents.reports import Reports

Index = NDArray[np.int64]


@dataclass
class Grading:
    """Per report: reliability and origins; per incident (indexed by label): the grades."""

    report_reliability: NDArray[np.object_]
    report_origins: NDArray[np.object_]  # '; '-joined origin keys
    report_group: Index  # independent group number (global)
    incidents: pd.DataFrame


def reliability_of(reports: Reports, config: GradingConfig) -> NDArray[np.object_]:
    """Reliability letter of each report: by source name, else by source type, else default."""
    rel = config.reliability
    family = pd.Series(reports.source, dtype=object).astype(str).str.split(":", n=1).str[0]
    grades = family.map(rel.by_source).fillna(rel.default)
    if rel.by_source_name:
        overrides = {outlet_key(k): v for k, v in rel.by_source_name.items()}
        names = pd.Series(reports.source_name, dtype=object)
        unique = names.drop_duplicates()
        best = {
            n: min((overrides[o] for o in outlets(n) if o in overrides), default=None)
            for n in unique
        }
        named = names.map(best)
        grades = named.where(named.notna(), grades)
    result: NDArray[np.object_] = grades.to_numpy(dtype=object)
    return result


def copied_pairs(
    reports: Reports, a: Index, b: Index, ratio: float, workers: int = 1
) -> tuple[Index, Index]:
    """Linked pairs whose texts are copies (rapidfuzz ratio at least `ratio`)."""
    found = similarity(
        reports.text_code[a], reports.text_code[b], reports.texts, fuzz.ratio, workers
    )
    same = np.flatnonzero(np.nan_to_num(found, nan=0.0) >= ratio)
    return a[same], b[same]


def _groups(
    reports: Reports, labels: Index, config: GradingConfig, copies: tuple[Index, Index]
) -> tuple[Index, pd.DataFrame]:
    """Independent group of each report: components of reports joined through shared
    origins within their incident, and through copied texts."""
    n = len(reports)
    table = origins(
        reports.event_id, reports.source, reports.source_name, reports.url_site,
        config.independence.self_origin,
    )  # fmt: skip
    report = table["report"].to_numpy(dtype=np.int64)
    node_key = pd.MultiIndex.from_arrays([labels[report], table["origin"].to_numpy()])
    origin_node = n + pd.factorize(node_key)[0].astype(np.int64)
    a = np.concatenate([report, copies[0]])
    b = np.concatenate([origin_node, copies[1]])
    total = n + (int(origin_node.max()) + 1 - n if len(origin_node) else 0)
    group = components(total, a, b)[:n]
    return group, table


def _credibility(counts: NDArray[np.int64], config: GradingConfig) -> NDArray[np.int64]:
    """First matching rule per incident; counts[i, r] = groups graded RELIABILITY[r] or better."""
    grade = np.zeros(len(counts), dtype=np.int64)
    for rule in config.credibility:
        column = RELIABILITY.index(rule.min_reliability)
        holds = (grade == 0) & (counts[:, column] >= rule.independent)
        grade[holds] = rule.grade
    return grade


def grade(
    reports: Reports,
    labels: Index,
    config: GradingConfig,
    links: tuple[Index, Index] | None = None,
    workers: int = 1,
) -> Grading:
    """Grade every incident (labels: incident number of each report; links: merged pairs,
    checked for copied texts)."""
    rank = {letter: i for i, letter in enumerate(RELIABILITY)}
    reliability = reliability_of(reports, config)
    rel_rank = pd.Series(reliability).map(rank).to_numpy(dtype=np.int64)
    empty = np.zeros(0, dtype=np.int64)
    copies = (empty, empty)
    if links is not None and len(links[0]):
        copies = copied_pairs(
            reports, links[0], links[1], config.independence.copied_text_ratio, workers
        )
    group, table = _groups(reports, labels, config, copies)
    per_group = pd.DataFrame({"label": labels, "group": group, "rank": rel_rank})
    groups = per_group.groupby(["label", "group"], sort=False)["rank"].min().reset_index()
    n_incidents = int(labels.max()) + 1 if len(labels) else 0
    counts = np.zeros((n_incidents, len(RELIABILITY)), dtype=np.int64)
    np.add.at(counts, (groups["label"].to_numpy(), groups["rank"].to_numpy()), 1)
    counts = np.cumsum(counts, axis=1)
    credibility = _credibility(counts, config)
    best = np.full(n_incidents, len(RELIABILITY) - 1, dtype=np.int64)
    np.minimum.at(best, labels, rel_rank)
    letters = np.array(RELIABILITY, dtype=object)[best]
    factor_r = np.array([config.factors.reliability[r] for r in RELIABILITY])[best]
    factor_c = np.array([config.factors.credibility.get(int(c), 0.5) for c in range(7)])[
        credibility
    ]
    joined = table.groupby("report")["origin"].agg("; ".join)
    report_origins = joined.reindex(np.arange(len(reports))).fillna("").to_numpy(dtype=object)
    incidents = pd.DataFrame(
        {
            "independent_sources": counts[:, -1],
            "source_reliability": letters,
            "information_credibility": credibility,
            "admiralty_code": letters + credibility.astype(str).astype(object),
            "source_confidence": np.round(factor_r * factor_c, 4),
        }
    )
    return Grading(reliability, report_origins, group, incidents)
