"""Each condition kind at its edges: thresholds, windows, consecutive days, filters, expiry."""

from __future__ import annotations

from ceasefire.backstop import replay
from tests.backstop.conftest import LoadWith, frame, trigger, v


def _dates(result: object) -> list[str]:
    return [t.date for t in result.triggers]  # type: ignore[attr-defined]


def test_count_two_is_not_three(agreement_with: LoadWith) -> None:
    agreement = agreement_with(trigger("{count: {at_least: 3, within_days: 7}}"))
    two = frame(v("2026-03-01"), v("2026-03-02"))
    assert replay(agreement, two).triggers == []
    three = frame(v("2026-03-01"), v("2026-03-02"), v("2026-03-03"))
    [fired] = replay(agreement, three).triggers
    assert fired.date == "2026-03-03"
    assert len(fired.violation_ids) == 3


def test_window_day_seven_counts_day_eight_does_not(agreement_with: LoadWith) -> None:
    agreement = agreement_with(trigger("{count: {at_least: 3, within_days: 7}}"))
    assert _dates(replay(agreement, frame(v("2026-03-01"), v("2026-03-04"), v("2026-03-07")))) == [
        "2026-03-07"
    ]
    assert (
        replay(agreement, frame(v("2026-03-01"), v("2026-03-04"), v("2026-03-08"))).triggers == []
    )


def test_count_without_window_accumulates(agreement_with: LoadWith) -> None:
    agreement = agreement_with(trigger("{count: {at_least: 3}}"))
    rows = frame(v("2026-03-01"), v("2026-05-01"), v("2027-01-01"))
    assert _dates(replay(agreement, rows)) == ["2027-01-01"]


def test_count_counts_incidents_not_reports(agreement_with: LoadWith) -> None:
    rows = frame(*(v("2026-03-01", incident_id="inc-1") for _ in range(3)))
    incidents = agreement_with(trigger("{count: {at_least: 3, within_days: 7}}"))
    assert replay(incidents, rows).triggers == []
    violations = agreement_with(trigger("{count: {at_least: 3, within_days: 7, of: violations}}"))
    assert len(replay(violations, rows).triggers) == 1
    days = agreement_with(trigger("{count: {at_least: 2, within_days: 7, of: days}}"))
    assert replay(days, rows).triggers == []


def test_violations_of_a_firing_are_used_once(agreement_with: LoadWith) -> None:
    agreement = agreement_with(trigger("{count: {at_least: 3, within_days: 7}}"))
    rows = frame(*(v(f"2026-03-0{d}") for d in range(1, 8)))
    # 1-3 fire, 4-6 fire again, 7 alone does not
    assert _dates(replay(agreement, rows)) == ["2026-03-03", "2026-03-06"]


def test_same_day_violations_all_become_evidence(agreement_with: LoadWith) -> None:
    agreement = agreement_with(trigger("{count: {at_least: 3, within_days: 7}}"))
    rows = frame(*(v("2026-03-01") for _ in range(5)))
    [fired] = replay(agreement, rows).triggers
    assert len(fired.violation_ids) == len(fired.event_ids) == 5


def test_consecutive_days_and_a_quiet_day_between(agreement_with: LoadWith) -> None:
    agreement = agreement_with(trigger("{consecutive_days: {days: 2, zones: [mlrs-zone]}}"))
    zone = {"zone_id": "mlrs-zone", "rule_id": "mlrs-out"}
    assert _dates(replay(agreement, frame(v("2026-03-01", **zone), v("2026-03-02", **zone)))) == [
        "2026-03-02"
    ]
    broken = frame(v("2026-03-01", **zone), v("2026-03-03", **zone))
    assert replay(agreement, broken).triggers == []
    # a violation elsewhere on the day between does not bridge the gap
    other = frame(v("2026-03-01", **zone), v("2026-03-02"), v("2026-03-03", **zone))
    assert replay(agreement, other).triggers == []


def test_a_run_of_four_days_fires_twice_for_two_days(agreement_with: LoadWith) -> None:
    agreement = agreement_with(trigger("{consecutive_days: {days: 2}}"))
    rows = frame(*(v(f"2026-03-0{d}") for d in range(1, 6)))
    assert _dates(replay(agreement, rows)) == ["2026-03-02", "2026-03-04"]


def test_any_fires_on_each_day_with_a_match(agreement_with: LoadWith) -> None:
    agreement = agreement_with(trigger("{any: {targets: [energy_infrastructure]}}"))
    energy = {"target_category": "energy_infrastructure", "rule_id": "no-energy-strikes"}
    rows = frame(v("2026-03-01", **energy), v("2026-03-01", **energy), v("2026-03-02"),
                 v("2026-03-05", **energy))  # fmt: skip
    result = replay(agreement, rows)
    assert _dates(result) == ["2026-03-01", "2026-03-05"]
    assert len(result.triggers[0].violation_ids) == 2


def test_all_needs_every_part_within_the_window(agreement_with: LoadWith) -> None:
    condition = (
        "{all: [{any: {rules: [no-energy-strikes]}}, {count: {at_least: 2, within_days: 3}}],"
        " within_days: 5}"
    )
    agreement = agreement_with(trigger(condition))
    energy = {"rule_id": "no-energy-strikes", "target_category": "energy_infrastructure"}
    inside = frame(v("2026-03-01", **energy), v("2026-03-04"), v("2026-03-05"))
    [fired] = replay(agreement, inside).triggers
    assert fired.date == "2026-03-05"
    assert len(fired.violation_ids) == 3  # the energy strike is evidence of both parts
    outside = frame(v("2026-03-01", **energy), v("2026-03-05"), v("2026-03-06"))
    assert replay(agreement, outside).triggers == []


def test_filters_party_status_severity_confidence(agreement_with: LoadWith) -> None:
    default = agreement_with(trigger("{any: {}}"))
    # parties default to the commitment's `against` (RU); unattributed rows do not count
    assert (
        replay(default, frame(v("2026-03-01", party="UA"), v("2026-03-01", party=""))).triggers
        == []
    )
    # dismissed violations never count unless asked for
    assert replay(default, frame(v("2026-03-01", status="dismissed"))).triggers == []
    unattributed = agreement_with(trigger("{any: {parties: [unattributed]}}"))
    assert len(replay(unattributed, frame(v("2026-03-01", party=""))).triggers) == 1
    verified = agreement_with(trigger("{any: {status: [verified]}}"))
    assert replay(verified, frame(v("2026-03-01"))).triggers == []  # status defaults to alleged
    assert len(replay(verified, frame(v("2026-03-01", status="verified"))).triggers) == 1
    major = agreement_with(trigger("{any: {min_severity: major}}"))
    assert replay(major, frame(v("2026-03-01"))).triggers == []
    assert len(replay(major, frame(v("2026-03-01", fatalities_best=1))).triggers) == 1
    assert len(replay(major, frame(v("2026-03-01", weapon_class="mlrs"))).triggers) == 1
    sure = agreement_with(trigger("{any: {min_confidence: 0.7}}"))
    assert replay(sure, frame(v("2026-03-01", confidence=0.6))).triggers == []
    assert len(replay(sure, frame(v("2026-03-01", confidence=0.7))).triggers) == 1


def test_commitment_inactive_before_start_and_after_expiry(agreement_with: LoadWith) -> None:
    agreement = agreement_with(trigger("{any: {}}"))
    # valid 2026-02-01 00:00 Kyiv for 15 years: the last valid day is 2041-01-31
    rows = frame(v("2026-01-31"), v("2026-02-01"), v("2041-01-31"), v("2041-02-01"))
    assert _dates(replay(agreement, rows)) == ["2026-02-01", "2041-01-31"]


def test_expiry_cuts_a_window_short(agreement_with: LoadWith) -> None:
    agreement = agreement_with(trigger("{count: {at_least: 3, within_days: 7}}"))
    rows = frame(v("2041-01-30"), v("2041-01-31"), v("2041-02-01"))
    assert replay(agreement, rows).triggers == []


def test_from_and_to_limit_the_history(agreement_with: LoadWith) -> None:
    from datetime import date

    agreement = agreement_with(trigger("{any: {}}"))
    rows = frame(v("2026-03-01"), v("2026-03-10"), v("2026-03-20"))
    result = replay(agreement, rows, start=date(2026, 3, 5), end=date(2026, 3, 15))
    assert _dates(result) == ["2026-03-10"]
