"""Features: small pure functions that score a pair of reports and say why.

Each feature scores many pairs at once (`score(pairs, params) -> (score, value)`, NumPy
arrays: score in [-1, 1], 0 meaning "no information"; value the measured quantity, NaN when
unknown) and explains one pair (`reason(a, b, value, score) -> str`). The same functions serve
the hot path (millions of pairs) and the explanation of a single merge.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from ceasefire.errors import CeasefireError, did_you_mean
from ceasefire.incidents.reports import CATEGORIES, TARGETS, WEAPONS, Reports, haversine_km
from ceasefire.incidents.words import overlap

F32 = NDArray[np.float32]
Scored = tuple[F32, F32]
Row = Mapping[str, Any]


@dataclass(frozen=True)
class Pairs:
    """Pairs of reports: report a[k] against report b[k]. Attributes gathered for both sides,
    and the great-circle distance, are kept for the next feature that reads them."""

    reports: Reports
    a: NDArray[np.int64]
    b: NDArray[np.int64]
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.a)

    def both(self, name: str) -> tuple[NDArray[Any], NDArray[Any]]:
        """One attribute of the reports, for side a and side b."""
        if name not in self._memo:
            values: NDArray[Any] = getattr(self.reports, name)
            self._memo[name] = (values[self.a], values[self.b])
        found: tuple[NDArray[Any], NDArray[Any]] = self._memo[name]
        return found

    def km(self) -> NDArray[np.float64]:
        """Great-circle distance between the two reports' points, km."""
        if "km" not in self._memo:
            lon_a, lon_b = self.both("lon")
            lat_a, lat_b = self.both("lat")
            self._memo["km"] = haversine_km(lon_a, lat_a, lon_b, lat_b)
        km: NDArray[np.float64] = self._memo["km"]
        return km


def _f32(values: NDArray[Any]) -> F32:
    return np.asarray(values, dtype=np.float32)


def _time(pairs: Pairs, p: Mapping[str, Any]) -> Scored:
    sa, sb = pairs.both("start")
    ea, eb = pairs.both("end")
    tol = float(p["tolerance_h"]) * 3600.0
    gap = np.maximum(np.maximum(sb - ea, sa - eb), 0).astype(np.float64)
    overlap = np.minimum(ea, eb) - np.maximum(sa, sb) + 2 * tol
    wa, wb = (ea - sa) + 2 * tol, (eb - sb) + 2 * tol
    score = np.clip(2 * tol * overlap / np.maximum(wa * wb, 1.0), 0.0, 1.0)
    return _f32(score), _f32(gap / 3600.0)


def _time_reason(a: Row, b: Row, value: float, score: float) -> str:
    widths = f"windows of {a['width_h']:.0f} h and {b['width_h']:.0f} h"
    when = "times overlap" if value == 0 else f"{value:.1f} h apart"
    return f"{when} ({widths})"


def _distance(pairs: Pairs, p: Mapping[str, Any]) -> Scored:
    ra, rb = pairs.both("radius")
    km = pairs.km()
    gap = np.maximum(km - np.maximum(ra, rb), 0.0)
    closeness = np.clip(1.0 - gap / float(p["max_distance_km"]), 0.0, 1.0)
    scale = float(p["radius_scale_km"])
    score = closeness * scale / (scale + (ra + rb) / 2.0)
    return _f32(np.where(np.isfinite(km), score, 0.0)), _f32(km)


def _distance_reason(a: Row, b: Row, value: float, score: float) -> str:
    if not np.isfinite(value):
        return "place unknown for one of them"
    gap = max(value - max(a["radius_km"], b["radius_km"]), 0.0)
    radii = f"located to {a['radius_km']:g} km and {b['radius_km']:g} km"
    return f"{value:.1f} km apart, {gap:.1f} km beyond the wider area ({radii})"


def _point(pairs: Pairs, p: Mapping[str, Any]) -> Scored:
    km = pairs.km()
    score = np.clip(1.0 - km / float(p["within_km"]), 0.0, 1.0)
    return _f32(np.where(np.isfinite(km), score, 0.0)), _f32(km)


def _point_reason(a: Row, b: Row, value: float, score: float) -> str:
    if not np.isfinite(value):
        return "place unknown for one of them"
    if value < 0.05:
        return "the same point (one geocoded place)"
    return f"points {value:.1f} km apart"


def _words(pairs: Pairs, p: Mapping[str, Any]) -> Scored:
    value = overlap(pairs.reports.words(), pairs.a, pairs.b)
    floor, full = float(p["floor"]), float(p["full"])
    score = np.clip((value - floor) / (full - floor), -1.0, 1.0)
    return _f32(np.nan_to_num(score, nan=0.0)), value


def _words_reason(a: Row, b: Row, value: float, score: float) -> str:
    if not np.isfinite(value):
        return "no words (beyond the place name) for one of them"
    shared = sorted(a["words"] & b["words"])
    listed = ", ".join(shared[:6]) + (", ..." if len(shared) > 6 else "")
    common = f"in common: {listed}" if shared else "no word in common"
    return f"{value:.0%} of the rarer words' weight shared, {common} (place names aside)"


def _group_of(names: list[list[str]], vocabulary: list[str]) -> NDArray[np.int64]:
    """Membership matrix: row v lists the groups vocabulary[v] belongs to (as a bit mask)."""
    mask = np.zeros(len(vocabulary) + 1, dtype=np.int64)  # last slot: unknown (-1)
    for g, group in enumerate(names):
        for name in group:
            if name in vocabulary:
                mask[vocabulary.index(name)] |= 1 << g
    return mask


def _agreement(
    codes_a: NDArray[np.int16],
    codes_b: NDArray[np.int16],
    groups: NDArray[np.int64],
    related: float,
    conflict: float,
) -> F32:
    known = (codes_a >= 0) & (codes_b >= 0)
    same = known & (codes_a == codes_b)
    close = known & ((groups[codes_a] & groups[codes_b]) != 0)
    score = np.where(same, 1.0, np.where(close, related, np.where(known, conflict, 0.0)))
    return _f32(score)


def _category(pairs: Pairs, p: Mapping[str, Any]) -> Scored:
    a, b = pairs.both("category")
    groups = _group_of(p["compatible"], CATEGORIES)
    score = _agreement(a, b, groups, float(p["compatible_score"]), float(p["conflict_score"]))
    return score, _f32(np.where((a >= 0) & (b >= 0), (a == b).astype(np.float32), np.nan))


def _named_reason(label: str, key: str) -> Callable[[Row, Row, float, float], str]:
    def reason(a: Row, b: Row, value: float, score: float) -> str:
        if a[key] == "unknown" or b[key] == "unknown":
            return f"{label} unknown for one of them"
        if a[key] == b[key]:
            return f"same {label}: {a[key]}"
        kind = "related" if score > 0 else "different"
        return f"{kind} {label}: {a[key]} and {b[key]}"

    return reason


def _weapon(pairs: Pairs, p: Mapping[str, Any]) -> Scored:
    a, b = pairs.both("weapon")
    groups = _group_of(p["families"], WEAPONS)
    score = _agreement(a, b, groups, float(p["family_score"]), float(p["conflict_score"]))
    return score, _f32(np.where((a >= 0) & (b >= 0), (a == b).astype(np.float32), np.nan))


def _target(pairs: Pairs, p: Mapping[str, Any]) -> Scored:
    a, b = pairs.both("target")
    no_groups = np.zeros(len(TARGETS) + 1, dtype=np.int64)
    score = _agreement(a, b, no_groups, 0.0, float(p["conflict_score"]))
    return score, _f32(np.where((a >= 0) & (b >= 0), (a == b).astype(np.float32), np.nan))


def _actors(pairs: Pairs, p: Mapping[str, Any]) -> Scored:
    ia, ib = pairs.both("initiator")
    a1, b1 = pairs.both("party1")
    a2, b2 = pairs.both("party2")
    both = (ia >= 0) & (ib >= 0)
    shared = ((a1 >= 0) & ((a1 == b1) | (a1 == b2))) | ((a2 >= 0) & ((a2 == b1) | (a2 == b2)))
    score = np.where(
        both, np.where(ia == ib, 1.0, -1.0), np.where(shared, float(p["shared_party_score"]), 0.0)
    )
    value = np.where(both, (ia == ib).astype(np.float32), np.nan)
    return _f32(score), _f32(value)


def _actors_reason(a: Row, b: Row, value: float, score: float) -> str:
    if a["initiator"] != "unknown" and b["initiator"] != "unknown":
        if a["initiator"] == b["initiator"]:
            return f"same acting party: {a['initiator']}"
        return f"different acting parties: {a['initiator']} and {b['initiator']}"
    if score > 0:
        return "a party in common, acting party unknown for one of them"
    return "acting party unknown for one of them"


def _casualties(pairs: Pairs, p: Mapping[str, Any]) -> Scored:
    da, db = pairs.both("deaths")
    known = np.isfinite(da) & np.isfinite(db)
    high = np.maximum(np.maximum(da, db), 1.0)
    relative = np.abs(da - db) / high
    limit = float(p["max_relative_difference"])
    score = 1.0 - 2.0 * np.minimum(relative / limit, 1.0)
    score = np.where((da == 0) & (db == 0), float(p["both_zero_score"]), score)
    return _f32(np.where(known, score, 0.0)), _f32(np.where(known, np.abs(da - db), np.nan))


def _casualties_reason(a: Row, b: Row, value: float, score: float) -> str:
    if not np.isfinite(value):
        return "deaths not given by one of them"
    if a["deaths"] == b["deaths"]:
        return f"same number of deaths: {a['deaths']:g}"
    return f"deaths {a['deaths']:g} and {b['deaths']:g}"


def _article(pairs: Pairs, p: Mapping[str, Any]) -> Scored:
    coded = len(pairs.reports.url_code) == len(pairs.reports)
    ua, ub = pairs.both("url_code" if coded else "url")
    given = (ua >= 0) & (ub >= 0) if coded else (ua != "") & (ub != "")
    same = given & (ua == ub)
    return _f32(np.where(same, 1.0, 0.0)), _f32(np.where(given, same.astype(np.float32), np.nan))


def _article_reason(a: Row, b: Row, value: float, score: float) -> str:
    if not np.isfinite(value):
        return "no web address for one of them"
    return "same article (web address)" if value else "different articles"


def _published(pairs: Pairs, p: Mapping[str, Any]) -> Scored:
    """-1 when a report dated by its publication (a GDELT row: the article's day) is dated
    wholly before the other report began: an article does not precede what it reports."""
    families = pairs.reports.families
    dated = np.isin(np.asarray(families, dtype=object), list(p["sources"]))
    if len(pairs.reports.family) == 0 or not dated.any():
        nothing = np.zeros(len(pairs), dtype=np.float32)
        return nothing, np.full(len(pairs), np.nan, dtype=np.float32)
    da, db = pairs.both("family")
    pa, pb = dated[da], dated[db]
    sa, sb = pairs.both("start")
    ea, eb = pairs.both("end")
    # hours by which the publication-dated report ends before the other starts
    ahead = np.where(pa, sb - ea, sa - eb).astype(np.float64) / 3600.0
    one = pa != pb
    early = one & (ahead > float(p["tolerance_h"]))
    value = np.where(one, np.maximum(ahead, 0.0), np.nan)
    return _f32(np.where(early, -1.0, 0.0)), _f32(value)


def _published_reason(a: Row, b: Row, value: float, score: float) -> str:
    if not np.isfinite(value):
        return "not one report dated by publication and one by occurrence"
    if score < 0:
        return f"the article is dated {value:.0f} h before the other report: it cannot report it"
    return "the article is dated on or after the other report's time"


def similarity(
    codes_a: NDArray[np.int32],
    codes_b: NDArray[np.int32],
    values: NDArray[np.object_],
    scorer: Callable[..., float],
    workers: int = 1,
) -> F32:
    """rapidfuzz similarity (0-100) of values[codes_a[k]] and values[codes_b[k]]; each
    distinct pair of values is compared once; NaN where either is ''."""
    ratio = np.full(len(codes_a), np.nan, dtype=np.float32)
    empty = values == ""
    given = ~empty[codes_a] & ~empty[codes_b]
    equal = given & (codes_a == codes_b)
    ratio[equal] = 100.0
    todo = np.flatnonzero(given & ~equal)
    if len(todo):
        lo = np.minimum(codes_a[todo], codes_b[todo]).astype(np.int64)
        hi = np.maximum(codes_a[todo], codes_b[todo]).astype(np.int64)
        inverse, keys = pd.factorize(lo * len(values) + hi, sort=False)
        first, second = values[keys // len(values)], values[keys % len(values)]
        found = process.cpdist(first, second, scorer=scorer, workers=workers, dtype=np.float32)
        ratio[todo] = found[inverse]
    return ratio


def _similarity(
    pairs: Pairs, name: str, scorer: Callable[..., float], p: Mapping[str, Any], negative: bool
) -> Scored:
    ca, cb = pairs.both(f"{name}_code")
    values = getattr(pairs.reports, f"{name}s")
    ratio = similarity(ca, cb, values, scorer, int(p.get("workers", 1)))
    floor, full = float(p["floor"]), float(p["full"])
    score = np.clip((ratio - floor) / (full - floor), -1.0 if negative else 0.0, 1.0)
    return _f32(np.nan_to_num(score, nan=0.0)), ratio


def _text(pairs: Pairs, p: Mapping[str, Any]) -> Scored:
    return _similarity(pairs, "text", fuzz.token_set_ratio, p, negative=True)


def _place(pairs: Pairs, p: Mapping[str, Any]) -> Scored:
    return _similarity(pairs, "place", fuzz.ratio, p, negative=False)


def _ratio_reason(label: str) -> Callable[[Row, Row, float, float], str]:
    def reason(a: Row, b: Row, value: float, score: float) -> str:
        if not np.isfinite(value):
            return f"{label} missing for one of them"
        return f"{label} {value:.0f}% similar"

    return reason


@dataclass(frozen=True)
class Feature:
    """A named feature: vectorized score, one-pair reason, parameter defaults, cost."""

    name: str
    score: Callable[[Pairs, Mapping[str, Any]], Scored]
    reason: Callable[[Row, Row, float, float], str]
    defaults: Mapping[str, Any]
    cost: int = 0  # 0: arithmetic; above: string comparisons, done lazily, cheaper first


FEATURES: dict[str, Feature] = {
    f.name: f
    for f in (
        Feature("time", _time, _time_reason, {"tolerance_h": 6}),
        Feature("distance", _distance, _distance_reason, {"radius_scale_km": 7.5}),
        Feature("category", _category, _named_reason("category", "category"),
                {"compatible_score": 0.4, "conflict_score": -1.0, "compatible": []}),
        Feature("weapon", _weapon, _named_reason("weapon class", "weapon"),
                {"family_score": 0.3, "conflict_score": -1.0, "families": []}),
        Feature("target", _target, _named_reason("target", "target"), {"conflict_score": -0.5}),
        Feature("actors", _actors, _actors_reason, {"shared_party_score": 0.2}),
        Feature("casualties", _casualties, _casualties_reason,
                {"both_zero_score": 0.1, "max_relative_difference": 0.5}),
        Feature("article", _article, _article_reason, {}),
        Feature("published", _published, _published_reason,
                {"sources": ["gdelt"], "tolerance_h": 0.0}),
        Feature("point", _point, _point_reason, {"within_km": 2.0}),
        Feature("words", _words, _words_reason, {"floor": 0.2, "full": 0.7}, cost=1),
        Feature("text", _text, _ratio_reason("texts"), {"floor": 55, "full": 90}, cost=2),
        Feature("place", _place, _ratio_reason("place names"), {"floor": 60, "full": 95},
                cost=1),
    )
}  # fmt: skip


def check_feature_config(config: Any, where: str) -> None:
    """Unknown features or parameters are errors naming the closest known one."""
    for key, pair in config.source_pairs.items():
        for name in pair.weights:
            if name not in config.features:
                raise CeasefireError(
                    f"{where}: unknown feature 'source_pairs.{key}.weights.{name}'"
                    + did_you_mean(name, config.features)
                )
    for name, feature in config.features.items():
        if name not in FEATURES:
            raise CeasefireError(
                f"{where}: unknown feature '{name}'" + did_you_mean(name, FEATURES)
            )
        for key in feature.params:
            if key not in FEATURES[name].defaults:
                raise CeasefireError(
                    f"{where}: unknown parameter 'features.{name}.params.{key}'"
                    + did_you_mean(key, FEATURES[name].defaults)
                )


def feature_params(config: Any, name: str) -> dict[str, Any]:
    """A feature's parameters: its defaults, the configured values, and shared settings."""
    params = {**FEATURES[name].defaults, **config.features[name].params}
    params["max_distance_km"] = config.candidates.max_distance_km
    params["workers"] = config.workers
    return params
