"""The escalation ladder: levels, repeats, de-escalation after quiet days, state as of a day."""

from __future__ import annotations

from datetime import date

from ceasefire.backstop import replay
from tests.backstop.conftest import LoadWith, frame, trigger, v

QUIET = "        de_escalation: {after_quiet_days: 30, step: 1}\n"


def test_level_is_a_minimum_and_hold_keeps_it(agreement_with: LoadWith) -> None:
    agreement = agreement_with(trigger("{any: {}}", level=2))
    result = replay(agreement, frame(v("2026-03-01"), v("2026-03-02")))
    assert [(t.level_before, t.level) for t in result.triggers] == [(0, 2), (2, 2)]
    first = result.triggers[0]
    assert first.action == "Public attribution"
    assert first.respond_by == "2026-03-05T00:00:00+02:00"  # end of the day + 72 h


def test_escalate_climbs_one_step_and_stops_at_the_top(agreement_with: LoadWith) -> None:
    agreement = agreement_with(trigger("{any: {}}", level=2, on_repeat="escalate"))
    rows = frame(*(v(f"2026-03-0{d}") for d in range(1, 6)))
    levels = [t.level for t in replay(agreement, rows).triggers]
    assert levels == [2, 3, 4, 4, 4]


def test_a_lower_trigger_never_lowers_the_ladder(agreement_with: LoadWith) -> None:
    triggers = trigger("{any: {min_severity: grave}}", level=3, tid="grave") + trigger(
        "{any: {}}", level=1, tid="any"
    )
    agreement = agreement_with(triggers)
    rows = frame(v("2026-03-01", fatalities_best=12), v("2026-03-02"))
    result = replay(agreement, rows)
    # on day 1 both fire (in the order written), on day 2 only `any`
    assert [(t.trigger, t.level_before, t.level) for t in result.triggers] == [
        ("grave", 0, 3), ("any", 3, 3), ("any", 3, 3)
    ]  # fmt: skip


def test_de_escalation_after_full_quiet_days(agreement_with: LoadWith) -> None:
    agreement = agreement_with(trigger("{any: {}}", level=2), QUIET)
    # fired on 1 March; 30 quiet days are 2-31 March; the level drops on 1 April
    held = replay(agreement, frame(v("2026-03-01"), v("2026-03-31")))
    assert [t.level_before for t in held.triggers] == [0, 2]
    dropped = replay(agreement, frame(v("2026-03-01"), v("2026-04-01")))
    assert [t.level_before for t in dropped.triggers] == [0, 1]
    assert [(x.date, x.level_before, x.level, x.cause) for x in dropped.transitions] == [
        ("2026-03-01", 0, 2, "trigger t"),
        ("2026-04-01", 2, 1, "30 quiet days"),
        ("2026-04-01", 1, 2, "trigger t"),  # and back up by the new firing
    ]


def test_ladder_state_as_of_a_day(agreement_with: LoadWith) -> None:
    agreement = agreement_with(trigger("{any: {}}", level=2), QUIET)
    rows = frame(v("2026-03-01"))
    [state] = replay(agreement, rows, as_of=date(2026, 3, 15)).ladders
    assert (state.guarantor, state.commitment, state.status, state.level) == (
        "US",
        "backstop",
        "active",
        2,
    )
    assert state.action == "Public attribution"
    [state] = replay(agreement, rows, as_of=date(2026, 5, 1)).ladders
    assert (state.level, state.since) == (0, "2026-05-01")  # 1 April to 1, 1 May to 0
    [state] = replay(agreement, rows, as_of=date(2041, 2, 1)).ladders
    assert state.status == "expired"


def test_no_de_escalation_without_the_setting(agreement_with: LoadWith) -> None:
    agreement = agreement_with(trigger("{any: {}}", level=2))
    [state] = replay(agreement, frame(v("2026-03-01")), as_of=date(2030, 1, 1)).ladders
    assert state.level == 2


def test_floor_limits_de_escalation(agreement_with: LoadWith) -> None:
    ladder = "        de_escalation: {after_quiet_days: 10, step: 2, floor: 1}\n"
    agreement = agreement_with(trigger("{any: {}}", level=4), ladder)
    result = replay(agreement, frame(v("2026-03-01")), as_of=date(2026, 6, 1))
    assert [(x.level_before, x.level) for x in result.transitions] == [(0, 4), (4, 2), (2, 1)]
