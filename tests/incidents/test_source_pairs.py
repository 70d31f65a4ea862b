"""Per source pair weights, article dates, the wider time limit and typo-tolerant words."""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.errors import CeasefireError
from ceasefire.incidents import IncidentsConfig, deduplicate, load_incidents_config
from ceasefire.incidents.features import FEATURES, Pairs, feature_params
from ceasefire.incidents.reports import Reports
from ceasefire.incidents.scoring import score_pairs
from ceasefire.incidents.words import overlap, stem, typo_map, word_vectors

from .conftest import frame, report

DAY = {"time_start": "2026-03-01T00:00:00Z", "time_end": "2026-03-01T23:59:59Z"}
NEXT_DAY = {"time_start": "2026-03-02T00:00:00Z", "time_end": "2026-03-02T23:59:59Z"}
DAY_BEFORE = {"time_start": "2026-02-28T00:00:00Z", "time_end": "2026-02-28T23:59:59Z"}
TITLE = "Russian shelling of Kurakhove hits school, 2 killed"


def gdelt(event_id: str, **changes: object) -> dict[str, object]:
    """A GDELT row: a day, a city's 25 km, the article's title and web address."""
    return report(event_id, location_radius_km=25.0, text=TITLE, fatalities_best=None,
                  source_name=f"https://www.ukrinform.ua/news/{event_id[6:]}",
                  **{**DAY, **changes})  # fmt: skip


def scores(config: IncidentsConfig, *rows: dict[str, object]) -> tuple[Reports, np.ndarray]:
    """The pair's score, every feature computed (no link threshold)."""
    config = config.model_copy(update={"link_threshold": -1e9})
    reports = Reports.from_frame(frame(*rows))
    a, b = np.array([0], dtype=np.int64), np.array([1], dtype=np.int64)
    return reports, score_pairs(reports, a, b, config).score


def test_a_source_pairs_weights_and_offset_are_used_for_that_pair_only(
    config: IncidentsConfig,
) -> None:
    acled, field = report("acled:1", **DAY), report("field_report:1")
    _, before_acled = scores(config, acled, gdelt("gdelt:2"))
    _, before_field = scores(config, field, gdelt("gdelt:2"))
    changed = load_incidents_config(
        {"source_pairs": {"acled-gdelt": {"offset": -3.0, "weights": {"words": 0.0}}}}
    )
    reports, after_acled = scores(changed, acled, gdelt("gdelt:2"))
    _, after_field = scores(changed, field, gdelt("gdelt:2"))
    words, _ = FEATURES["words"].score(
        Pairs(reports, np.array([0]), np.array([1])), feature_params(config, "words")
    )
    expected = -3.0 - config.source_pairs["acled-gdelt"].offset
    expected -= config.source_pairs["acled-gdelt"].weights["words"] * float(words[0])
    assert float(words[0]) != 0
    assert float(after_acled[0] - before_acled[0]) == pytest.approx(expected, abs=1e-4)
    assert float(after_field[0]) == pytest.approx(float(before_field[0]))  # another pair
    assert changed.pair_weights("gdelt", "acled")[0] == -3.0  # the key is order-free
    assert changed.pair_weights("ucdp", "gdelt") == (0.0, {
        n: f.weight for n, f in changed.features.items()})  # fmt: skip
    assert same_incident(config, acled, gdelt("gdelt:2"))
    assert not same_incident(changed, acled, gdelt("gdelt:2"))


def same_incident(config: IncidentsConfig, *rows: dict[str, object]) -> bool:
    return len(set(deduplicate(frame(*rows), config).labels.tolist())) == 1


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"source_pairs": {"acled-gdelt": {"weights": {"wrds": 1.0}}}},
         r"'source_pairs\.acled-gdelt\.weights\.wrds'; did you mean 'words'\?"),
        ({"source_pairs": {"acled-gdelt": {"weights": {"words": -1.0}}}}, r"weights must be >= 0"),
    ],
)  # fmt: skip
def test_bad_source_pair_weights_are_clear_errors(
    override: dict[str, object], message: str
) -> None:
    with pytest.raises(CeasefireError, match=message):
        load_incidents_config(override)


@pytest.mark.parametrize(
    ("dates", "score", "reason"),
    [
        (DAY_BEFORE, -1.0, "the article is dated 0 h before the other report: it cannot"),
        (DAY, 0.0, "the article is dated on or after the other report's time"),
        (NEXT_DAY, 0.0, "the article is dated on or after the other report's time"),
    ],
)
def test_an_article_is_never_dated_before_what_it_reports(
    config: IncidentsConfig, dates: dict[str, str], score: float, reason: str
) -> None:
    reports = Reports.from_frame(frame(report("acled:1", **DAY), gdelt("gdelt:2", **dates)))
    pairs = Pairs(reports, np.array([1]), np.array([0]))  # either order
    found, value = FEATURES["published"].score(pairs, feature_params(config, "published"))
    assert float(found[0]) == score
    text = FEATURES["published"].reason(reports.row(1), reports.row(0), float(value[0]), score)
    assert text.startswith(reason)
    # two articles, or two reports dated by occurrence: no information
    two = Reports.from_frame(frame(gdelt("gdelt:1", **NEXT_DAY), gdelt("gdelt:2", **DAY)))
    found, value = FEATURES["published"].score(
        Pairs(two, np.array([0]), np.array([1])), feature_params(config, "published")
    )
    assert float(found[0]) == 0.0 and np.isnan(value[0])


def test_a_patrol_report_meets_the_next_days_article(config: IncidentsConfig) -> None:
    # the patrol saw it at 03:00; the article is dated the next day (21 h later): outside the
    # former 12 h limit, inside 24 h; two days later is still outside
    patrol = report("field_report:1", time_start="2026-03-01T03:00:00Z",
                    time_end="2026-03-01T03:00:00Z")  # fmt: skip
    assert config.candidates.max_time_gap_h == 24
    result = deduplicate(frame(patrol, gdelt("gdelt:2", **NEXT_DAY)), config)
    assert result.candidates == 1
    assert result.incidents == 1
    later = {"time_start": "2026-03-03T00:00:00Z", "time_end": "2026-03-03T23:59:59Z"}
    assert deduplicate(frame(patrol, gdelt("gdelt:2", **later)), config).candidates == 0


def test_a_misspelt_word_stands_for_the_frequent_word_it_misspells() -> None:
    words = np.array(["substation", "substaiton", "school", "schools", "7"], dtype=object)
    frequency = np.array([100.0, 2.0, 50.0, 40.0, 1.0])
    # a swap, one edit from a word 50 times as frequent; 'schools' is frequent itself; digits
    # and short words stay
    assert typo_map(words, frequency).tolist() == [0, 0, 2, 3, 4]
    texts = np.array(["substation hit 7 killed"] * 40 + ["market fire"] * 40
                     + ["substaiton hit 7 killed"], dtype=object)  # fmt: skip
    codes = np.arange(len(texts), dtype=np.int32)
    places = np.array(["kurakhove"], dtype=object)
    vectors = word_vectors(codes, texts, np.zeros(len(texts), dtype=np.int32), places)
    shared = overlap(vectors, np.array([0], dtype=np.int64), np.array([80], dtype=np.int64))
    assert float(shared[0]) == pytest.approx(1.0)


def test_inflections_of_one_word_count_as_one() -> None:
    assert [stem(w) for w in ("shelled", "shelling", "kills", "killed", "hits", "7")] == [
        "shell", "shell", "kill", "kill", "hits", "7"]  # fmt: skip
    texts = np.array(["school shelled"] * 5 + ["market burned"] * 5 + ["shelling school"],
                     dtype=object)  # fmt: skip
    codes = np.arange(len(texts), dtype=np.int32)
    places = np.array(["kurakhove"], dtype=object)
    vectors = word_vectors(codes, texts, np.zeros(len(texts), dtype=np.int32), places)
    shared = overlap(vectors, np.array([0], dtype=np.int64), np.array([10], dtype=np.int64))
    assert float(shared[0]) == pytest.approx(1.0)
