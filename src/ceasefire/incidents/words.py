"""Content words of reports' texts, weighted by rarity, for the `words` feature.

Each report's text (normalized; a GDELT row without a title: the words of its web address)
becomes a set of words without its own place name (the `place` and `point` features score
places) and without one-letter tokens. Each word is weighted by its inverse document
frequency among the reports deduplicated together (log((n + 1) / (reports with the word + 1)):
'russian' or 'shelling' weigh little, 'kindergarten', 'substation' or '7' much). A pair's
value is the share of the shorter text's weight (squared weights) that the other text holds
too: a headline whose rare words all appear in a longer note scores 1.

Typos: a rare word (of four or more letters) one edit away from a word at least TYPO_RATIO
times as frequent stands for that word ('sehlling' for 'shelling', 'substaiton' for
'substation'): otherwise a misspelt word, being rare, would weigh most in its text and hide
what the texts share. One edit: a letter dropped, added or changed, or two neighbours swapped;
such words share a form with one letter deleted (found by lookup, not by comparing every
pair of words). Inflections: words of one stem ('shelled', 'shelling'; 'kills', 'killed')
count as one word, their most frequent form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp
from numpy.typing import NDArray

TOKEN = re.compile(r"[a-z0-9]+")
TYPO_RATIO = 20.0  # a word stands for a neighbour at least this many times as frequent
TYPO_MIN_LENGTH = 4
TOKEN_CHUNK = 100_000  # texts split by Arrow at a time


@dataclass(frozen=True)
class WordVectors:
    """Per report: the row of its weighted word vector in `matrix` (-1: none); per row its
    squared norm."""

    row: NDArray[np.int64]
    matrix: sp.csr_matrix
    norm2: NDArray[np.float64]
    vocabulary: NDArray[np.object_]


def content_words(text: str, place: str) -> set[str]:
    """The words of a normalized text, without those of the place name and one-letter ones
    (numbers are kept: '7 killed' says something)."""
    drop = set(TOKEN.findall(place))
    return {w for w in TOKEN.findall(text) if w not in drop and (len(w) > 1 or w.isdigit())}


def _token_matrices(*columns: NDArray[np.object_]) -> tuple[list[sp.csr_matrix], NDArray[Any]]:
    """Binary matrices (row k marks the words of column[k]) over one vocabulary, in the order
    words first occur (Arrow splits the texts at every run of other characters than a-z, 0-9:
    the tokens of TOKEN)."""
    sizes = [len(values) for values in columns]
    every = [str(v) for values in columns for v in values.tolist()]
    vocabulary: dict[str, int] = {}  # word -> id, in order of first occurrence
    parents, coded = [], []
    for lo in range(0, len(every), TOKEN_CHUNK):  # chunks: Arrow's working memory stays small
        tokens = pc.split_pattern_regex(
            pa.array(every[lo : lo + TOKEN_CHUNK], type=pa.large_string()), r"[^a-z0-9]+"
        )
        flat = pc.list_flatten(tokens)
        given = np.asarray(pc.greater(pc.binary_length(flat), 0).to_numpy(zero_copy_only=False))
        encoded = pc.dictionary_encode(flat.filter(pa.array(given)))
        ids = [vocabulary.setdefault(w, len(vocabulary)) for w in encoded.dictionary.to_pylist()]
        local = np.asarray(encoded.indices.to_numpy(), dtype=np.int64)
        coded.append(np.asarray(ids, dtype=np.int64)[local] if len(ids) else local)
        parent = np.asarray(pc.list_parent_indices(tokens).to_numpy(), dtype=np.int64)
        parents.append(parent[given] + lo)
    codes = np.concatenate(coded) if coded else np.zeros(0, np.int64)
    parent = np.concatenate(parents) if parents else np.zeros(0, np.int64)
    words = np.asarray(list(vocabulary), dtype=object)
    # each word once per text, in the text's order of first occurrence
    key = parent * max(len(words), 1) + codes
    _, first = np.unique(key, return_index=True)
    first = np.sort(first)
    parent, codes = parent[first], codes[first]
    kept = np.array([len(w) > 1 or w.isdigit() for w in words.tolist()], dtype=bool)
    matrices = []
    row = 0
    for size in sizes:
        inside = (parent >= row) & (parent < row + size)
        counts = np.bincount(parent[inside] - row, minlength=size)
        pointer = np.r_[0, np.cumsum(counts)].astype(np.int64)
        data = kept[codes[inside]].astype(np.float32)
        matrix = sp.csr_matrix((data, codes[inside], pointer), shape=(size, len(words)))
        matrix.eliminate_zeros()
        matrices.append(matrix)
        row += size
    return matrices, words


def _deletions(word: str) -> set[str]:
    """The word and its forms with one letter deleted."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def typo_map(words: NDArray[np.object_], frequency: NDArray[np.float64]) -> NDArray[np.int64]:
    """Per vocabulary word, the word it stands for: itself, or for a word one edit away from
    a word at least TYPO_RATIO times as frequent, the most frequent such word."""
    canon = np.arange(len(words), dtype=np.int64)
    text = [str(w) for w in words.tolist()]
    eligible = [len(w) >= TYPO_MIN_LENGTH and w.isalpha() for w in text]
    by_form: dict[str, int] = {}  # one-deletion form -> most frequent word having it
    for v in sorted(np.flatnonzero(eligible).tolist(), key=lambda v: -frequency[v]):
        for form in _deletions(text[v]):
            by_form.setdefault(form, v)
    for v in np.flatnonzero(eligible).tolist():
        best = v
        for form in _deletions(text[v]):
            u = by_form.get(form, v)
            if frequency[u] > frequency[best]:
                best = u
        if best != v and frequency[best] >= TYPO_RATIO * max(frequency[v], 1.0):
            canon[v] = best
    return canon


SUFFIXES = ("ing", "ed", "es", "s")


def stem(word: str) -> str:
    """A word without an English inflection ('shelling', 'shelled' -> 'shell'; 'hits' ->
    'hit'); words of four letters or fewer, and numbers, as they are."""
    if len(word) <= 4 or not word.isalpha():
        return word
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def stem_map(words: NDArray[np.object_], frequency: NDArray[np.float64]) -> NDArray[np.int64]:
    """Per vocabulary word, the most frequent word of the same stem (itself if none)."""
    stems = pd.Series([stem(str(w)) for w in words.tolist()])
    order = np.lexsort((np.arange(len(words)), -frequency))
    first = pd.Series(order, index=stems.to_numpy()[order]).groupby(level=0).first()
    return np.asarray(first.reindex(stems.to_numpy()).to_numpy(), dtype=np.int64)


def _merge_columns(matrix: sp.csr_matrix, canon: NDArray[np.int64]) -> sp.csr_matrix:
    """A binary word matrix with each word's column moved to the word it stands for."""
    size = len(canon)
    move = sp.csr_matrix((np.ones(size, np.float32), (np.arange(size), canon)), (size, size))
    merged = sp.csr_matrix(matrix @ move, dtype=np.float32)
    merged.data[:] = 1.0
    return merged


def word_vectors(
    text_code: NDArray[np.int32], texts: NDArray[np.object_],
    place_code: NDArray[np.int32], places: NDArray[np.object_],
) -> WordVectors:  # fmt: skip
    """Weighted word vectors of every report, one per distinct (text, place)."""
    n = len(text_code)
    if n == 0 or len(places) == 0:
        empty = sp.csr_matrix((0, 0), dtype=np.float32)
        return WordVectors(np.full(n, -1, np.int64), empty, np.zeros(0), np.zeros(0, object))
    key = text_code.astype(np.int64) * (len(places) + 1) + place_code.astype(np.int64)
    combo, unique = pd.factorize(pd.Series(key), sort=False)
    distinct = np.asarray(unique, dtype=np.int64)
    (text_words, place_words), vocabulary = _token_matrices(texts, places)
    per_text = np.bincount(text_code, minlength=len(texts)).astype(np.float64)
    frequency = np.asarray(text_words.T @ per_text).ravel()
    canon = typo_map(vocabulary, frequency)
    merged = np.bincount(canon, weights=frequency, minlength=len(canon)).astype(np.float64)
    canon = stem_map(vocabulary, merged)[canon]
    if (canon != np.arange(len(canon))).any():
        text_words, place_words = (
            _merge_columns(text_words, canon),
            _merge_columns(place_words, canon),
        )
    of_text = text_words[distinct // (len(places) + 1)]
    of_place = place_words[np.minimum(distinct % (len(places) + 1), max(len(places) - 1, 0))]
    ones = sp.csr_matrix(of_text - of_text.multiply(of_place), dtype=np.float32)
    ones.eliminate_zeros()
    counts = np.bincount(combo, minlength=len(distinct)).astype(np.float64)
    frequency = np.asarray(ones.T @ counts).ravel()
    idf = np.log((n + 1) / (frequency + 1)).astype(np.float32)
    matrix = sp.csr_matrix(ones @ sp.diags(idf), dtype=np.float32)
    matrix.sort_indices()
    norm2 = np.asarray(matrix.multiply(matrix).sum(axis=1), dtype=np.float64).ravel()
    row = np.where(norm2[combo] > 0, combo, -1).astype(np.int64)
    return WordVectors(row, matrix, norm2, vocabulary)


def overlap(
    vectors: WordVectors, a: NDArray[np.int64], b: NDArray[np.int64]
) -> NDArray[np.float32]:
    """Share of the lighter word vector's squared weight held by both reports a[k] and b[k];
    NaN where either has no words (a compiled merge of the two sparse rows per pair)."""
    from ceasefire.incidents.kernels import row_dots

    out = np.full(len(a), np.nan, dtype=np.float32)
    ra, rb = vectors.row[a], vectors.row[b]
    both = np.flatnonzero((ra >= 0) & (rb >= 0))
    if len(both) == 0:
        return out
    matrix = (
        vectors.matrix if vectors.matrix.has_sorted_indices else vectors.matrix.sorted_indices()
    )
    ra, rb = ra[both], rb[both]
    shared = row_dots(
        matrix.indptr.astype(np.int64, copy=False), matrix.indices.astype(np.int32, copy=False),
        matrix.data.astype(np.float32, copy=False), ra, rb,
    )  # fmt: skip
    lighter = np.minimum(vectors.norm2[ra], vectors.norm2[rb])
    out[both] = np.minimum(shared / lighter, 1.0)
    return out
