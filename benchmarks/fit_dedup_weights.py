"""Fit the deduplication weights and thresholds on synthetic reports of another seed.

    python benchmarks/fit_dedup_weights.py [--reports 200000] [--days 287] [--seed 7]

1. Synthesizes reports (benchmarks/dedup_synth.py) with a seed other than the benchmark's
   (42), at the benchmark's density (200,000 reports over 287 days ~ 1M over 1437).
2. Scores every candidate pair with every configured feature.
3. Fits a logistic regression of "same occurrence" on the feature scores, weights >= 0 (a
   feature agreeing never counts against a merge), by L-BFGS-B.
4. Weights = coefficients / SCALE; a pair's log-odds z = intercept + SCALE * score, so a
   score s corresponds to z = intercept + SCALE * s.
5. Tries thresholds (mean log-odds over two groups' pairs) and keeps the one with the best
   min(precision, recall) on these reports; link_threshold and unlinked_score are fixed
   log-odds (LINK_Z, UNLINKED_Z).
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
from ceasefire.incidents.dedup import resolve
from ceasefire.incidents.reports import Reports
from ceasefire.incidents.scoring import Links, active_features, score_pairs
from dedup_synth import synthesize

SCALE = 5.0
LINK_Z = -2.5  # pairs below these log-odds are not kept
UNLINKED_Z = -4.0  # what a pair that is not a link counts for
THRESHOLDS_Z = (-2.0, -1.75, -1.5, -1.25, -1.0, -0.5)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--reports", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=287)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    frame = synthesize(args.reports, args.seed, args.days)
    truth = frame["truth"].to_numpy()
    base = load_incidents_config()
    everything = base.model_copy(update={"link_threshold": -1e9})
    reports = Reports.from_frame(frame.drop(columns=["truth"]))
    parts = [
        score_pairs(reports, a, b, everything) for a, b in candidate_pairs(reports, base.candidates)
    ]
    names = active_features(base)
    links = Links.concat(parts, names)
    x = np.column_stack([np.ones(len(links))] + [links.feature_scores[n] for n in names])
    y = (truth[links.a] == truth[links.b]).astype(np.float64)
    theta = fit(x.astype(np.float64), y)
    print(f"{len(links):,} candidate pairs, {int(y.sum()):,} of one occurrence")
    weights = {n: float(t) / SCALE for n, t in zip(names, theta[1:], strict=True)}
    score = (x[:, 1:] @ theta[1:]) / SCALE

    def at(z: float) -> float:
        return float((z - theta[0]) / SCALE)

    best: tuple[float, float, float, float] = (-1.0, 0.0, 0.0, 0.0)
    kept = links.take(score >= at(LINK_Z))
    kept.score = score[score >= at(LINK_Z)].astype(np.float32)
    for z in THRESHOLDS_Z:
        config = base.model_copy(update={
            "threshold": at(z), "link_threshold": at(LINK_Z), "unlinked_score": at(UNLINKED_Z),
            "features": {n: f.model_copy(update={"weight": weights.get(n, 0.0)})
                         for n, f in base.features.items()},
        })  # fmt: skip
        labels = resolve(reports, kept, config).labels
        precision, recall, _, _ = pairwise(truth, labels)
        print(f"threshold log-odds {z:+.2f} (score {at(z):.3f}): precision {precision:.4f}, "
              f"recall {recall:.4f}")  # fmt: skip
        if min(precision, recall) > best[0]:
            best = (min(precision, recall), z, precision, recall)
    print(f"\nintercept {theta[0]:.3f}, scale {SCALE}; best threshold log-odds {best[1]:+.2f}")
    print(f"threshold: {at(best[1]):.3f}\nlink_threshold: {at(LINK_Z):.3f}\n"
          f"unlinked_score: {at(UNLINKED_Z):.3f}")  # fmt: skip
    for name, weight in weights.items():
        print(f"  {name}: weight {weight:.3f}")


if __name__ == "__main__":
    main()
