"""Which of several ordered regular expressions is the first (in their order) to match each
text. All the classes of all the searches are compiled into one DFA (sources/dfa.py) that
finds every class a text mentions in one compiled pass over its bytes (sources/dfascan.py).
Where that cannot be used (syntax the DFA compiler does not handle, no llvmlite): a binary
decision tree over the classes, each test one RE2 pass (Arrow) with the union of a run of
consecutive classes on the rows that reach it, in batches on two threads."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:  # loaded with the first search
    from ceasefire.sources.dfa import Dfa
    from ceasefire.sources.dfascan import Kernel


@dataclass(frozen=True)
class ByCode:
    """A rows x classes boolean matrix as one row of `table` per code and a code per row
    (-1: the table's last row): no matrix per row is made where bits per row will do."""

    table: np.ndarray
    codes: np.ndarray

    def matrix(self) -> np.ndarray:
        """The matrix itself."""
        rows: np.ndarray = self.table[self.codes]
        return rows

    def bits(self) -> np.ndarray:
        """Each row as bits (uint32)."""
        per_code: np.ndarray = _row_bits(self.table)[self.codes]
        return per_code


Allowed = np.ndarray | ByCode | None  # which classes each row may take (None: all)
SAMPLE = 2048  # rows per group resolved first to learn how often each class wins
BATCH = 1 << 17  # rows searched together (one contiguous copy of their texts)
_PARALLEL_ROWS = 100_000
Tree = dict[tuple[int, int], int]  # per interval of outcomes [lo, hi], where it is split


def search(array: pa.Array | pa.ChunkedArray, pattern: str) -> np.ndarray:
    """Case-insensitive RE2 search per value (null: False), on this thread."""
    hit = pc.match_substring_regex(array, pattern, ignore_case=True)
    result: np.ndarray = pc.fill_null(hit, False).to_numpy(zero_copy_only=False)
    return result


def match(array: pa.Array | pa.ChunkedArray, pattern: str) -> np.ndarray:
    """`search`, on two threads for long arrays."""
    n = len(array)
    if n < _PARALLEL_ROWS:
        return search(array, pattern)
    with ThreadPoolExecutor(max_workers=2) as pool:
        parts = list(pool.map(search, [array.slice(0, n // 2), array.slice(n // 2)], [pattern] * 2))
    return np.concatenate(parts)


def contiguous(text: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One Arrow array (RE2 compiles its pattern once per chunk)."""
    if isinstance(text, pa.ChunkedArray):
        return text.chunk(0) if text.num_chunks == 1 else text.combine_chunks()
    return text


def union(patterns: list[str]) -> str:
    """One RE2 pattern matching where any of `patterns` matches."""
    return "|".join(f"(?:{p})" for p in patterns)


def splits(weights: list[float]) -> Tree:
    """The optimal alphabetic decision tree over ordered outcomes with these weights: for each
    interval [lo, hi] of outcomes, the m (lo < m <= hi) whose test "is the outcome before m?"
    keeps the expected number of tests (passes over a row) lowest."""
    total = np.concatenate([[0.0], np.cumsum(weights)])
    cost: dict[tuple[int, int], float] = {(i, i): 0.0 for i in range(len(weights))}
    split: dict[tuple[int, int], int] = {}
    for width in range(1, len(weights)):
        for lo in range(len(weights) - width):
            hi = lo + width
            best = min(range(lo + 1, hi + 1), key=lambda m: cost[lo, m - 1] + cost[m, hi])
            split[lo, hi] = best
            cost[lo, hi] = total[hi + 1] - total[lo] + cost[lo, best - 1] + cost[best, hi]
    return split


class FirstMatch:
    """Ordered class patterns; per text the first class that matches."""

    def __init__(self, patterns: list[str]) -> None:
        self.patterns = patterns
        self._unions: dict[tuple[int, ...], str] = {}

    def _union(self, classes: list[int]) -> str:
        key = tuple(classes)
        if key not in self._unions:
            self._unions[key] = union([self.patterns[c] for c in classes])
        return self._unions[key]

    def first(
        self, text: pa.Array | pa.ChunkedArray, allowed: np.ndarray | None = None
    ) -> np.ndarray:
        """Per row, the index of the first class that the text mentions and `allowed` (rows x
        classes) permits; -1 for none or a null text."""
        return first_of_each(text, [(self, allowed)])[0]

    def _batch(
        self, text: pa.Array, allowed: np.ndarray | None, trees: dict[tuple[int, ...], Tree]
    ) -> np.ndarray:
        """`first` on one batch: rows are grouped by the classes they allow, and each group
        is resolved with its own tree."""
        n, k = len(text), len(self.patterns)
        found = np.full(n, -1, dtype=np.int64)
        valid = text.is_valid().to_numpy(zero_copy_only=False)
        if allowed is None:
            masks, group = np.ones((1, k), dtype=bool), np.where(valid, 0, -1)
        else:
            masks, group = _groups(allowed)
            group = np.where(valid, group, -1)
        for g, mask in enumerate(masks):
            classes = [int(c) for c in np.flatnonzero(mask)]
            member = group == g
            rows = np.flatnonzero(member)
            if not classes or len(rows) == 0:
                continue
            subset = text if len(rows) == n else text.filter(pa.array(member))
            found[rows] = self._resolve(subset, classes, trees)
        return found

    def _resolve(
        self, text: pa.Array, classes: list[int], trees: dict[tuple[int, ...], Tree]
    ) -> np.ndarray:
        """First matching class (of `classes`) per text, -1 for none; the tree's shape is
        learned from an evenly spread sample of the rows when there are many."""
        tree = trees.get(tuple(classes))
        if tree is None:
            tree = splits([1.0] * (len(classes) + 1))
            n = len(text)
            if n >= 8 * SAMPLE:
                picked = np.arange(0, n, n // SAMPLE)
                sample = self._descend(text.take(pa.array(picked)), classes, tree)
                outcome = np.searchsorted(classes, np.where(sample < 0, len(self.patterns), sample))
                tree = splits(list(np.bincount(outcome, minlength=len(classes) + 1) + 0.5))
                trees[tuple(classes)] = tree
        return self._descend(text, classes, tree)

    def _descend(self, text: pa.Array, classes: list[int], split: Tree) -> np.ndarray:
        outcomes = [*classes, -1]
        out = np.full(len(text), -1, dtype=np.int64)
        stack = [(np.arange(len(text)), text, 0, len(classes))]
        while stack:
            rows, sub, lo, hi = stack.pop()
            if lo == hi:
                out[rows] = outcomes[lo]
                continue
            m = split[lo, hi]
            hit = search(sub, self._union(classes[lo:m]))
            for mask, a, b in ((hit, lo, m - 1), (~hit, m, hi)):
                if a == b:  # an outcome: no text to copy for it
                    out[rows[mask]] = outcomes[a]
                elif mask.all():
                    stack.append((rows, sub, a, b))
                elif mask.any():
                    stack.append((rows[mask], sub.filter(pa.array(mask)), a, b))
        return out


def first_of_each(
    text: pa.Array | pa.ChunkedArray, searches: Sequence[tuple[FirstMatch, Allowed]]
) -> list[np.ndarray]:
    """`FirstMatch.first` of several matchers (each with its `allowed` or None) on the same
    texts: in one DFA pass over the texts for all of them, else with RE2 (`regex_first_of_each`)."""
    compiled = compiled_search(tuple(tuple(m.patterns) for m, _ in searches))
    if compiled is None:
        return regex_first_of_each(text, searches)
    from ceasefire.sources.dfascan import class_bits

    bits = class_bits(text, *compiled)
    valid = None if text.null_count == 0 else text.is_valid().to_numpy(zero_copy_only=False)
    found, shift = [], 0
    for matcher, allowed in searches:
        k = len(matcher.patterns)
        mine = (bits >> np.uint32(shift)) & np.uint32((1 << k) - 1)
        if allowed is not None:
            mine &= allowed.bits() if isinstance(allowed, ByCode) else _row_bits(allowed)
        first = _lowest_bit(mine, k)
        if valid is not None:
            first[~valid] = -1
        found.append(first)
        shift += k
    return found


@cache
def compiled_search(patterns: tuple[tuple[str, ...], ...]) -> tuple[Dfa, Kernel] | None:
    """The DFA of these searches' classes (bits in order) and the compiled scan, or None when
    the DFA cannot be used (then RE2 searches). Loaded ahead, on a thread, by the readers."""
    from ceasefire.sources.dfa import Unsupported, cached_classes
    from ceasefire.sources.dfascan import kernel

    scan = kernel()
    if scan is None:
        return None
    try:
        dfa = cached_classes([p for group in patterns for p in group])
    except Unsupported:
        return None
    return dfa, scan


def _row_bits(allowed: np.ndarray) -> np.ndarray:
    """A boolean matrix (rows x at most 32 columns) as one uint32 of bits per row."""
    packed = np.packbits(allowed, axis=1, bitorder="little")
    if packed.shape[1] == 1:
        return packed[:, 0].astype(np.uint32)
    padded = np.zeros((len(packed), 4), dtype=np.uint8)
    padded[:, : packed.shape[1]] = packed
    bits: np.ndarray = padded.view("<u4")[:, 0]
    return bits


def _lowest_bit(bits: np.ndarray, k: int) -> np.ndarray:
    """Index of the lowest set bit per value (int64; -1 for 0), for values below 1 << k."""
    if k <= 16:
        found: np.ndarray = _lowest_table(k)[bits]
        return found
    out = np.full(len(bits), -1, dtype=np.int64)
    for c in reversed(range(k)):
        out[((bits >> np.uint32(c)) & np.uint32(1)) != 0] = c
    return out


@cache
def _lowest_table(k: int) -> np.ndarray:
    values = np.arange(1 << k, dtype=np.int64)
    table = np.full(1 << k, -1, dtype=np.int64)
    low = values[1:] & -values[1:]
    table[1:] = np.log2(low).astype(np.int64)  # exact for powers of two
    return table


def regex_first_of_each(
    text: pa.Array | pa.ChunkedArray, searches: Sequence[tuple[FirstMatch, Allowed]]
) -> list[np.ndarray]:
    """`first_of_each` with RE2: each batch of rows is copied out once and searched by all
    the matchers, each with its decision tree."""
    plain = [(m, a.matrix() if isinstance(a, ByCode) else a) for m, a in searches]
    n = len(text)
    found = [np.full(n, -1, dtype=np.int64) for _ in plain]
    trees: list[dict[tuple[int, ...], Tree]] = [{} for _ in plain]  # learned per group

    def run(start: int) -> None:
        part = contiguous(text.slice(start, BATCH))
        rows = slice(start, start + len(part))
        for (matcher, allowed), out, learned in zip(plain, found, trees, strict=True):
            out[rows] = matcher._batch(part, None if allowed is None else allowed[rows], learned)

    starts = range(0, n, BATCH)
    if len(starts) > 1:
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(run, starts))
    elif n:
        run(0)
    return found


def _groups(allowed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a boolean matrix, and each row's index among them."""
    k = allowed.shape[1]
    if k > 16:
        masks, inverse = np.unique(allowed, axis=0, return_inverse=True)
        return masks, inverse.reshape(-1)
    keys = allowed.astype(np.int32) @ (1 << np.arange(k, dtype=np.int32))
    present = np.flatnonzero(np.bincount(keys, minlength=1 << k))
    lookup = np.zeros(1 << k, dtype=np.int64)
    lookup[present] = np.arange(len(present))
    masks = (present[:, None] >> np.arange(k)) & 1
    return masks.astype(bool), lookup[keys]
