"""The result of a batch does not depend on how events are batched or ordered."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire.adjudicate import INPUT_COLUMNS, PreparedAgreement, adjudicate
from ceasefire.adjudicate.columns import DICTIONARY_COLUMNS
from tests.adjudicate.conftest import EIF, events

CATEGORIES = [
    "shelling",
    "weapons_deployment",
    "drone_strike",
    "missile_strike",
    "mining",
    "armed_clash",
    "non_violent",
]
WEAPONS = ["artillery", "mlrs", "unknown", "drone"]
ACTORS = ["Russian forces", "Ukrainian forces", None, "someone"]


def _random_events(seed: int, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    radius = rng.choice([0.0, 0.0, 5.0, 25.0, 150.0], n)
    rows = [
        {
            "lon": float(rng.uniform(35.5, 38.8)),
            "lat": float(rng.uniform(47.2, 49.4)),
            "category": str(rng.choice(CATEGORIES)),
            "weapon_class": str(rng.choice(WEAPONS)),
            "actor1": rng.choice(np.array(ACTORS, dtype=object)),
            "location_radius_km": float(radius[i]),
            "location_precision": "exact" if radius[i] == 0 else "near",
            "at": EIF + pd.Timedelta(minutes=int(rng.integers(-20_000, 60_000))),
        }
        for i in range(n)
    ]
    return events(*rows)


def _canonical(violations: pd.DataFrame) -> pd.DataFrame:
    return violations.sort_values(["event_id", "rule_id"]).reset_index(drop=True)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10_000), size=st.integers(1, 40), data=st.data())
def test_batch_size_and_order_do_not_change_the_result(
    testland: PreparedAgreement, seed: int, size: int, data: st.DataObject
) -> None:
    batch = _random_events(seed, 60)
    whole = adjudicate(testland, batch)
    order = data.draw(st.permutations(range(len(batch))))
    shuffled = batch.iloc[list(order)].reset_index(drop=True)
    parts = [adjudicate(testland, shuffled.iloc[i : i + size]) for i in range(0, len(batch), size)]
    joined = pd.concat([p.violations for p in parts], ignore_index=True)
    pd.testing.assert_frame_equal(_canonical(whole.violations), _canonical(joined))
    enriched = pd.concat([p.events for p in parts], ignore_index=True).set_index("event_id")
    expected = whole.events.set_index("event_id").loc[enriched.index]
    for column in ("party", "side", "distance_km", "in_force", "in_scope", "admin1"):
        pd.testing.assert_series_equal(enriched[column], expected[column], check_names=False)


def test_the_input_columns_are_all_the_stage_reads(paris: PreparedAgreement) -> None:
    """Adjudicating only INPUT_COLUMNS gives the same violations and enrichment."""
    full = _random_events(7, 300)
    full["observer_lon"], full["observer_lat"] = 37.0, 48.3  # field-report columns too
    full["bearing_deg"], full["bearing_spread_deg"] = 90.0, 20.0
    full["distance_min_km"], full["distance_max_km"] = 2.0, 4.0
    full.loc[::7, "located"] = "origin"
    whole = adjudicate(paris, full)
    assert set(INPUT_COLUMNS) - set(full.columns) == {"source_confidence"}
    narrow = adjudicate(paris, full[[c for c in INPUT_COLUMNS if c in full.columns]])
    pd.testing.assert_frame_equal(narrow.violations, whole.violations)
    added = [c for c in narrow.events.columns if c not in INPUT_COLUMNS]
    assert {"side", "distance_km", "zones_inside", "party"} <= set(added)
    pd.testing.assert_frame_equal(narrow.events[added], whole.events[added])
    assert len(whole.violations) > 100


def test_dictionary_columns_give_the_same_result(paris: PreparedAgreement) -> None:
    """Columns given as categoricals (read as Parquet dictionaries) are read by their codes,
    with the same violations and enrichment as plain strings."""
    plain = _random_events(11, 400)
    plain.loc[::5, "located"] = "origin"
    plain.loc[::9, "admin1"] = "UA-14"
    plain["observer_lon"], plain["observer_lat"] = 37.0, 48.3
    plain["bearing_deg"], plain["bearing_spread_deg"] = 90.0, 20.0
    plain["distance_min_km"], plain["distance_max_km"] = 2.0, 4.0
    coded = plain.copy()
    given = [c for c in DICTIONARY_COLUMNS if c in coded.columns]
    assert {"actor1", "category", "source", "located", "admin1"} <= set(given)
    for column in given:
        coded[column] = coded[column].astype("category")
    whole, read = adjudicate(paris, plain), adjudicate(paris, coded)
    pd.testing.assert_frame_equal(read.violations, whole.violations)
    added = [c for c in read.events.columns if c not in plain.columns or c == "admin1"]
    pd.testing.assert_frame_equal(read.events[added], whole.events[added])
    assert len(whole.violations) > 100
    assert (whole.events["party"] != "").any()
