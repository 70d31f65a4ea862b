"""Synthetic reports of known occurrences for benchmarks/bench_dedup.py (fixed seed).

Occurrences happen in Ukrainian towns near the 2026 line of contact (bundled GeoNames
gazetteer; weight falling with distance to the line, rising with population) and in large
cities behind it, 2022-02-24 to 2026-01-31, about 175 a day at 1M reports. An occurrence is
what ACLED would code as one event: one category, town and day. Each is reported, with the
conventions of the project's readers, by:

- ACLED (75%): the local day; the town's point (radius 0), 12% 'near' (a larger town within
  25 km, radius 25), 1% only the oblast (radius 150); 8% of categories confused with a
  related one; deaths exact (85%), off by one (10%) or missing; weapon given 30%, target 75%;
  the acting party wrong 5%; notes in three wordings.
- GDELT (1.6 articles an occurrence on average, Zipf over 77 outlets, 1.8 rows an article):
  the day, 25% a day late, 1% two days; a city (radius 25: the reader's convention), 15% the
  district town, 1% the oblast (radius 150), 20% a transliterated name; category right 85%,
  related 10%, random 5%; no deaths, rarely weapon or target; acting party right 70%, wrong
  10%, unknown 20%; the article's web address, and its title (95%) in four wordings with
  typos. Rows of one article share its address, title, place and day.
- Field reports (towns a monitoring team covers, 35% of towns; 60% of their occurrences): the
  minute (10 min noise) and the crater (1 km noise, radius 3); weapon 80%, target 85%,
  deaths 50%, acting party 30%; one wording.

What limits precision and recall here is information, not search: at about 175 occurrences
a day, a front-line town often has occurrences of one category on consecutive days, and a
GDELT row (a day's lag in a quarter of them, no deaths, a 25 km radius, a category right 85%
of the time) about one of them reads the same as a row about the other. About 2.7% of the
true pairs are never compared by design (oblast-level reports, 1.7%; two-day lags, 0.9%).
Fewer occurrences a day (benchmarks/bench_dedup.py --days) make the task easier.

Changed for realism (issue 6): article web addresses were numbered in occurrence order, so
the articles of one occurrence had neighbouring numbers in every outlet, a clue no real
source gives (and no feature reads: `url_words` drops long numbers); they are now numbered
in random order from a separate generator, leaving every other value as it was.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

import numpy as np
import pandas as pd
from shapely.geometry import shape

from ceasefire.resources import data_path

START = pd.Timestamp("2022-02-24T00:00:00Z")
DAYS = 1437  # to 2026-01-31: about 175 occurrences a day at 1M reports
KYIV_OFFSET_H = 2
CATEGORIES = ["shelling", "drone_strike", "armed_clash", "air_strike", "missile_strike",
              "attack_on_civilians", "remote_explosive"]  # fmt: skip
CATEGORY_P = [0.45, 0.2, 0.15, 0.08, 0.05, 0.04, 0.03]
CONFUSED = {"shelling": "missile_strike", "drone_strike": "shelling", "armed_clash": "shelling",
            "air_strike": "missile_strike", "missile_strike": "air_strike",
            "attack_on_civilians": "shelling", "remote_explosive": "shelling"}  # fmt: skip
WEAPONS = {"shelling": ["artillery", "light_artillery", "mlrs", "tank"],
           "drone_strike": ["drone"], "armed_clash": ["small_arms"], "air_strike": ["aircraft"],
           "missile_strike": ["long_range"], "attack_on_civilians": ["artillery", "drone"],
           "remote_explosive": ["unknown"]}  # fmt: skip
WEAPON_WORDS = {"artillery": "artillery", "light_artillery": "mortars", "mlrs": "Grad rockets",
                "tank": "tank fire", "drone": "a drone", "small_arms": "small arms",
                "aircraft": "guided bombs", "long_range": "missiles",
                "unknown": "explosives"}  # fmt: skip
TARGETS = [("civilian", t) for t in ("a residential building", "a private house", "a school",
           "a hospital", "a kindergarten", "the central market", "a bus stop", "a church",
           "a grocery shop", "a car")] + [("energy_infrastructure", t) for t in
           ("a power substation", "a thermal power plant", "power lines", "a gas pipeline")] + [
           ("critical_infrastructure", t) for t in ("a water pumping station",
           "the railway station", "a bridge")] + [("military", t) for t in
           ("military positions", "a checkpoint", "an ammunition depot", "an armoured vehicle",
           "trenches")]  # fmt: skip
ACLED_OUTLETS = ["Ukrinform", "Ukrainska Pravda", "Suspilne", "Ministry of Defence of Ukraine",
                 "Regional Military Administration", "Telegram", "Kyiv Independent"]  # fmt: skip
GDELT_OUTLETS = [
    f"{n}.{d}"
    for n, d in [
        ("ukrinform", "ua"),
        ("pravda", "com.ua"),
        ("kyivindependent", "com"),
        ("reuters", "com"),
        ("kyivpost", "com"),
        ("tass", "ru"),
        ("ria", "ru"),
        ("unian", "info"),
        ("rbc", "ua"),
        ("bbc", "co.uk"),
        ("aljazeera", "com"),
        ("dw", "com"),
        ("interfax", "ru"),
        ("euromaidanpress", "com"),
        ("newsweek", "com"),
        ("theguardian", "com"),
        ("lenta", "ru"),
    ]
]
GDELT_OUTLETS += [f"regional-news-{i}.ua" for i in range(60)]
DIRECTIONS = [
    "north",
    "north-east",
    "east",
    "south-east",
    "south",
    "south-west",
    "west",
    "north-west",
]


def _towns(rng: np.random.Generator) -> pd.DataFrame:
    """Ukrainian towns near the 2026 line of contact (weighted by closeness and size) and
    large cities behind it."""
    gaz = pd.DataFrame(
        json.loads(data_path("gazetteer", "geonames_cities500_ua_ru_by_md.json").read_text())
    )
    gaz = gaz[gaz["countrycode"] == "UA"].reset_index(drop=True)
    line = json.loads(data_path("geo", "line_of_contact_2026-01.geojson").read_text())
    coords = np.array(shape(line["features"][0]["geometry"]).coords)
    scale = math.cos(math.radians(48.0))
    lon, lat = gaz["longitude"].to_numpy(), gaz["latitude"].to_numpy()
    # distance to the line's vertices (densified), km: fine for weighting
    t = np.linspace(0, 1, 20)[:, None, None]
    dense = (coords[:-1][None] * (1 - t) + coords[1:][None] * t).reshape(-1, 2)
    d = (
        np.min(
            np.hypot((lon[:, None] - dense[None, :, 0]) * scale, lat[:, None] - dense[None, :, 1]),
            axis=1,
        )
        * 111.2
    )
    front = d < 45
    weight = np.where(front, np.exp(-d / 15) * gaz["population"].clip(500) ** 0.3, 0.0)
    cities = (gaz["population"] > 150_000) & ~front
    weight = np.where(cities, gaz["population"] ** 0.3 * 0.4, weight)
    towns = gaz.assign(weight=weight)[weight > 0].reset_index(drop=True)
    big = towns["population"].to_numpy() > 10_000
    # the district town each town's reports may be geocoded to: the nearest larger town
    tl, tb = towns["longitude"].to_numpy(), towns["latitude"].to_numpy()
    dist = np.hypot((tl[:, None] - tl[big][None]) * scale, tb[:, None] - tb[big][None]) * 111.2
    dist[dist < 0.5] = np.inf
    nearest = np.argmin(dist, axis=1)
    # reports 'near' a town carry the point of a larger town within 25 km, else its own
    towns["district"] = np.where(
        dist[np.arange(len(towns)), nearest] <= 25,
        np.flatnonzero(big)[nearest],
        np.arange(len(towns)),
    )
    towns["variant"] = [
        next((a for a in alts if a.isascii() and a != n and len(a) > 3), n)
        for n, alts in zip(towns["name"], towns["alternatenames"], strict=True)
    ]
    towns["monitored"] = rng.random(len(towns)) < 0.35
    oblasts = {"05": "Vinnyts'ka Oblast'", "07": "Volyns'ka Oblast'"}  # fallback below
    subdivisions = pd.read_csv(
        data_path("gazetteer", "subdivisions_ua_ru_admin1.tsv"), sep="\t", header=None
    )
    for name, code in zip(subdivisions[0], subdivisions[2], strict=True):
        if str(code).startswith("UA."):
            oblasts[str(code)[3:]] = str(name)
    towns["oblast"] = towns["admin1code"].map(oblasts).fillna("Ukraine")
    # each oblast's point for reports located only to the oblast: its largest town here
    largest = towns.sort_values("population", ascending=False).drop_duplicates("admin1code")
    towns["capital"] = towns["admin1code"].map(
        pd.Series(largest.index, index=largest["admin1code"])
    )
    return towns.drop(columns=["alternatenames"])


def _events(rng: np.random.Generator, towns: pd.DataFrame, n: int, days: int) -> pd.DataFrame:
    p = towns["weight"].to_numpy() / towns["weight"].sum()
    town = rng.choice(len(towns), size=n, p=p)
    category = rng.choice(len(CATEGORIES), size=n, p=CATEGORY_P)
    hour = np.clip(rng.normal(13, 5, n), 0, 23.99)
    day = rng.integers(0, days, n)
    when = START + pd.to_timedelta(day * 24 + hour - KYIV_OFFSET_H, unit="h")
    weapon = [WEAPONS[CATEGORIES[c]][rng.integers(len(WEAPONS[CATEGORIES[c]]))] for c in category]
    deaths = np.where(rng.random(n) < 0.65, 0, rng.geometric(0.4, n))
    return pd.DataFrame({
        "town": town, "category": np.array(CATEGORIES)[category], "weapon": weapon, "day": day,
        "time": when, "target": rng.integers(len(TARGETS), size=n), "deaths": deaths,
        "actor": np.where(rng.random(n) < 0.75, "RU", "UA"),
        "lon": towns["longitude"].to_numpy()[town] + rng.normal(0, 0.02, n),
        "lat": towns["latitude"].to_numpy()[town] + rng.normal(0, 0.013, n),
    })  # fmt: skip


def _typo(rng: np.random.Generator, text: str) -> str:
    if len(text) < 10 or rng.random() > 0.3:
        return text
    i = int(rng.integers(1, len(text) - 2))
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _reports_of(
    rng: np.random.Generator, ev: pd.DataFrame, towns: pd.DataFrame, source: str, idx: np.ndarray
) -> pd.DataFrame:
    """Reports by one source of the events idx (an event repeated gives several rows), with the
    conventions of the project's readers: ACLED at the town (radius 0), near it (25 km, the
    district town's point) or only the oblast (150 km, its capital); GDELT at a city (25 km)
    or the oblast (150 km), without text or deaths; field reports at the minute and crater."""
    e = ev.iloc[idx].reset_index(drop=True)
    n = len(e)
    t = towns.iloc[e["town"].to_numpy()].reset_index(drop=True)
    district = towns.iloc[t["district"].to_numpy()].reset_index(drop=True)
    capital = towns.iloc[t["capital"].to_numpy()].reset_index(drop=True)
    day0 = START + pd.to_timedelta(e["day"] * 24 - KYIV_OFFSET_H, unit="h")
    cat, weapon = e["category"].to_numpy().copy(), e["weapon"].to_numpy().copy()
    target_cat = np.array([TARGETS[i][0] for i in e["target"]], dtype=object)
    deaths = e["deaths"].to_numpy(dtype=float).copy()
    actor = e["actor"].to_numpy(dtype=object).copy()
    lon, lat = t["longitude"].to_numpy().copy(), t["latitude"].to_numpy().copy()
    name = t["name"].to_numpy(dtype=object).copy()
    r = rng.random((9, n))
    swapped = np.where(actor == "RU", "UA", "RU")
    if source == "field_report":
        start = e["time"] + pd.to_timedelta(rng.normal(0, 10, n), unit="min")
        end = start
        lon, lat = (
            e["lon"].to_numpy() + rng.normal(0, 0.009, n),
            e["lat"].to_numpy() + rng.normal(0, 0.006, n),
        )
        radius = np.full(n, 3.0)
        weapon = np.where(r[0] < 0.8, weapon, "unknown")
        target_cat = np.where(r[1] < 0.85, target_cat, None)
        deaths = np.where(r[2] < 0.5, deaths, np.nan)
        actor = np.where(r[3] < 0.3, actor, None)
        return _frame(source, start, end, lon, lat, radius, name, actor, cat, weapon, target_cat,
                      deaths, _texts(rng, e, name, source), idx)  # fmt: skip
    lag = (
        np.where(r[0] < 0.25, 1, 0) + np.where(r[0] < 0.01, 1, 0)
        if source == "gdelt"
        else np.zeros(n, int)
    )
    start = day0 + pd.to_timedelta(lag, unit="D")
    end = start + pd.Timedelta(hours=24) - pd.Timedelta(seconds=1)
    near = r[1] < (0.12 if source == "acled" else 0.15)
    oblast = r[7] < 0.01
    for base, column in ((lon, "longitude"), (lat, "latitude"), (name, "name")):
        base[near] = district[column].to_numpy()[near]
        base[oblast] = capital[column].to_numpy()[oblast]
    if source == "acled":
        radius = np.where(oblast, 150.0, np.where(near, 25.0, 0.0))
        cat = np.where(r[2] < 0.92, cat, [CONFUSED[c] for c in cat])
        weapon = np.where(r[3] < 0.3, weapon, "unknown")
        target_cat = np.where(r[4] < 0.75, target_cat, None)
        off = np.maximum(deaths + rng.choice([-1, 1], n), 0)
        deaths = np.where(r[5] < 0.85, deaths, np.where(r[5] < 0.95, off, np.nan))
        actor = np.where(r[6] < 0.95, actor, swapped)
        texts: list[str | None] = _texts(rng, e, name, source)
    else:
        radius = np.where(oblast, 150.0, 25.0)
        name = np.where(r[6] < 0.2, t["variant"].to_numpy(), name)
        name = name + ", " + t["oblast"].to_numpy() + ", Ukraine"
        name = np.where(oblast, t["oblast"].to_numpy() + ", Ukraine", name)
        other = rng.choice(CATEGORIES, n)
        cat = np.where(r[2] < 0.85, cat, np.where(r[2] < 0.95, [CONFUSED[c] for c in cat], other))
        weapon = np.where(r[3] < 0.15, weapon, "unknown")
        target_cat = np.where(r[4] < 0.3, target_cat, None)
        deaths = np.full(n, np.nan)
        actor = np.where(r[8] < 0.7, actor, np.where(r[8] < 0.8, swapped, None))
        texts = [None] * n
    return _frame(source, start, end, lon, lat, radius, name, actor, cat, weapon, target_cat,
                  deaths, texts, idx)  # fmt: skip


def _frame(
    source: str,
    start: Any,
    end: Any,
    lon: np.ndarray,
    lat: np.ndarray,
    radius: np.ndarray,
    name: np.ndarray,
    actor: np.ndarray,
    cat: np.ndarray,
    weapon: np.ndarray,
    target: np.ndarray,
    deaths: np.ndarray,
    texts: list[Any],
    idx: np.ndarray,
) -> pd.DataFrame:
    return pd.DataFrame({
        "source": source, "time_start": start, "time_end": end, "lon": lon, "lat": lat,
        "location_radius_km": radius, "location_name": name, "actor1_party": actor,
        "actor2_party": None, "actor1_is_initiator": pd.notna(actor), "category": cat,
        "weapon_class": weapon, "target_category": target, "fatalities_best": deaths,
        "text": texts, "truth": idx,
    })  # fmt: skip


def _texts(
    rng: np.random.Generator, e: pd.DataFrame, names: np.ndarray, source: str
) -> list[str | None]:
    """ACLED notes or a field report's wording."""
    who = {"RU": "Russian forces", "UA": "Ukrainian forces"}
    out: list[str | None] = []
    form = rng.integers(0, 3, len(e))
    rows = zip(
        e["category"], e["weapon"], e["target"], e["deaths"], e["actor"], e["time"], strict=True
    )
    for k, (cat, weapon, target, deaths, actor, when) in enumerate(rows):
        place, obj, arms = names[k], TARGETS[target][1], WEAPON_WORDS[weapon]
        killed = f"{deaths} killed" if deaths else "no casualties reported"
        verb = cat.replace("_", " ")
        if source == "acled":
            text = [
                f"On {when:%d %B %Y}, {who[actor]} attacked {place} with {arms}, "
                f"hitting {obj}. {killed}.",
                f"{who[actor]} {verb} in {place}: {obj} was hit by {arms}; {killed}.",
                f"{place}: {verb} by {who[actor]} using {arms}, damage to {obj}, {killed}.",
            ][form[k]]
        else:
            text = (
                f"At {when:%H:%M} the patrol recorded {verb} ({arms}) {rng.integers(1, 6)} km "
                f"{DIRECTIONS[rng.integers(8)]} of its position near {place}; {obj} damaged; "
                f"{killed}."
            )
        out.append(text)
    return out


VERBS = {"shelling": ["shelled", "shelling of", "artillery strike on"],
         "drone_strike": ["drone attack on", "drone strike on", "drone hits"],
         "armed_clash": ["fighting near", "clashes at", "battle for"],
         "air_strike": ["air strike on", "guided bomb hits", "bombing of"],
         "missile_strike": ["missile strike on", "missile hits", "rocket attack on"],
         "attack_on_civilians": ["attack on civilians in", "civilians targeted in",
                                 "strike on civilians in"],
         "remote_explosive": ["explosion in", "mine blast in", "blast hits"]}  # fmt: skip


def _headline(rng: np.random.Generator, e: pd.Series, place: str) -> str:
    """An article's title (GDELT rows carry its web address; the title comes with the GKG):
    the facts in varying order and words, with typos."""
    who = (
        ["Russian", "Russia's", "Russian forces'"]
        if e["actor"] == "RU"
        else ["Ukrainian", "Ukraine's", "Kyiv's"]
    )
    verb = VERBS[e["category"]][rng.integers(3)]
    obj = TARGETS[e["target"]][1].removeprefix("a ").removeprefix("an ").removeprefix("the ")
    killed = (
        ["", f"{e['deaths']} killed", f"{e['deaths']} dead", f"kills {e['deaths']}"][
            rng.integers(1, 4)
        ]
        if e["deaths"]
        else ""
    )
    forms = [f"{who[rng.integers(3)]} {verb} {place} hits {obj} {killed}",
             f"{place}: {obj} damaged in {who[rng.integers(3)].lower()} {verb.split()[0]} "
             f"{killed}",
             f"{killed} {verb} {place} {obj} struck by {WEAPON_WORDS[e['weapon']]}",
             f"{obj} in {place} hit, {killed} - {who[rng.integers(3)]} "
             f"{verb.split()[0]}"]  # fmt: skip
    return _typo(rng, forms[rng.integers(len(forms))]).strip()


def synthesize(n_reports: int, seed: int, days: int = DAYS) -> pd.DataFrame:
    """n_reports reports over `days` days with a `truth` column: the occurrence each report
    is about."""
    rng = np.random.default_rng(seed)
    towns = _towns(rng)
    n_events = int(n_reports / 3.2)  # more than needed: reports beyond n_reports are dropped
    ev = _events(rng, towns, n_events, days)
    # an occurrence is what ACLED would code as one event: one category, town and day
    ev = ev.drop_duplicates(["town", "day", "category"]).reset_index(drop=True)
    n_events = len(ev)
    ids = np.arange(n_events)
    acled = ids[rng.random(n_events) < 0.75]
    monitored = towns["monitored"].to_numpy()[ev["town"].to_numpy()]
    field = ids[monitored & (rng.random(n_events) < 0.6)]
    articles = np.minimum(rng.poisson(1.6, n_events), 8)
    article_event = np.repeat(ids, articles)
    outlets = np.minimum(rng.zipf(1.6, len(article_event)) - 1, len(GDELT_OUTLETS) - 1)
    rows = 1 + rng.poisson(0.8, len(article_event))
    gdelt_event = np.repeat(article_event, rows)
    gdelt_article = np.repeat(np.arange(len(article_event)), rows)
    covered = np.zeros(n_events, dtype=bool)
    covered[np.concatenate([acled, field, gdelt_event])] = True
    acled = np.sort(np.concatenate([acled, ids[~covered]]))
    parts = [
        _reports_of(rng, ev, towns, "acled", acled),
        _reports_of(rng, ev, towns, "field_report", field),
    ]
    gd = _reports_of(rng, ev, towns, "gdelt", gdelt_event)
    # rows of one article share its text, place and date
    first = pd.Series(np.arange(len(gd))).groupby(gdelt_article).transform("first").to_numpy()
    for column in (
        "text",
        "lon",
        "lat",
        "location_name",
        "time_start",
        "time_end",
        "location_radius_km",
    ):
        gd[column] = gd[column].to_numpy()[first]
    outlet_of = np.array(GDELT_OUTLETS, dtype=object)[outlets]
    places = (
        gd["location_name"]
        .str.split(",")
        .str[0]
        .to_numpy()[np.unique(gdelt_article, return_index=True)[1]]
    )
    # article numbers in random order (own generator: every other draw is unchanged), so that
    # the articles of one occurrence do not carry neighbouring numbers
    number = np.random.default_rng(seed + 1).permutation(len(outlet_of)) + 5_000_000
    gd["source_name"] = np.array(
        [f"https://www.{o}/news/{number[k]}" for k, o in enumerate(outlet_of)], dtype=object
    )[gdelt_article]
    titles = np.array(
        [
            _headline(rng, ev.iloc[article_event[k]], places[k]) if rng.random() < 0.95 else None
            for k in range(len(article_event))
        ],
        dtype=object,
    )
    gd["text"] = titles[gdelt_article]
    parts[0]["source_name"] = rng.choice(ACLED_OUTLETS, len(parts[0]))
    parts[1]["source_name"] = [f"Monitoring team {k}" for k in rng.integers(0, 40, len(parts[1]))]
    reports = pd.concat([*parts, gd], ignore_index=True)
    if len(reports) < n_reports:
        raise ValueError(f"only {len(reports)} reports synthesized, {n_reports} asked")
    reports = reports.sample(frac=1.0, random_state=seed).reset_index(drop=True).iloc[:n_reports]
    prefix = reports["source"].map(
        {"acled": "acled:UKR", "gdelt": "gdelt:", "field_report": "field_report:FR"}
    )
    reports["event_id"] = prefix + pd.Series(np.arange(len(reports)) + 1_000_000).astype(str)
    digests = {s: hashlib.sha256(s.encode()).hexdigest() for s in reports["source"].unique()}
    reports["provenance_sha256"] = reports["source"].map(digests)
    return reports.sort_values("event_id").reset_index(drop=True)
