"""Links -> incidents by average linkage under constraints: competition, not one cut.

A pair that scores above the threshold on its own does not make an incident: two groups of
reports join when the mean margin (score - threshold) over *all* pairs of their reports
reaches zero, pairs not linked counting as `unlinked_margin` (below zero). So a GDELT row
that resembles two rival incidents joins the one its article's rows match best, an article's
rows move as one, and a chain of pairwise links (a ~ b ~ c, but a and c unlike) no longer
makes one incident. Merges are made best first: in each round every group names its best
partner, and groups that name each other are joined (reciprocal nearest neighbours: with
average linkage, the same result as joining the single best pair each time, in far fewer
rounds). Rows of one exclusive source, reports more than the time limit apart, and reports
an analyst judged different are never joined; analysts' positive judgements join first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ceasefire.incidents.cluster import Clustering, Span, _UnionFind, canonical

Index = NDArray[np.int64]
Floats = NDArray[np.float64]
Edges = tuple[Index, Index, Floats, Index]  # between groups x < y: margin sums, pair counts
VETO = -1e12  # the margin of a pair judged different: no mean can reach zero with it
BLOCK_ANALYST = "an analyst judged reports of the two groups to be different"
BLOCK_PAIR = "an analyst judged these two reports to be different"
BLOCK_EXCLUSIVE = "both groups hold a row of the same curated source"


@dataclass
class _Groups:
    """Per group: size, bit mask of exclusive sources, latest start, earliest end."""

    size: Index
    mask: Index
    latest: Index
    earliest: Index

    @classmethod
    def of(cls, labels: Index, exclusive: Index, span: Span | None) -> _Groups:
        k = int(labels.max()) + 1 if len(labels) else 0
        bits = np.where(exclusive >= 0, np.left_shift(1, np.maximum(exclusive, 0)), 0)
        mask = np.zeros(k, dtype=np.int64)
        np.bitwise_or.at(mask, labels, bits.astype(np.int64))
        latest = np.full(k, np.iinfo(np.int64).min, dtype=np.int64)
        earliest = np.full(k, np.iinfo(np.int64).max, dtype=np.int64)
        if span is not None:
            np.maximum.at(latest, labels, span.start)
            np.minimum.at(earliest, labels, span.end)
        return cls(np.bincount(labels, minlength=k).astype(np.int64), mask, latest, earliest)

    def merge(self, into: Index) -> None:
        """Join group g into group into[g] (into[into[g]] == into[g])."""
        np.add.at(self.size, into, np.where(into != np.arange(len(into)), self.size, 0))
        np.bitwise_or.at(self.mask, into, self.mask)
        np.maximum.at(self.latest, into, self.latest)
        np.minimum.at(self.earliest, into, self.earliest)

    def too_long(self, x: Index, y: Index, span: Span | None) -> NDArray[np.bool_]:
        if span is None:
            return np.zeros(len(x), dtype=bool)
        gap = np.maximum(self.latest[x], self.latest[y]) - np.minimum(
            self.earliest[x], self.earliest[y]
        )
        return np.asarray(gap > span.limit)


def _aggregate(x: Index, y: Index, total: Floats, count: Index, n: int) -> Edges:
    """Sum the margins and counts of edges between the same two groups (x < y)."""
    lo, hi = np.minimum(x, y), np.maximum(x, y)
    keep = lo != hi
    key = lo[keep] * n + hi[keep]
    unique, inverse = np.unique(key, return_inverse=True)
    sums = np.bincount(inverse, weights=total[keep], minlength=len(unique)).astype(np.float64)
    counts = np.bincount(inverse, weights=count[keep], minlength=len(unique)).astype(np.int64)
    return unique // n, unique % n, sums, counts


def _means(x: Index, y: Index, sums: Floats, counts: Index, size: Index, unlinked: float) -> Floats:
    pairs = (size[x] * size[y]).astype(np.float64)
    means: Floats = (sums + unlinked * (pairs - counts)) / pairs
    return means


def _best(x: Index, y: Index, mean: Floats, n: int) -> Index:
    """Each group's best partner (highest mean, then smallest id), -1 for none. The pair with
    the highest mean and, among those, the smallest ids always names each other."""
    src, dst, val = np.r_[x, y], np.r_[y, x], np.r_[mean, mean]
    top = np.full(n, -np.inf)
    np.maximum.at(top, src, val)
    tied = val == top[src]
    best = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(best, src[tied], dst[tied])
    best[best == np.iinfo(np.int64).max] = -1
    return best


def average_linkage(
    labels: Index, a: Index, b: Index, margin: Floats, unlinked: float,
    exclusive: Index, span: Span | None,
) -> tuple[Index, Edges]:  # fmt: skip
    """Groups (starting from `labels`) joined best first while the mean margin over all their
    pairs reaches zero; also the final edges between groups (x, y, sums, counts)."""
    n = len(labels)
    groups = _Groups.of(labels, exclusive, span)
    x, y, sums, counts = _aggregate(
        labels[a], labels[b], margin.astype(np.float64), np.ones(len(a), np.int64), n
    )
    while len(x):
        mean = _means(x, y, sums, counts, groups.size, unlinked)
        ok = (mean >= 0) & ((groups.mask[x] & groups.mask[y]) == 0)
        ok &= ~groups.too_long(x, y, span)
        if not ok.any():
            break
        best = _best(x[ok], y[ok], mean[ok], len(groups.size))
        mutual = np.flatnonzero(best >= 0)
        mutual = mutual[best[best[mutual]] == mutual]
        if not len(mutual):  # cannot happen (see _best); never loop forever
            break
        into = np.arange(len(groups.size), dtype=np.int64)
        into[mutual] = np.minimum(mutual, best[mutual])
        groups.merge(into)
        labels = into[labels]
        x, y, sums, counts = _aggregate(into[x], into[y], sums, counts, n)
    return labels, (x, y, sums, counts)


def link_clusters(
    n: int, a: Index, b: Index, score: NDArray[np.float32], threshold: float,
    unlinked_score: float, exclusive: Index, positive: Sequence[tuple[int, int]] = (),
    negative: Sequence[tuple[int, int]] = (), span: Span | None = None,
) -> Clustering:  # fmt: skip
    """Incidents from scored links: analysts' positive judgements first (unless they join
    reports judged different), then average linkage; each link left between two incidents
    says why."""
    neg_set = {(min(p, q), max(p, q)) for p, q in negative}
    pair_key = np.minimum(a, b) * n + np.maximum(a, b)
    direct = np.isin(pair_key, [p * n + q for p, q in neg_set])
    result = Clustering(np.arange(n, dtype=np.int64))
    neg: dict[int, set[int]] = {}
    for p, q in neg_set:
        neg.setdefault(p, set()).add(q)
        neg.setdefault(q, set()).add(p)
    joined = _UnionFind(n, np.full(n, -1, dtype=np.int64), neg, None)
    for p, q in positive:
        rp, rq = joined.find(p), joined.find(q)
        if rp != rq:
            why = joined.conflict(rp, rq, check_exclusive=False)
            if why is None:
                joined.union(rp, rq)
            else:
                result.ignored_positive.append((p, q, why))
    start = canonical(np.array([joined.find(i) for i in range(n)], dtype=np.int64))
    na = np.array([p for p, _ in neg_set], dtype=np.int64)
    nb = np.array([q for _, q in neg_set], dtype=np.int64)
    keep = np.flatnonzero(~direct)
    margin = np.r_[score[keep].astype(np.float64) - threshold, np.full(len(na), VETO)]
    labels, edges = average_linkage(
        start, np.r_[a[keep], na], np.r_[b[keep], nb], margin, unlinked_score - threshold,
        exclusive, span,
    )  # fmt: skip
    result.labels = canonical(labels)
    result.blocked = _why_apart(labels, a, b, direct, edges, exclusive, span, unlinked_score,
                                threshold)  # fmt: skip
    return result


def _why_apart(
    labels: Index, a: Index, b: Index, direct: NDArray[np.bool_], edges: Edges,
    exclusive: Index, span: Span | None, unlinked_score: float, threshold: float,
) -> dict[int, str]:  # fmt: skip
    """Why each link between two incidents did not join them."""
    n = len(labels)
    apart = np.flatnonzero(labels[a] != labels[b])
    groups = _Groups.of(labels, exclusive, span)
    x, y, sums, counts = edges
    mean = _means(x, y, sums, counts, groups.size, unlinked_score - threshold) + threshold
    la, lb = labels[a[apart]], labels[b[apart]]
    position = np.searchsorted(x * n + y, np.minimum(la, lb) * n + np.maximum(la, lb))
    position = np.minimum(position, max(len(x) - 1, 0))
    limit_h = f"{span.limit / 3600:g}" if span is not None else ""
    found = np.full(len(apart), "", dtype=object)
    vetoed = sums[position] <= VETO / 2 if len(x) else np.zeros(len(apart), dtype=bool)
    rules = (
        (direct[apart], BLOCK_PAIR),
        (vetoed, BLOCK_ANALYST),
        ((groups.mask[la] & groups.mask[lb]) != 0, BLOCK_EXCLUSIVE),
        (
            groups.too_long(la, lb, span),
            f"their reports would be more than {limit_h} h apart in time",
        ),
    )
    open_ = np.ones(len(apart), dtype=bool)
    for hit, why in rules:
        found[open_ & hit] = why
        open_ &= ~hit
    pairs = (groups.size[la] * groups.size[lb])[open_]
    means = mean[position][open_] if len(x) else np.zeros(0)
    said: dict[tuple[int, float], str] = {}  # one string per distinct reason
    for k, p, m in zip(np.flatnonzero(open_).tolist(), pairs.tolist(), means.tolist(), strict=True):
        key = (p, round(m, 2))
        if key not in said:
            said[key] = (
                f"the two incidents' {p} pairs of reports score {m:.2f} on average, below the "
                f"threshold {threshold:g}"
            )
        found[k] = said[key]
    reasons: dict[int, str] = dict(zip(apart.tolist(), found.tolist(), strict=True))
    return reasons
