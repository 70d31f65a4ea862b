"""Where deduplication errs: missed and false pairs by source pair, day lag and radius.

    python benchmarks/dedup_diagnose.py [--reports 200000] [--days 287] [--seed 11]

Synthesizes reports (benchmarks/dedup_synth.py; by default a seed that neither the benchmark
(42) nor the fit (7) uses, at the benchmark's density), deduplicates them with the packaged
configuration and breaks the pairwise errors down: by source pair (GDELT rows of one article
apart), by the lag between the two reports' days, by the wider radius, and for the missed
pairs whether they were compared at all and whether they were links.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from bench_dedup import pairwise  # benchmarks/ is the script's folder
from ceasefire.incidents import deduplicate, load_incidents_config
from ceasefire.incidents.candidates import exact_filter, mergeable
from ceasefire.incidents.reports import sphere_km
from dedup_synth import synthesize


def group_pairs(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (a < b) of items with the same label."""
    order = np.argsort(labels, kind="stable")
    sorted_ = labels[order]
    starts = np.flatnonzero(np.r_[True, sorted_[1:] != sorted_[:-1]])
    sizes = np.diff(np.r_[starts, len(sorted_)])
    a_list, b_list = [], []
    for size in np.unique(sizes[sizes > 1]):
        first = starts[sizes == size]
        i, j = np.triu_indices(int(size), k=1)
        a_list.append(order[(first[:, None] + i[None]).ravel()])
        b_list.append(order[(first[:, None] + j[None]).ravel()])
    if not a_list:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    a, b = np.concatenate(a_list), np.concatenate(b_list)
    return np.minimum(a, b), np.maximum(a, b)


def kind_of(frame: pd.DataFrame, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Source pair of each pair, GDELT rows of one article as 'same article'."""
    short = frame["source"].map({"acled": "ACLED", "gdelt": "GDELT", "field_report": "field"})
    sa, sb = short.to_numpy()[a], short.to_numpy()[b]
    lo, hi = np.where(sa <= sb, sa, sb), np.where(sa <= sb, sb, sa)
    kind = pd.Series(lo).str.cat(pd.Series(hi), sep="-").to_numpy(dtype=object)
    url = frame["source_name"].to_numpy()
    same = (sa == "GDELT") & (sb == "GDELT") & (url[a] == url[b])
    kind[same] = "same article"
    return kind


def table(title: str, frame: pd.DataFrame, a: np.ndarray, b: np.ndarray) -> None:
    day = ((frame["time_start"] + pd.Timedelta(hours=2)).dt.floor("D")).to_numpy()
    lag = np.abs((day[a] - day[b]) / np.timedelta64(1, "D")).astype(int)
    radius = frame["location_radius_km"].to_numpy()
    wide = np.maximum(radius[a], radius[b])
    kinds = pd.Series(kind_of(frame, a, b))
    print(f"{title}: {len(a):,}")
    print("  by source pair:", kinds.value_counts().to_dict())
    print("  by day lag:", pd.Series(lag).value_counts().sort_index().to_dict())
    print("  by wider radius:", pd.Series(wide).value_counts().sort_index().to_dict())


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--reports", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=287)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    frame = synthesize(args.reports, args.seed, args.days)
    truth = frame["truth"].to_numpy()
    config = load_incidents_config()
    result = deduplicate(frame.drop(columns=["truth"]), config)
    labels = result.labels
    precision, recall, true_pairs, pred_pairs = pairwise(truth, labels)
    print(f"precision {precision:.4f}, recall {recall:.4f} ({true_pairs:,} true pairs, "
          f"{pred_pairs:,} merged)")  # fmt: skip
    ta, tb = group_pairs(truth)
    missed = labels[ta] != labels[tb]
    table("true pairs", frame, ta, tb)
    table("missed true pairs", frame, ta[missed], tb[missed])
    pa, pb = group_pairs(labels)
    false = truth[pa] != truth[pb]
    table("false merges", frame, pa[false], pb[false])
    rep = result.reports
    ma, mb = ta[missed], tb[missed]
    ok = mergeable(rep, config.candidates).mask
    inside = ok[ma] & ok[mb] & exact_filter(rep, ma, mb, config.candidates,
                                            sphere_km(rep.lon, rep.lat).T)  # fmt: skip
    key = np.minimum(result.links.a, result.links.b) * len(rep) + np.maximum(
        result.links.a, result.links.b
    )
    linked = np.isin(np.minimum(ma, mb) * len(rep) + np.maximum(ma, mb), key)
    print(
        f"missed: outside the candidate limits {int((~inside).sum()):,}, compared but no "
        f"link {int((inside & ~linked).sum()):,}, a link but apart {int(linked.sum()):,}"
    )
    kinds = pd.Series(kind_of(frame, ma, mb))
    print("  outside limits by source pair:", kinds[~inside].value_counts().to_dict())
    print("  compared, no link:", kinds[inside & ~linked].value_counts().to_dict())
    print("  linked, apart:", kinds[linked].value_counts().to_dict())


if __name__ == "__main__":
    main()
