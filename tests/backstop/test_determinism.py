"""The same data gives the same triggers in any order of arrival: replay on shuffled rows,
and incremental evaluation in random batches, equal one canonical replay."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire.agreement import Agreement
from ceasefire.backstop import IncrementalBackstop, replay
from tests.backstop.conftest import LoadWith, trigger

QUIET = "        de_escalation: {after_quiet_days: 5, step: 1}\n"
TRIGGERS = (
    trigger("{count: {at_least: 3, within_days: 4}}", level=1, on_repeat="escalate", tid="count")
    + trigger("{consecutive_days: {days: 2, zones: [mlrs-zone]}}", level=2, tid="mlrs")
    + trigger(
        "{any: {min_severity: grave, status: [verified, corroborated]}}", level=3, tid="grave"
    )
    + trigger(
        "{all: [{any: {parties: [unattributed]}}, {count: {at_least: 2, of: days}}],"
        " within_days: 3}",
        level=2,
        tid="combo",
    )
)
START = date(2026, 2, 1)


@pytest.fixture(scope="module")
def agreement(tmp_path_factory: pytest.TempPathFactory) -> Agreement:
    from ceasefire.agreement import load_agreement
    from tests.backstop.conftest import BASE

    path = tmp_path_factory.mktemp("a") / "agreement.yaml"
    path.write_text(BASE.replace("__TRIGGERS__\n", TRIGGERS).replace("__LADDER__\n", QUIET))
    return load_agreement(path)


def _row(
    i: int, day: int, party: str, zone: bool, fatalities: int, status: str, incident: int
) -> dict[str, object]:
    return {
        "event_id": f"test:{i}",
        "date": (START + timedelta(days=day)).isoformat(),
        "party": party,
        "rule_id": "mlrs-out" if zone else "ceasefire",
        "zone_id": "mlrs-zone" if zone else "",
        "confidence": 1.0,
        "status": status,
        "incident_id": f"inc-{incident}",
        "category": "shelling",
        "weapon_class": "mlrs" if zone else "unknown",
        "target_category": "military",
        "fatalities_best": float(fatalities),
    }


rows_strategy = st.lists(
    st.tuples(
        st.integers(0, 60),
        st.sampled_from(["RU", "RU", "UA", ""]),
        st.booleans(),
        st.sampled_from([0, 0, 1, 12]),
        st.sampled_from(["alleged", "corroborated", "verified", "dismissed"]),
        st.integers(0, 40),
    ),
    min_size=0,
    max_size=60,
)


def _frame(specs: list[tuple[int, str, bool, int, str, int]]) -> pd.DataFrame:
    return pd.DataFrame([_row(i, *spec) for i, spec in enumerate(specs)])


def _key(result_triggers: list[object]) -> list[object]:
    return [t.as_dict() for t in result_triggers]  # type: ignore[attr-defined]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=rows_strategy, seed=st.integers(0, 2**32 - 1))
def test_replay_does_not_depend_on_row_order(
    agreement: Agreement, specs: list[tuple[int, str, bool, int, str, int]], seed: int
) -> None:
    rows = _frame(specs)
    shuffled = rows.sample(frac=1.0, random_state=seed % (2**32)) if len(rows) else rows
    assert _key(replay(agreement, rows).triggers) == _key(replay(agreement, shuffled).triggers)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    specs=rows_strategy,
    seed=st.integers(0, 2**32 - 1),
    batches=st.integers(1, 8),
    every=st.sampled_from([1, 3, 32]),
)
def test_incremental_equals_replay(
    agreement: Agreement,
    specs: list[tuple[int, str, bool, int, str, int]],
    seed: int,
    batches: int,
    every: int,
) -> None:
    rows = _frame(specs)
    expected = replay(agreement, rows)
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    engine = IncrementalBackstop(agreement, checkpoint_every=every)
    alerted: dict[str, object] = {}
    for part in range(batches):
        batch = rows.iloc[order[part::batches]]
        update = engine.add(batch)
        for record in update.new:
            alerted[record.key] = record
    assert _key(engine.triggers) == _key(expected.triggers)
    assert [x.as_dict() for x in engine.transitions] == [x.as_dict() for x in expected.transitions]
    # every final trigger was announced by some update, and never twice
    assert {t.key for t in expected.triggers} <= set(alerted)


def test_late_arrival_changes_history_and_says_so(agreement_with: LoadWith) -> None:
    agreement = agreement_with(trigger("{count: {at_least: 2, within_days: 7}}", level=1))
    early = _frame([(1, "RU", False, 0, "alleged", 1), (2, "RU", False, 0, "alleged", 2)])
    engine = IncrementalBackstop(agreement)
    [first] = engine.add(early).new
    assert first.date == "2026-02-03"
    late = _frame([(0, "RU", False, 0, "alleged", 3)]).assign(event_id="test:late")
    update = engine.add(late)
    # the firing now happens on day 2 with the late report; the day-3 firing is retracted
    assert [t.date for t in update.new] == ["2026-02-02"]
    assert [t.key for t in update.retracted] == [first.key]
    assert _key(engine.triggers) == _key(replay(agreement, pd.concat([early, late])).triggers)


def test_a_resent_violation_replaces_the_earlier_version(agreement_with: LoadWith) -> None:
    agreement = agreement_with(trigger("{any: {status: [verified]}}", level=1))
    engine = IncrementalBackstop(agreement)
    alleged = _frame([(3, "RU", False, 0, "alleged", 1)])
    assert engine.add(alleged).new == []
    verified = alleged.assign(status="verified")
    [fired] = engine.add(verified).new
    assert fired.date == "2026-02-04"
    assert len(engine.triggers) == 1
