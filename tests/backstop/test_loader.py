"""Commitments in the agreement file: did-you-mean errors, reference checks, bundled files."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.agreement import load_agreement
from ceasefire.errors import AgreementError
from tests.backstop.conftest import WriteAgreement, trigger


def _problems(path: Path) -> list[str]:
    with pytest.raises(AgreementError) as caught:
        load_agreement(path)
    return [str(p) for p in caught.value.problems]


def _line(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


PREFIX = "guarantors[0].commitments[0].triggers[0]"


def test_unknown_condition_kind(write_agreement: WriteAgreement) -> None:
    path = write_agreement(trigger("{cuont: {at_least: 3}}"))
    [problem] = _problems(path)
    assert problem == (
        f"{path}:{_line(path, 'cuont')} at '{PREFIX}.condition.cuont': "
        "unknown key 'cuont'; did you mean 'count'?"
    )


def test_unknown_filter_key_and_value(write_agreement: WriteAgreement) -> None:
    problems = _problems(write_agreement(trigger("{count: {partys: [RU], at_least: 3}}")))
    assert any(
        "condition.count.partys': unknown key 'partys'; did you mean 'parties'?" in p
        for p in problems
    )
    problems = _problems(write_agreement(trigger("{any: {categories: [sheling]}}")))
    assert any("'sheling' is not allowed; did you mean 'shelling'?" in p for p in problems)
    problems = _problems(write_agreement(trigger("{any: {status: [verifed]}}")))
    assert any("'verifed' is not allowed; did you mean 'verified'?" in p for p in problems)


def test_unknown_ids_in_a_nested_condition(write_agreement: WriteAgreement) -> None:
    condition = (
        "{all: [{any: {parties: [RUS]}}, {count: {rules: [ceasfire], zones: [mlrs-zon],"
        " min_severity: majr, at_least: 2}}]}"
    )
    problems = _problems(write_agreement(trigger(condition)))
    assert [p.split(" at ", 1)[1] for p in problems] == [
        f"'{PREFIX}.condition.all[0].any.parties[0]': party 'RUS' is not defined; "
        "did you mean 'RU'?",
        f"'{PREFIX}.condition.all[1].count.rules[0]': rule 'ceasfire' is not defined; "
        "did you mean 'ceasefire'?",
        f"'{PREFIX}.condition.all[1].count.zones[0]': zone 'mlrs-zon' is not defined; "
        "did you mean 'mlrs-zone'?",
        f"'{PREFIX}.condition.all[1].count.min_severity': severity level 'majr' is not defined; "
        "did you mean 'major'?",
    ]


def test_one_kind_per_condition(write_agreement: WriteAgreement) -> None:
    [problem] = _problems(write_agreement(trigger("{any: {}, count: {at_least: 2}}")))
    assert (
        "exactly one of 'any', 'count', 'consecutive_days', 'all' (got 'any', 'count')" in problem
    )
    [problem] = _problems(write_agreement(trigger("{}")))
    assert "(got none)" in problem
    [problem] = _problems(write_agreement(trigger("{count: {at_least: 2}, within_days: 3}")))
    assert "'within_days' beside a condition belongs to 'all'" in problem


def test_bad_numbers(write_agreement: WriteAgreement) -> None:
    problems = _problems(write_agreement(trigger("{count: {at_least: 0}}")))
    assert any(
        "condition.count.at_least" in p and "greater than or equal to 1" in p for p in problems
    )


def test_trigger_level_needs_a_response(write_agreement: WriteAgreement) -> None:
    [problem] = _problems(write_agreement(trigger("{any: {}}", level=5)))
    assert problem.endswith(
        f"at '{PREFIX}.level': trigger 't' raises the ladder to level 5, which has no response; "
        "levels with a response: 1, 2, 3, 4"
    )


def test_duplicate_trigger_ids_and_levels(write_agreement: WriteAgreement) -> None:
    path = write_agreement(
        trigger("{any: {}}") + trigger("{any: {}}"),
        "",
        ("{level: 4, action: Military support}", "{level: 3, action: Military support}"),
    )
    problems = _problems(path)
    assert any("triggers[1].id': trigger id 't' is defined twice" in p for p in problems)
    assert any("responses[3].level': response level 3 is defined twice" in p for p in problems)


def test_severity_section_is_checked(write_agreement: WriteAgreement) -> None:
    path = write_agreement(
        trigger("{any: {}}"),
        "",
        ("{level: grave, fatalities_at_least: 10}", "{level: grav, fatalities_at_least: 10}"),
    )
    [problem] = _problems(path)
    assert (
        "severity.criteria[2].level': severity level 'grav' is not defined; did you mean 'grave'?"
        in problem
    )


def test_min_severity_without_a_severity_section(write_agreement: WriteAgreement) -> None:
    text = write_agreement(trigger("{any: {min_severity: major}}")).read_text()
    start = text.index("severity:\n")
    end = text.index("guarantors:")
    path = write_agreement(trigger("{any: {min_severity: major}}"), "", (text[start:end], ""))
    [problem] = _problems(path)
    assert "'min_severity' needs a top-level 'severity' section" in problem


def test_de_escalation_keys(write_agreement: WriteAgreement) -> None:
    ladder = "        de_escalation: {after_quiet_dayz: 30}\n"
    problems = _problems(write_agreement(trigger("{any: {}}"), ladder))
    assert any(
        "unknown key 'after_quiet_dayz'; did you mean 'after_quiet_days'?" in p for p in problems
    )


@pytest.mark.parametrize("name", ["paris-2026-draft", "minsk-ii-2015"])
def test_bundled_agreements_have_commitments_with_ladders(name: str) -> None:
    agreement = load_agreement(name)
    assert agreement.severity is not None
    commitments = [c for g in agreement.guarantors for c in g.commitments if c.triggers]
    assert commitments
    for commitment in commitments:
        assert commitment.responses and commitment.de_escalation is not None
    if name == "minsk-ii-2015":
        assert all(c.illustrative for c in commitments)
        assert "ILLUSTRATIVE" in Path(str(agreement.source)).read_text()


def test_us_backstop_lasts_fifteen_years() -> None:
    agreement = load_agreement("paris-2026-draft")
    us = next(c for g in agreement.guarantors if g.id == "US" for c in g.commitments)
    end = agreement.commitment_end(us)
    assert end is not None and end.isoformat() == "2041-02-01T00:00:00+02:00"
    assert len(us.triggers) >= 4 and len(us.responses) >= 4
