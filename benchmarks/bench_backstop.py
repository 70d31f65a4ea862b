"""Benchmark: evaluate the Paris draft's guarantor commitments over a synthetic 15-year history.

    python benchmarks/bench_backstop.py [--violations 1000000] [--seed 7] [--arrivals 30]

Synthesizes violations over the 15 years of the US backstop (2026-02-01 to 2041-01-31) with
quiet years and flare-ups, by RU, UA and unattributed, of several rules and statuses, with
casualty figures, the 70 km MLRS zone and energy strikes. Prints, median of 3 runs:

- replay: all violations at once (violations/s);
- incremental: after a replay of all days but the last `--arrivals`, those days arrive one
  batch per day; the time per batch, beside the named baseline "re-replay", which evaluates
  the whole history again at every arrival;
and checks that the incremental result equals the replay.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from ceasefire.agreement import load_agreement
from ceasefire.backstop import IncrementalBackstop, replay

START = pd.Timestamp("2026-02-01")
DAYS = 5478


def synthesize(n: int, seed: int) -> pd.DataFrame:
    """n violations: a daily rate that flares up and calms down over 15 years."""
    rng = np.random.default_rng(seed)
    weeks = DAYS // 7 + 1
    intensity = np.exp(rng.normal(0, 1.2, weeks)) * (rng.random(weeks) < 0.35)
    weights = np.repeat(intensity, 7)[:DAYS] + 1e-3
    day = np.sort(rng.choice(DAYS, size=n, p=weights / weights.sum()))
    rules = np.array(
        ["ceasefire", "mlrs-withdrawn", "no-energy-strikes", "no-offensive", "monitor-access"]
    )
    rule = rules[rng.choice(len(rules), n, p=[0.8, 0.08, 0.05, 0.04, 0.03])]
    category = np.select(
        [rule == "no-energy-strikes", rule == "no-offensive", rule == "monitor-access"],
        ["missile_strike", "offensive_movement", "monitor_restriction"],
        "shelling",
    )
    target = np.where(rule == "no-energy-strikes", "energy_infrastructure", "military")
    weapon = np.where(
        rule == "mlrs-withdrawn", "mlrs", rng.choice(["unknown", "artillery", "drone"], n)
    )
    return pd.DataFrame(
        {
            "event_id": [f"synthetic:{i}" for i in range(n)],
            "date": (START + pd.to_timedelta(day, unit="D")).strftime("%Y-%m-%d"),
            "party": rng.choice(["RU", "UA", ""], n, p=[0.6, 0.3, 0.1]),
            "rule_id": rule,
            "zone_id": np.where(rule == "mlrs-withdrawn", "mlrs-70km", ""),
            "confidence": rng.choice([0.6, 0.8, 1.0], n),
            "status": rng.choice(
                ["alleged", "corroborated", "verified", "dismissed"], n, p=[0.5, 0.2, 0.25, 0.05]
            ),
            "incident_id": [f"inc-{i // 2}" for i in range(n)],
            "category": category,
            "weapon_class": weapon,
            "target_category": target,
            "fatalities_best": rng.poisson(0.4, n).astype(float),
        }
    )


def timed(work: Callable[[], object], runs: int = 3) -> float:
    """Median wall time of `runs` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--violations", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--arrivals", type=int, default=30)
    args = parser.parse_args()
    agreement = load_agreement("paris-2026-draft")
    rows = synthesize(args.violations, args.seed)
    full = replay(agreement, rows)
    seconds = timed(lambda: replay(agreement, rows))
    print(f"violations: {len(rows):,} over {rows['date'].nunique():,} days; "
          f"triggers: {len(full.triggers):,}")  # fmt: skip
    print(f"replay:      {seconds:7.2f} s  ({len(rows) / seconds:,.0f} violations/s)")

    days = sorted(rows["date"].unique())
    cut = days[-args.arrivals]
    before, after = rows[rows["date"] < cut], rows[rows["date"] >= cut]
    engine = IncrementalBackstop(agreement)
    engine.add(before)
    per_batch = []
    for day in days[-args.arrivals :]:
        batch = after[after["date"] == day]
        start = time.perf_counter()
        engine.add(batch)
        per_batch.append(time.perf_counter() - start)
    same = [t.as_dict() for t in engine.triggers] == [t.as_dict() for t in full.triggers]
    inc = statistics.median(per_batch)
    print(f"incremental: {inc:7.3f} s per daily batch (median of {len(per_batch)}; "
          f"equal to replay: {same})")  # fmt: skip
    print(f"re-replay:   {seconds:7.3f} s per daily batch (baseline: evaluate everything again)"
          f" -> incremental is {seconds / inc:,.0f}x faster")  # fmt: skip


if __name__ == "__main__":
    main()
