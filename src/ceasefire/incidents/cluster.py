"""Links -> incidents: connected components, then the constraints that no score overrides.

Components come from scipy (union-find speed, no Python loop). A component is re-examined
only when it breaks a constraint: two rows of an exclusive source (a curated dataset that
never lists one occurrence twice), or two reports an analyst judged to be different. There
the links are replayed strongest first, analysts' positive judgements before all, and a
link that would join two groups the constraints keep apart is blocked, with the reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

Index = NDArray[np.int64]


@dataclass(frozen=True)
class Span:
    """Every report of an incident within `limit` seconds of every other (intervals start..end,
    seconds): automatic links never chain reports of different days into one incident."""

    start: Index
    end: Index
    limit: float


@dataclass
class Clustering:
    """Incident number of each report, and the links that constraints blocked."""

    labels: Index
    blocked: dict[int, str] = field(default_factory=dict)  # link index -> reason
    ignored_positive: list[tuple[int, int, str]] = field(default_factory=list)


def components(n: int, a: Index, b: Index) -> Index:
    """Connected components of n nodes and edges (a, b), numbered by their smallest node."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, raw = connected_components(graph, directed=False)
    return canonical(raw.astype(np.int64))


def canonical(labels: Index) -> Index:
    """Renumber labels 0.. in order of each group's smallest member."""
    if len(labels) == 0:
        return labels
    first = np.full(int(labels.max()) + 1, len(labels), dtype=np.int64)
    np.minimum.at(first, labels, np.arange(len(labels)))
    used = np.flatnonzero(first < len(labels))
    rank = np.empty(int(labels.max()) + 1, dtype=np.int64)
    rank[used[np.argsort(first[used], kind="stable")]] = np.arange(len(used))
    result: Index = rank[labels]
    return result


class _UnionFind:
    """Union-find over report indices, each group with a bit mask of its exclusive sources
    and, where analysts judged pairs different, its members."""

    def __init__(
        self, n: int, exclusive: Index, negative: dict[int, set[int]], span: Span | None
    ) -> None:
        self.parent = list(range(n))
        self.span = span
        # per group: the latest start and the earliest end of its reports' intervals
        self.latest = span.start.tolist() if span is not None else []
        self.earliest = span.end.tolist() if span is not None else []
        self.mask = [0] * n
        for i in np.flatnonzero(exclusive >= 0).tolist():
            self.mask[i] = 1 << int(exclusive[i])
        self.negative = negative
        self.members: dict[int, set[int]] = {}

    def find(self, node: int) -> int:
        parent = self.parent
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def _members(self, root: int) -> set[int]:
        return self.members.get(root, {root})

    def conflict(self, x: int, y: int, check_exclusive: bool) -> str | None:
        """Why groups x and y (roots) may not be joined, or None."""
        if self.negative:
            small, large = sorted((self._members(x), self._members(y)), key=len)
            if any(self.negative.get(m, set()) & large for m in small):
                return "an analyst judged reports of the two groups to be different"
        if check_exclusive and self.mask[x] & self.mask[y]:
            return "both groups hold a row of the same curated source"
        if check_exclusive and self.span is not None:
            gap = max(self.latest[x], self.latest[y]) - min(self.earliest[x], self.earliest[y])
            if gap > self.span.limit:
                hours = self.span.limit / 3600
                return f"their reports would be more than {hours:g} h apart in time"
        return None

    def union(self, x: int, y: int) -> None:
        self.parent[y] = x
        self.mask[x] |= self.mask[y]
        if self.span is not None:
            self.latest[x] = max(self.latest[x], self.latest[y])
            self.earliest[x] = min(self.earliest[x], self.earliest[y])
        if self.negative:
            self.members[x] = self._members(x) | self.members.pop(y, {y})


def _runs(keys: Index) -> list[tuple[int, int]]:
    """(start, end) of each run of equal values in a sorted array."""
    if len(keys) == 0:
        return []
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def cluster(
    n: int,
    a: Index,
    b: Index,
    score: NDArray[np.float32],
    exclusive: Index,
    positive: Sequence[tuple[int, int]] = (),
    negative: Sequence[tuple[int, int]] = (),
    span: Span | None = None,
) -> Clustering:
    """Incidents from links (a, b, score) above the threshold. exclusive[i] >= 0 is the code
    of report i's exclusive source; positive and negative are analysts' judgements (report
    index pairs), applied after the automatic scores: positive pairs are joined, negative
    pairs kept apart, whatever the links say; with span, no automatic link joins reports more
    than span.limit apart in time."""
    neg_set = {(min(x, y), max(x, y)) for x, y in negative}
    direct = np.isin(np.minimum(a, b) * n + np.maximum(a, b), [x * n + y for x, y in neg_set])
    blocked = {
        int(i): "an analyst judged these two reports to be different"
        for i in np.flatnonzero(direct)
    }
    pa = np.array([p[0] for p in positive], dtype=np.int64)
    pb = np.array([p[1] for p in positive], dtype=np.int64)
    keep = np.flatnonzero(~direct)
    labels = components(n, np.concatenate([a[keep], pa]), np.concatenate([b[keep], pb]))
    suspect = np.zeros(int(labels.max()) + 1 if n else 0, dtype=bool)
    exclusive_rows = np.flatnonzero(exclusive >= 0)
    if len(exclusive_rows):
        keys = labels[exclusive_rows] * (int(exclusive.max()) + 1) + exclusive[exclusive_rows]
        unique, counts = np.unique(keys, return_counts=True)
        suspect[unique[counts > 1] // (int(exclusive.max()) + 1)] = True
    for x, y in neg_set:
        if labels[x] == labels[y]:
            suspect[labels[x]] = True
    if span is not None and n:
        latest = np.full(len(suspect), np.iinfo(np.int64).min, dtype=np.int64)
        earliest = np.full(len(suspect), np.iinfo(np.int64).max, dtype=np.int64)
        np.maximum.at(latest, labels, span.start)
        np.minimum.at(earliest, labels, span.end)
        suspect |= (latest - earliest) > span.limit
    result = Clustering(labels, blocked)
    if not suspect.any():
        return result
    _resolve(result, a, b, score, exclusive, list(positive), neg_set, suspect, span)
    result.labels = canonical(result.labels)
    labels = result.labels
    result.blocked = {i: r for i, r in result.blocked.items() if labels[a[i]] != labels[b[i]]}
    return result


def _resolve(
    result: Clustering,
    a: Index,
    b: Index,
    score: NDArray[np.float32],
    exclusive: Index,
    positive: list[tuple[int, int]],
    negative: set[tuple[int, int]],
    suspect: NDArray[np.bool_],
    span: Span | None = None,
) -> None:
    """Replay the links of suspect components under the constraints: analysts' positive
    judgements first, then links strongest first, skipping those the constraints forbid."""
    labels = result.labels
    neg: dict[int, set[int]] = defaultdict(set)
    for x, y in negative:
        neg[x].add(y)
        neg[y].add(x)
    groups = _UnionFind(len(labels), exclusive, neg, span)
    for x, y in positive:
        if suspect[labels[x]]:
            rx, ry = groups.find(x), groups.find(y)
            if rx != ry:
                why = groups.conflict(rx, ry, check_exclusive=False)
                if why is None:
                    groups.union(rx, ry)
                else:
                    result.ignored_positive.append((x, y, why))
    ids = np.flatnonzero(suspect[labels[a]])
    ids = ids[np.lexsort((ids, -score[ids]))]
    for i, x, y in zip(ids.tolist(), a[ids].tolist(), b[ids].tolist(), strict=True):
        if i in result.blocked:
            continue
        rx, ry = groups.find(x), groups.find(y)
        if rx != ry:
            why = groups.conflict(rx, ry, check_exclusive=True)
            if why is None:
                groups.union(rx, ry)
            else:
                result.blocked[i] = why
    nodes = np.flatnonzero(suspect[labels])
    roots = np.array([groups.find(m) for m in nodes.tolist()], dtype=np.int64)
    # each group that is not its component's first keeps a new label
    order = np.lexsort((nodes, labels[nodes]))
    nodes, roots = nodes[order], roots[order]
    next_label = int(labels.max()) + 1
    for start, end in _runs(labels[nodes]):
        first_root = roots[start]
        others = roots[start:end] != first_root
        if others.any():
            distinct = np.unique(roots[start:end][others])
            new = np.searchsorted(distinct, roots[start:end][others]) + next_label
            labels[nodes[start:end][others]] = new
            next_label += len(distinct)
