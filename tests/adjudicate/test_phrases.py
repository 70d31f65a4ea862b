"""Sentences written from phrase tables are the phrases joined, row by row, in order."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ceasefire.adjudicate import phrases
from ceasefire.adjudicate.phrases import assemble_grouped, phrase


def test_rows_join_the_owner_phrases_then_their_group_phrase() -> None:
    what = phrase(["Shelling", "Drone strike", ""], [0, 1, 2])
    where = phrase([" 4.2 km from the line", " near Kostiantynivka (Костянтинівка)"], [1, 0, 1])
    rule_a = phrase(["; breaks A", "; possibly breaks A"], [0, 1, 0])
    rule_b = phrase(["; breaks B ±5 km"], [0, 0])
    owner = np.array([0, 2, 1, 0, 2])  # rows 0-2 belong to rule A, rows 3-4 to rule B
    result = assemble_grouped([what, where], owner, [rule_a, rule_b])
    assert result.to_pylist() == [
        "Shelling near Kostiantynivka (Костянтинівка); breaks A",
        " near Kostiantynivka (Костянтинівка); possibly breaks A",
        "Drone strike 4.2 km from the line; breaks A",
        "Shelling near Kostiantynivka (Костянтинівка); breaks B ±5 km",
        " near Kostiantynivka (Костянтинівка); breaks B ±5 km",
    ]
    assert result.type == pa.string()


def test_large_groups_come_in_pieces_with_the_same_text(monkeypatch: object) -> None:
    monkeypatch.setattr(phrases, "PIECE_ROWS", 7)  # type: ignore[attr-defined]
    rng = np.random.default_rng(3)
    words = ["a", "", "ééé", "long phrase " * 20]
    head = phrase(words, rng.integers(0, 4, 30))
    group = phrase(["x", "yy", ""], rng.integers(0, 3, 50))
    owner = rng.integers(0, 30, 50)
    result = assemble_grouped([head], owner, [group, phrase(["z"], [])])
    assert result.num_chunks == 8
    tails = ["x", "yy", ""]
    expected = [words[head[1][o]] + tails[g] for o, g in zip(owner, group[1], strict=True)]
    assert result.to_pylist() == expected


def test_no_rows_give_an_empty_column() -> None:
    result = assemble_grouped([phrase(["a"], [0])], np.zeros(0, np.intp), [phrase(["b"], [])])
    assert len(result) == 0 and result.type == pa.string()
