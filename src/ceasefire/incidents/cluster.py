"""Building blocks of clustering: connected components (scipy), canonical labels, the time
span constraint, and a union-find that keeps apart reports an analyst judged different (for
analysts' positive judgements). Links become incidents in ceasefire.incidents.linkage.
"""

from __future__ import annotations

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
