"""The result of a batch does not depend on how events are batched or ordered."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire.adjudicate import PreparedAgreement, adjudicate
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
