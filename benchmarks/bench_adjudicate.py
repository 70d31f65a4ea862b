"""Benchmark: adjudicating 1,000,000 and 10,000,000 events against the Paris draft.

    python benchmarks/bench_adjudicate.py [--events 1000000 10000000] [--baseline 1000000]
        [--batch 250000] [--workers 2] [--data /tmp/ceasefire-bench]

Synthetic events (benchmarks/adjudicate_synth.py, fixed seed; most within 100 km of the line)
are written once as Parquet. Each measurement runs in its own process (peak memory is that
process's maximum resident set): read the Parquet in batches and `adjudicate` them on
`--workers` threads, counting violations per rule. The baseline is a straightforward GeoPandas
implementation of the same checks (benchmarks/adjudicate_baseline.py) on the first
`--baseline` events; then both answers are compared event by event. Differences are allowed
only where the baseline's buffered polygons approximate the engine's geodesic distances (a
tolerance band around each zone's edge), and are counted and printed.

Targets (2 cores): 10M events in under 20 s, at least 15x faster than GeoPandas, peak memory
under 3 GB. Preparation (lookup tables, built once per process) is reported apart.
"""

from __future__ import annotations

import ceasefire  # noqa: F401  (first: sets Arrow's allocator options before pyarrow loads)

# isort: split
import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import shapely

sys.path.insert(0, str(Path(__file__).parent))

from adjudicate_synth import write_events
from ceasefire.adjudicate import DICTIONARY_COLUMNS, INPUT_COLUMNS, PreparedAgreement, adjudicate
from ceasefire.adjudicate.parallel import adjudicate_batches
from ceasefire.agreement import load_agreement

AGREEMENT = "paris-2026-draft"


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _sys_faults() -> tuple[float, int]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_stime, usage.ru_minflt


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _prepare() -> tuple[PreparedAgreement, float]:
    """The agreement with its lookup tables built (one small warm-up batch)."""
    start = time.perf_counter()
    prep = PreparedAgreement(load_agreement(AGREEMENT))
    first = pq.ParquetFile(DATA).read_row_group(0).slice(0, 25_000).to_pandas()
    adjudicate(prep, first)
    return prep, time.perf_counter() - start


def _batches(n: int, rows: int) -> object:
    """The first n events in batches, with the columns the stage reads (INPUT_COLUMNS), the
    few-valued ones as dictionaries (DICTIONARY_COLUMNS: read by their codes)."""
    left = n
    source = pq.ParquetFile(DATA, read_dictionary=DICTIONARY_COLUMNS)
    columns = [c for c in INPUT_COLUMNS if c in source.schema_arrow.names]
    # one reading thread: the workers keep both cores busy, and Arrow's own threads only
    # added contention (0.7 s more CPU per 10,000,000 events, measured)
    for batch in source.iter_batches(batch_size=rows, columns=columns, use_threads=False):
        if left <= 0:
            return
        yield batch.slice(0, min(left, batch.num_rows))
        left -= batch.num_rows


def child_ours(n: int, rows: int, workers: int, dump: Path | None) -> dict[str, object]:
    prep, prep_s = _prepare()
    start, cpu, (sys_s, faults) = time.perf_counter(), _cpu_s(), _sys_faults()
    events = violations = 0
    by_rule: Counter[str] = Counter()
    kept_events, kept_violations = [], []
    for result in adjudicate_batches(prep, _batches(n, rows), workers):
        events += len(result.events)
        violations += len(result.violations)
        by_rule.update(result.violations["rule_id"].value_counts().to_dict())
        if dump is not None:
            kept_events.append(
                result.events[["event_id", "admin1", "side", "distance_km", "location_radius_km"]]
            )
            kept_violations.append(
                result.violations[["event_id", "rule_id", "location_check", "time_check"]]
            )
    seconds, cpu = time.perf_counter() - start, _cpu_s() - cpu
    sys_s, faults = (now - then for now, then in zip(_sys_faults(), (sys_s, faults), strict=True))
    if dump is not None:
        pd.concat(kept_events).to_parquet(dump / "ours_events.parquet")
        pd.concat(kept_violations).to_parquet(dump / "ours_violations.parquet")
    return {
        "events": events,
        "violations": violations,
        "seconds": seconds,
        "cpu_s": cpu,
        "sys_s": sys_s,
        "page_faults": faults,
        "prepare_s": prep_s,
        "peak_mb": _peak_mb(),
        "by_rule": dict(by_rule),
    }


def child_baseline(n: int, dump: Path) -> dict[str, object]:
    from adjudicate_baseline import baseline

    prep = PreparedAgreement(load_agreement(AGREEMENT))
    prep.lines[prep.main_line_id or ""].unit_bounds(
        __import__("ceasefire.geo.admin", fromlist=["x"]).admin_index().geometries
    )
    events = pq.ParquetFile(DATA).read().slice(0, n).to_pandas()
    start, cpu = time.perf_counter(), _cpu_s()
    per_event, violations = baseline(prep, events)
    seconds, cpu = time.perf_counter() - start, _cpu_s() - cpu
    per_event.to_parquet(dump / "base_events.parquet")
    violations.to_parquet(dump / "base_violations.parquet")
    return {
        "events": len(events),
        "violations": len(violations),
        "seconds": seconds,
        "cpu_s": cpu,
        "peak_mb": _peak_mb(),
    }


def compare(dump: Path) -> dict[str, object]:
    """Event by event: admin-1, side, distance; each (event, rule) verdict."""
    prep = PreparedAgreement(load_agreement(AGREEMENT))
    ours = pd.read_parquet(dump / "ours_events.parquet").set_index("event_id")
    base = pd.read_parquet(dump / "base_events.parquet").set_index("event_id").loc[ours.index]
    admin_diff = int((ours["admin1"].fillna("") != base["admin1"].fillna("")).sum())
    side_diff = int((ours["side"].fillna("") != base["side"].fillna("")).sum())
    gap = (ours["distance_km"] - base["distance_km"]).abs()
    distance_diff = int((gap > 0.001).sum())
    keys = ["event_id", "rule_id"]
    a = pd.read_parquet(dump / "ours_violations.parquet")
    b = pd.read_parquet(dump / "base_violations.parquet")
    both = a.merge(b, on=keys, how="outer", suffixes=("", "_base"), indicator=True)
    differ = both[
        (both["_merge"] != "both")
        | (both["location_check"] != both["location_check_base"])
        | (both["time_check"] != both["time_check_base"])
    ]
    limits = {z.id: getattr(z, "distance_km", getattr(z, "width_km", np.nan)) for z in prep.zones}
    rule_limit = {r.id: limits.get(r.where.zone or "", np.nan) for r in prep.agreement.rules}
    d = ours["distance_km"].reindex(differ["event_id"]).to_numpy()
    r = ours["location_radius_km"].reindex(differ["event_id"]).fillna(0).to_numpy()
    limit = differ["rule_id"].map(rule_limit).to_numpy(dtype=float)
    tol = 0.005 * limit + 0.1  # planar buffers vs geodesic distance, chords of the arcs
    edge = np.minimum(np.abs(d - r - limit), np.abs(d + r - limit))
    # a disk round a bend of the line: how far is the baseline's buffer edge from the disk?
    events = (
        pq.read_table(DATA, columns=["event_id", "lon", "lat"]).to_pandas().set_index("event_id")
    )
    points = events.reindex(differ["event_id"])
    x, y = prep.projection.forward(points["lon"].to_numpy(), points["lat"].to_numpy())
    line = prep.lines[prep.main_line_id or ""]
    buffer_edge = np.full(len(differ), np.inf)
    for k, value in enumerate(limit):
        if np.isfinite(value) and np.isfinite(x[k]):
            polygon = shapely.buffer(line.projected.shape, value * 1000.0, quad_segs=16)
            inside = shapely.distance(shapely.Point(x[k], y[k]), polygon.exterior) / 1000.0
            buffer_edge[k] = abs(inside - r[k])
    in_band = (edge <= tol) | (buffer_edge <= tol)
    outside = differ[~in_band]
    return {
        "events_compared": len(ours),
        "admin1_differ": admin_diff,
        "side_differ": side_diff,
        "distance_differ_over_1m": distance_diff,
        "max_distance_gap_m": float(gap.max() * 1000),
        "verdicts_ours": len(a),
        "verdicts_baseline": len(b),
        "differ_in_buffer_band": int(in_band.sum()),
        "differ_elsewhere": len(outside),
        "band_by_rule": differ[in_band]["rule_id"].value_counts().to_dict(),
        "elsewhere_sample": outside.head(10).to_dict("records"),
    }


def _spawn(*args: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--baseline", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=250_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data", type=Path, default=Path("/tmp/ceasefire-bench"))
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    global DATA
    total = max([*args.events, args.baseline])
    DATA = args.data / f"events_{total}.parquet"
    if args.child:
        what = args.child[0]
        if what == "ours":
            dump = Path(args.child[2]) if len(args.child) > 2 else None
            print(json.dumps(child_ours(int(args.child[1]), args.batch, args.workers, dump)))
        elif what == "baseline":
            print(json.dumps(child_baseline(int(args.child[1]), Path(args.child[2]))))
        else:
            print(json.dumps(compare(Path(args.child[1])), default=str))
        return
    started = time.perf_counter()
    write_events(DATA, total)
    print(f"data: {DATA} ({total:,} events; ready in {time.perf_counter() - started:.1f} s)")
    print(f"machine: {os.cpu_count()} cores; load average before: {os.getloadavg()}")
    forward = [
        "--batch",
        str(args.batch),
        "--workers",
        str(args.workers),
        "--data",
        str(args.data),
        "--events",
        *map(str, args.events),
        "--baseline",
        str(args.baseline),
    ]
    results = {}
    for n in args.events:
        res = _spawn(*forward, "--child", "ours", str(n))
        results[n] = res
        rate = res["events"] / res["seconds"]  # type: ignore[operator]
        print(
            f"ceasefire  {n:>11,} events: {res['seconds']:7.2f} s wall ({res['cpu_s']:.1f} s CPU)  "
            f"{rate:12,.0f} events/s  peak {res['peak_mb']:7.0f} MB  "
            f"violations {res['violations']:,}  (prepare {res['prepare_s']:.1f} s, once)"
        )
    if args.baseline:
        dump = args.data / "compare"
        dump.mkdir(parents=True, exist_ok=True)
        base = _spawn(*forward, "--child", "baseline", str(args.baseline), str(dump))
        rate = base["events"] / base["seconds"]  # type: ignore[operator]
        print(
            f"geopandas  {args.baseline:>11,} events: {base['seconds']:7.2f} s wall "
            f"({base['cpu_s']:.1f} s CPU)  {rate:12,.0f} events/s  peak {base['peak_mb']:7.0f} MB  "
            f"violations {base['violations']:,}"
        )
        ours = results.get(args.baseline) or _spawn(*forward, "--child", "ours", str(args.baseline))
        wall = base["seconds"] / ours["seconds"]  # type: ignore[operator]
        cpu = base["cpu_s"] / ours["cpu_s"]  # type: ignore[operator]
        print(f"speed-up at {args.baseline:,}: {wall:.1f}x wall, {cpu:.1f}x CPU")
        _spawn(*forward, "--child", "ours", str(args.baseline), str(dump))
        check = _spawn(*forward, "--child", "compare", str(dump))
        print("agreement:", json.dumps(check, indent=1, default=str))
    print(f"load average after: {os.getloadavg()}")


DATA = Path()

if __name__ == "__main__":
    main()
