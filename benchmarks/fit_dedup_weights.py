"""Fit the deduplication weights and thresholds on synthetic reports of another seed.

    python benchmarks/fit_dedup_weights.py [--reports 200000] [--days 287] [--seed 7]
        [--link-z -2.5] [--unlinked-z -4 -3.25 -2.5] [--thresholds-z -2.5 -2 -1.5 -1 -0.5]

1. Synthesizes reports (benchmarks/dedup_synth.py) with a seed other than the benchmark's
   (42), at the benchmark's density (200,000 reports over 287 days ~ 1M over 1437).
2. Scores every candidate pair with every configured feature (global weights only).
3. Fits a logistic regression of "same occurrence" on the feature scores, weights >= 0 (a
   feature agreeing never counts against a merge), by L-BFGS-B: once over all pairs (the
   global weights and intercept), then once per pair of source families with at least
   MIN_POSITIVES pairs of one occurrence (source_pairs; offset = its intercept - the global
   one, / SCALE).
4. Weights = coefficients / SCALE; a pair's log-odds z = intercept + SCALE * score, so a
   score s corresponds to z = intercept + SCALE * s.
5. Tries thresholds and unlinked scores (log-odds) and keeps the pair with the best
   min(precision, recall) on these reports; link_threshold is the log-odds --link-z.
Prints the YAML to paste into src/ceasefire/data/config/incidents.yaml (rounded).
"""

from __future__ import annotations

import argparse

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit

from bench_dedup import pairwise  # benchmarks/ is the script's folder
from ceasefire.incidents import load_incidents_config
from ceasefire.incidents.candidates import candidate_pairs
from ceasefire.incidents.config import SourcePairConfig, pair_key
from ceasefire.incidents.dedup import resolve
from ceasefire.incidents.reports import Reports
from ceasefire.incidents.scoring import Links, active_features, score_pairs
from dedup_synth import synthesize

SCALE = 5.0
LINK_Z = -2.5  # pairs below these log-odds are not kept
UNLINKED_ZS = (-4.0, -3.25, -2.5)  # what a pair that is not a link counts for (tried)
MIN_POSITIVES = 500  # source pairs with fewer pairs of one occurrence keep the global weights
THRESHOLDS_Z = (-2.5, -2.0, -1.5, -1.0, -0.5)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-4) -> np.ndarray:
    """Logistic regression with an intercept (column 0) and non-negative coefficients."""

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ theta
        value = float(np.mean(np.logaddexp(0, z) - y * z) + l2 * np.sum(theta[1:] ** 2))
        grad = x.T @ (expit(z) - y) / len(y) + 2 * l2 * np.r_[0.0, theta[1:]]
        return value, grad

    bounds = [(None, None)] + [(0.0, None)] * (x.shape[1] - 1)
    found = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B", bounds=bounds)
    return np.asarray(found.x)


def pair_kinds(reports: Reports, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The source_pairs key of each pair ('acled-gdelt')."""
    fam = reports.families
    keys = np.array([[pair_key(x, y) for y in fam] for x in fam], dtype=object).reshape(-1)
    return np.asarray(keys[reports.family[a].astype(np.int64) * len(fam) + reports.family[b]])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--reports", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=287)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--link-z", type=float, default=LINK_Z, help="link_threshold, log-odds")
    parser.add_argument("--unlinked-z", type=float, nargs="+", default=UNLINKED_ZS)
    parser.add_argument("--thresholds-z", type=float, nargs="+", default=THRESHOLDS_Z)
    args = parser.parse_args()
    frame = synthesize(args.reports, args.seed, args.days)
    truth = frame["truth"].to_numpy()
    base = load_incidents_config().model_copy(update={"source_pairs": {}})
    everything = base.model_copy(update={"link_threshold": -1e9})
    reports = Reports.from_frame(frame.drop(columns=["truth"]))
    parts = [
        score_pairs(reports, a, b, everything) for a, b in candidate_pairs(reports, base.candidates)
    ]
    names = active_features(base)
    links = Links.concat(parts, names)
    x = np.column_stack([np.ones(len(links))] + [links.feature_scores[n] for n in names])
    x = x.astype(np.float64)
    y = (truth[links.a] == truth[links.b]).astype(np.float64)
    theta = fit(x, y)
    print(f"{len(links):,} candidate pairs, {int(y.sum()):,} of one occurrence")
    weights = {n: float(t) / SCALE for n, t in zip(names, theta[1:], strict=True)}
    score = (x[:, 1:] @ theta[1:]) / SCALE
    kinds = pair_kinds(reports, links.a, links.b)
    pairs: dict[str, SourcePairConfig] = {}
    for kind in sorted(set(kinds.tolist())):
        mask = kinds == kind
        if y[mask].sum() < MIN_POSITIVES:
            print(f"{kind}: {int(mask.sum()):,} pairs, {int(y[mask].sum())} of one occurrence: "
                  "global weights")  # fmt: skip
            continue
        found = fit(x[mask], y[mask])
        pairs[kind] = SourcePairConfig(
            offset=float(found[0] - theta[0]) / SCALE,
            weights={n: float(t) / SCALE for n, t in zip(names, found[1:], strict=True)},
        )
        score[mask] = (found[0] - theta[0] + x[mask, 1:] @ found[1:]) / SCALE
        print(f"{kind}: {int(mask.sum()):,} pairs, {int(y[mask].sum()):,} of one occurrence")

    def at(z: float) -> float:
        return float((z - theta[0]) / SCALE)

    best: tuple[float, float, float, float, float] = (-1.0, 0.0, 0.0, 0.0, 0.0)
    kept = links.take(score >= at(args.link_z))
    kept.score = score[score >= at(args.link_z)].astype(np.float32)
    for z, u in ((z, u) for u in args.unlinked_z for z in args.thresholds_z):
        config = base.model_copy(update={
            "threshold": at(z), "link_threshold": at(args.link_z), "unlinked_score": at(u),
            "features": {n: f.model_copy(update={"weight": weights.get(n, 0.0)})
                         for n, f in base.features.items()},
            "source_pairs": pairs,
        })  # fmt: skip
        labels = resolve(reports, kept, config).labels
        precision, recall, _, _ = pairwise(truth, labels)
        print(f"threshold log-odds {z:+.2f}, unlinked {u:+.2f}: precision {precision:.4f}, "
              f"recall {recall:.4f}")  # fmt: skip
        if min(precision, recall) > best[0]:
            best = (min(precision, recall), z, precision, recall, u)
    print(f"\nintercept {theta[0]:.3f}, scale {SCALE}; best threshold log-odds {best[1]:+.2f}, "
          f"unlinked {best[4]:+.2f}")  # fmt: skip
    print(f"threshold: {at(best[1]):.3f}\nlink_threshold: {at(args.link_z):.3f}\n"
          f"unlinked_score: {at(best[4]):.3f}")  # fmt: skip
    for name, weight in weights.items():
        print(f"  {name}: weight {weight:.3f}")
    print("source_pairs:")
    for kind, pair in pairs.items():
        listed = ", ".join(f"{n}: {w:.3f}" for n, w in pair.weights.items())
        print(f"  {kind}:\n    offset: {pair.offset:.3f}\n    weights: {{{listed}}}")


if __name__ == "__main__":
    main()
