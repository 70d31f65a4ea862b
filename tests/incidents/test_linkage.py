"""Average linkage: competition between rival incidents, groups moving as one, no chains."""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.errors import CeasefireError
from ceasefire.incidents import load_incidents_config
from ceasefire.incidents.linkage import link_clusters
from ceasefire.incidents.textual import deaths_in
from ceasefire.incidents.words import content_words, overlap, word_vectors

THRESHOLD, UNLINKED = 0.7, 0.3


def clusters(
    n: int, links: list[tuple[int, int, float]], exclusive: list[int] | None = None,
    positive: tuple[tuple[int, int], ...] = (), negative: tuple[tuple[int, int], ...] = (),
) -> tuple[list[int], dict[tuple[int, int], str]]:  # fmt: skip
    a = np.array([x for x, _, _ in links], dtype=np.int64)
    b = np.array([y for _, y, _ in links], dtype=np.int64)
    score = np.array([s for _, _, s in links], dtype=np.float32)
    codes = np.array(exclusive or [-1] * n, dtype=np.int64)
    result = link_clusters(n, a, b, score, THRESHOLD, UNLINKED, codes, positive, negative)
    blocked = {(int(a[i]), int(b[i])): why for i, why in result.blocked.items()}
    return result.labels.tolist(), blocked


def test_a_chain_of_pairwise_links_is_not_one_incident() -> None:
    # 0 ~ 1 and 1 ~ 2 each pass the threshold, 0 and 2 are not alike: mean (1.0 + 0.3) / 2
    labels, blocked = clusters(3, [(0, 1, 1.0), (1, 2, 1.0)])
    assert labels == [0, 0, 1]
    assert "0.65 on average, below the threshold 0.7" in blocked[(1, 2)]


def test_a_report_like_two_rival_incidents_joins_the_better_one_only() -> None:
    labels, _ = clusters(3, [(0, 1, 0.9), (0, 2, 1.2)])
    assert labels == [0, 1, 0]


def test_rival_rows_of_a_curated_source_block_with_that_reason() -> None:
    labels, blocked = clusters(3, [(0, 1, 0.9), (0, 2, 1.2), (1, 2, 1.0)], exclusive=[-1, 0, 0])
    assert labels == [0, 1, 0]
    assert blocked[(0, 1)] == "both groups hold a row of the same curated source"


def test_an_articles_rows_move_together_on_their_joint_evidence() -> None:
    # rows 0 and 1 of one article; row 1 alone (0.6) is below the threshold against report 2,
    # but the article as a whole averages (0.9 + 0.6) / 2 = 0.75
    labels, _ = clusters(3, [(0, 1, 2.0), (0, 2, 0.9), (1, 2, 0.6)])
    assert labels == [0, 0, 0]
    labels, _ = clusters(3, [(0, 1, 2.0), (0, 2, 0.7), (1, 2, 0.6)])
    assert labels == [0, 0, 1]  # (0.7 + 0.6) / 2 = 0.65


def test_analysts_judgements_override_the_average() -> None:
    links = [(0, 1, 2.0), (1, 2, 2.0), (0, 2, 2.0)]
    labels, blocked = clusters(3, links, negative=((0, 2),))
    assert labels[0] != labels[2]
    assert blocked[(0, 2)] == "an analyst judged these two reports to be different"
    labels, _ = clusters(3, [], positive=((0, 2),))
    assert labels == [0, 1, 0]


def test_unlinked_score_and_link_threshold_must_be_ordered() -> None:
    with pytest.raises(CeasefireError, match="unlinked_score <= link_threshold <= threshold"):
        load_incidents_config({"unlinked_score": 2.0})


def test_words_ignore_the_place_name_and_weigh_rare_words() -> None:
    assert content_words("shelled kurakhove school 2 killed", "kurakhove") == {
        "shelled", "school", "2", "killed",
    }  # fmt: skip
    texts = np.array(
        ["kurakhove school", "russian shelling of kurakhove hits school 3 killed",
         "kurakhove market hit", "russian shelling market"],
        dtype=object,
    )  # fmt: skip
    places = np.array(["kurakhove", ""], dtype=object)
    codes = np.arange(4, dtype=np.int32)
    vectors = word_vectors(codes, texts, np.array([0, 0, 0, 1], dtype=np.int32), places)
    found = overlap(vectors, np.array([0, 0, 1], dtype=np.int64), np.array([1, 2, 3]))
    assert found[0] == pytest.approx(1.0, abs=1e-6)  # the headline's one word is in the note
    assert found[1] == 0  # only the town in common, and place names do not count
    assert found[2] == pytest.approx(2 / 3, abs=1e-6)  # 'russian', 'shelling'; not 'market'
    empty = word_vectors(codes[:1], np.array(["kurakhove"], dtype=object), codes[:1], places)
    assert np.isnan(overlap(empty, np.array([0]), np.array([0])))[0]


def test_a_death_count_in_a_headline_is_read() -> None:
    assert deaths_in("Russian shelling of Kherson kills 3") == 3
    assert deaths_in("2 people killed in Kharkiv") == 2
    assert np.isnan(deaths_in("Shelling of Kherson, no casualties"))


def test_equal_scores_in_a_ring_still_join_by_smallest_ids() -> None:
    # every pair alike: each group's best partner is ambiguous; ties go to the smallest id
    labels, _ = clusters(3, [(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0)])
    assert labels == [0, 0, 0]
    labels, _ = clusters(4, [(0, 1, 1.0), (2, 3, 1.0), (1, 2, 1.0), (0, 3, 1.0)])
    assert labels == [0, 0, 1, 1]  # {0,1} then {2,3}; their 4 pairs average (2 + 2*0.3)/4
