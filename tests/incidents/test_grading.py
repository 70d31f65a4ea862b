"""Admiralty grading: reliability per source, credibility from independent corroboration."""

from __future__ import annotations

from typing import Any

import pytest

from ceasefire.errors import CeasefireError
from ceasefire.grading.admiralty import grade
from ceasefire.grading.config import load_grading_config
from ceasefire.grading.origins import outlet_key, outlets
from ceasefire.incidents import deduplicate

from .conftest import frame, report

URL = "https://www.ukrinform.ua/rubric-ato/3766655-russian-shelling-hits-school-in-kurakhove.html"


def graded(*rows: dict[str, Any], override: dict[str, Any] | None = None) -> dict[str, Any]:
    """Grades of the single incident the rows make."""
    result = deduplicate(frame(*rows))
    assert result.incidents == 1, "the rows should make one incident"
    merged = result.links.take(result.merged)
    grading = grade(
        result.reports, result.labels, load_grading_config(override), (merged.a, merged.b)
    )
    row: dict[str, Any] = {str(k): v for k, v in grading.incidents.iloc[0].items()}
    return row


def test_outlet_keys_make_names_and_web_addresses_comparable() -> None:
    assert (
        outlet_key("Ukrinform") == outlet_key("www.ukrinform.ua") == outlet_key(URL) == "ukrinform"
    )
    assert outlet_key("Kyiv Post") == outlet_key("https://kyivpost.com/post/1") == "kyivpost"
    assert outlet_key("https://www.bbc.co.uk/news/world-1") == "bbc"
    assert outlets("Kyiv Post; Ukrinform") == ["kyivpost", "ukrinform"]


def test_one_source_alone_is_not_confirmed() -> None:
    g = graded(report("acled:1"))
    assert (g["admiralty_code"], g["independent_sources"]) == ("B2", 1)


def test_two_gdelt_rows_of_one_article_are_one_source() -> None:
    rows = [report(f"gdelt:{i}", source_name=URL, text=None) for i in (1, 2)]
    g = graded(*rows)
    assert (g["admiralty_code"], g["independent_sources"]) == ("E4", 1)


def test_the_same_outlet_twice_is_one_source() -> None:
    other = URL.replace("3766655", "3766700")
    g = graded(
        report("gdelt:1", source_name=URL, text="Shelling hits school"),
        report("gdelt:2", source_name=other, text="Kurakhove school shelled, 2 killed"),
    )
    assert g["independent_sources"] == 1


def test_an_aggregator_citing_an_outlet_is_not_independent_of_it() -> None:
    # ACLED codes the event from Ukrinform; the GDELT row is Ukrinform's article
    g = graded(
        report("acled:1", source_name="Ukrinform"),
        report("gdelt:2", source_name=URL, text="Russian shelling of Kurakhove"),
    )
    assert g["independent_sources"] == 1
    assert g["admiralty_code"] == "B2"  # the better source's reliability, not confirmed


def test_independent_sources_confirm() -> None:
    g = graded(
        report("acled:1", source_name="Suspilne", text="Shelling of Kurakhove school, two dead"),
        report("gdelt:2", source_name="https://kyivindependent.com/a-1",
               text="Russian artillery hits Kurakhove school"),
        report("field_report:3", source_name="Monitoring team 7",
               text="At 10:05 the patrol saw artillery impacts on the school"),
    )  # fmt: skip
    assert (g["admiralty_code"], g["independent_sources"]) == ("B1", 3)
    assert g["source_confidence"] == pytest.approx(0.9)


def test_copied_text_from_two_outlets_is_one_source() -> None:
    text = "Russian artillery shelled Kurakhove school on Monday, killing two civilians"
    g = graded(report("gdelt:1", source_name="https://outlet-a.ua/1", text=text),
               report("gdelt:2", source_name="https://outlet-b.ua/2", text=text + "."))  # fmt: skip
    assert g["independent_sources"] == 1


def test_reliability_is_overridable_per_source_name() -> None:
    override = {"reliability": {"by_source_name": {"Monitoring team 7": "A"}}}
    g = graded(report("field_report:3", source_name="Monitoring team 7"), override=override)
    assert g["admiralty_code"] == "A2"


def test_unknown_grading_keys_are_errors_with_a_suggestion() -> None:
    with pytest.raises(
        CeasefireError, match="unknown key 'reliabilty'; did you mean 'reliability'"
    ):
        load_grading_config({"reliabilty": {}})
    with pytest.raises(CeasefireError, match=r"reliability\.by_source\.gdelt"):
        load_grading_config({"reliability": {"by_source": {"gdelt": "Z"}}})
