"""Score candidate pairs with the weighted features; keep the pairs that reach the link
threshold (config.link_threshold: the links that clustering averages over).

Costly features (words, text and place-name similarity) are computed only for pairs that could
still reach the link threshold with them: a pair whose other features already rule it out is
never compared character by character. This changes no decision, only the work done.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ceasefire.incidents.candidates import slab_candidates, slabs
from ceasefire.incidents.config import IncidentsConfig
from ceasefire.incidents.features import FEATURES, Pairs, feature_params
from ceasefire.incidents.reports import Reports

F32 = NDArray[np.float32]
Index = NDArray[np.int64]
EPSILON = 1e-6  # scores are sums of float32 terms: a pair exactly at the threshold merges


@dataclass
class Links:
    """Scored pairs of reports: total score and each feature's score and measured value."""

    a: Index
    b: Index
    score: F32
    feature_scores: dict[str, F32] = field(default_factory=dict)
    feature_values: dict[str, F32] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.a)

    def take(self, keep: NDArray[Any]) -> Links:
        """The links selected by a mask or index array."""
        return Links(
            self.a[keep], self.b[keep], self.score[keep],
            {k: v[keep] for k, v in self.feature_scores.items()},
            {k: v[keep] for k, v in self.feature_values.items()},
        )  # fmt: skip

    @classmethod
    def concat(cls, parts: list[Links], names: Iterable[str]) -> Links:
        """Links of several slabs as one."""
        names = list(names)
        if not parts:
            empty_i, empty_f = np.zeros(0, np.int64), np.zeros(0, np.float32)
            return cls(
                empty_i, empty_i, empty_f, {n: empty_f for n in names}, {n: empty_f for n in names}
            )
        return cls(
            np.concatenate([p.a for p in parts]),
            np.concatenate([p.b for p in parts]),
            np.concatenate([p.score for p in parts]),
            {n: np.concatenate([p.feature_scores[n] for p in parts]) for n in names},
            {n: np.concatenate([p.feature_values[n] for p in parts]) for n in names},
        )


def active_features(config: IncidentsConfig) -> list[str]:
    """Configured features with a weight above zero (globally or for a pair of sources),
    cheap ones first."""
    names = [
        n for n, f in config.features.items()
        if f.weight > 0 or any(p.weights.get(n, 0.0) > 0 for p in config.source_pairs.values())
    ]  # fmt: skip
    return sorted(names, key=lambda n: (FEATURES[n].cost, list(FEATURES).index(n)))


@dataclass(frozen=True)
class PairWeights:
    """Weights by kind of pair (the two reports' source families): `table[k]` holds kind k's
    offset then each feature's weight (columns: offset, then `names`); `kind` each pair's."""

    table: NDArray[np.float64]
    kind: NDArray[np.int64]
    names: list[str]

    def column(self, name: str) -> NDArray[np.float64] | np.float64:
        """Each pair's weight of one feature ('offset': its offset); a number when every kind
        of pair weighs it the same."""
        values = self.table[:, 0 if name == "offset" else 1 + self.names.index(name)]
        return values[0] if np.all(values == values[0]) else values[self.kind]


def pair_weights(
    reports: Reports, a: Index, b: Index, config: IncidentsConfig, names: list[str]
) -> PairWeights:
    """Per pair: its offset and each feature's weight, from the source families of its two
    reports (config.source_pairs, else the global weights), gathered per feature on demand."""
    families = reports.families or ["?"]
    table = np.array(
        [[0.0, *[config.weight(n) for n in names]]]
        + [
            [offset, *[weights.get(n, 0.0) for n in names]]
            for fa in families
            for fb in families
            for offset, weights in [config.pair_weights(fa, fb)]
        ],
        dtype=np.float64,
    )
    if not config.source_pairs or len(reports.family) == 0:
        kind = np.zeros(len(a), dtype=np.int64)
        table = table[:1]
    else:
        kind = 1 + reports.family[a].astype(np.int64) * len(families) + reports.family[b]
        table[0] = table[1]  # kind 0 unused: keeps a constant column constant
    return PairWeights(table, kind, names)


def score_pairs(reports: Reports, a: Index, b: Index, config: IncidentsConfig) -> Links:
    """Score pairs; costly features only where they can still change the decision (elsewhere
    their value is NaN and their score 0)."""
    names = active_features(config)
    pairs = Pairs(reports, a, b)
    weights = pair_weights(reports, a, b, config, names)
    total = np.zeros(len(a)) + weights.column("offset")
    scores: dict[str, F32] = {}
    values: dict[str, F32] = {}
    costly = [n for n in names if FEATURES[n].cost > 0]
    for name in names:
        if FEATURES[name].cost > 0:
            continue
        scores[name], values[name] = FEATURES[name].score(pairs, feature_params(config, name))
        total += weights.column(name) * scores[name]
    pairs._memo.clear()  # the gathered columns: not needed beyond the cheap features
    # per kind of pair: the most the remaining costly features can add (scores <= 1)
    rest = np.cumsum(weights.table[:, [1 + names.index(n) for n in costly]][:, ::-1], axis=1)
    for k, name in enumerate(costly):
        # only pairs that the remaining costly features could still lift to the threshold
        headroom = rest[:, len(costly) - 1 - k]
        reach = headroom[weights.kind] if len(headroom) > 1 else headroom[0]
        open_ = np.flatnonzero(total + reach >= config.link_threshold - EPSILON)
        score = np.zeros(len(a), dtype=np.float32)
        value = np.full(len(a), np.nan, dtype=np.float32)
        if len(open_):
            subset = Pairs(reports, a[open_], b[open_])
            score[open_], value[open_] = FEATURES[name].score(subset, feature_params(config, name))
        scores[name], values[name] = score, value
        total += weights.column(name) * score
    return Links(a, b, total.astype(np.float32), scores, values)


def score_slabs(
    reports: Reports, config: IncidentsConfig, allowed: NDArray[np.bool_]
) -> tuple[Links, int]:
    """Candidates and scores slab by slab on config.workers threads (NumPy, SciPy and
    rapidfuzz release the GIL for the heavy work); the links reaching the link threshold, in slab
    order, and how many candidates were scored."""
    cut = slabs(reports, config.candidates, allowed)
    single = config.model_copy(update={"workers": 1})
    fresh = reports._words is None
    if "words" in active_features(config):
        reports.words()  # once, before the threads

    def work(bounds: tuple[int, int, int]) -> tuple[Links, int]:
        a, b = slab_candidates(reports, config.candidates, cut, bounds)
        links = score_pairs(reports, a, b, single)
        return links.take(links.score >= config.link_threshold - EPSILON), len(a)

    if config.workers > 1 and len(cut.bounds) > 1:
        with ThreadPoolExecutor(max_workers=config.workers) as pool:
            done = list(pool.map(work, cut.bounds))
    else:
        done = [work(bounds) for bounds in cut.bounds]
    if fresh:
        reports.release_words()  # memory for clustering; reasons compute words per report
    return Links.concat([d[0] for d in done], active_features(config)), sum(d[1] for d in done)


def score_candidates(
    reports: Reports, candidates: Iterable[tuple[Index, Index]], config: IncidentsConfig
) -> tuple[Links, int]:
    """Score every candidate pair; keep those reaching the link threshold. Also returns how many
    candidates were scored."""
    kept: list[Links] = []
    seen = 0
    for a, b in candidates:
        seen += len(a)
        links = score_pairs(reports, a, b, config)
        kept.append(links.take(links.score >= config.link_threshold - EPSILON))
    return Links.concat(kept, active_features(config)), seen
