"""ACLED exports (CSV as downloaded): current column names and the older ones (data_id,
ally_actor_1, upper-case names, event types before 2019). Vectorized: per column, and per
distinct value for dates, types and precision codes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ceasefire.errors import CeasefireError
from ceasefire.sources.columns import as_array, factorize, intervals, to_float
from ceasefire.sources.common import (
    DEFAULT_DATE_TIMEZONE,
    build_events,
    check_coordinates,
    flag,
    places_of,
    swapped_coordinates,
)
from ceasefire.sources.csvio import read_delimited
from ceasefire.sources.files import sha256_of
from ceasefire.sources.reader import ReadResult
from ceasefire.sources.report import IngestReport
from ceasefire.sources.vocab import acled_vocabulary, target_classifier, weapon_classifier

SOURCE = "acled"
EXPECTED = (
    "an ACLED export (columns event_id_cnty, event_date, event_type, latitude, longitude, ...)"
)
# older and upper-case spellings -> current names
RENAMED = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2", "notes ": "notes"}
USED = [
    "event_id_cnty", "data_id", "event_date", "time_precision", "event_type", "sub_event_type",
    "actor1", "actor2", "civilian_targeting", "country", "admin1", "admin2", "location",
    "latitude", "longitude", "geo_precision", "source", "notes", "fatalities",
]  # fmt: skip
REQUIRED = ["event_date", "event_type", "latitude", "longitude", "geo_precision"]


def _columns(table: pa.Table, path: Path) -> dict[str, pa.ChunkedArray]:
    columns = {
        RENAMED.get(name.lower(), name.lower()): table.column(i)
        for i, name in enumerate(table.column_names)
    }
    missing = [c for c in REQUIRED if c not in columns]
    if "event_id_cnty" not in columns and "data_id" not in columns:
        missing.insert(0, "event_id_cnty")
    if missing:
        from ceasefire.sources.detect import guess_source

        other = guess_source(list(columns))
        hint = (
            f"; its header looks like a {other} file (use --source {other})"
            if other and other != SOURCE
            else ""
        )
        raise CeasefireError(
            f"{path}: not an ACLED export: missing columns {', '.join(missing)}; expected {EXPECTED}{hint}"
        )
    return columns


def _codes(column: pa.ChunkedArray | None, n: int) -> tuple[np.ndarray, list[int | None]]:
    """Integer precision codes ('1', '1.0') per row as codes into a list of ints."""
    if column is None:
        return np.full(n, -1, dtype=np.int64), []
    codes, uniques = factorize(column)
    values: list[int | None] = []
    for text in uniques:
        try:
            number = float(text)
            values.append(int(number) if number.is_integer() else None)
        except (TypeError, ValueError):
            values.append(None)
    return codes, values


def read_acled(path: Path, date_timezone: str = DEFAULT_DATE_TIMEZONE) -> ReadResult:
    """Read an ACLED CSV export into normalized events; bad rows go to the report."""
    report = IngestReport(file=str(path), source=SOURCE, sha256=sha256_of(path))
    csv = read_delimited(path, report, expected=EXPECTED)
    cols = _columns(csv.table, path)
    vocab = acled_vocabulary()
    rows = csv.rows
    n = len(rows)
    skip = np.zeros(n, dtype=bool)
    ids = cols.get("event_id_cnty", cols.get("data_id"))
    assert ids is not None
    if "event_id_cnty" in cols and "data_id" in cols:
        ids = pc.coalesce(cols["event_id_cnty"], cols["data_id"])
    ids = pc.utf8_trim_whitespace(as_array(ids))
    id_null = ids.is_null().to_numpy(zero_copy_only=False)
    skip = flag(report, id_null, "missing id (event_id_cnty)", "event_id_cnty", None, skip, rows)
    id_codes, _ = factorize(ids)
    first = np.zeros(n, dtype=bool)
    valid_ids = np.flatnonzero(id_codes >= 0)
    first[valid_ids[np.unique(id_codes[valid_ids], return_index=True)[1]]] = True
    dup = (id_codes >= 0) & ~first
    skip = flag(report, dup, "duplicate id in the file (first occurrence kept)", "event_id_cnty",
                ids.to_numpy(zero_copy_only=False), skip, rows)  # fmt: skip

    # dates with their precision
    date_codes, date_values = factorize(cols["event_date"])
    tp_codes, tp_values = _codes(cols.get("time_precision"), n)
    if "time_precision" not in cols:  # files without the column: the date is the day
        tp_codes, tp_values = np.zeros(n, dtype=np.int64), [1]
    precisions = [vocab.time_precision.get(v) if v is not None else None for v in tp_values]
    start, end, date_ok, prec_ok = intervals(
        date_codes, date_values, tp_codes, precisions, date_timezone
    )
    dates = cols["event_date"].to_numpy()
    skip = flag(report, ~date_ok, "unparseable event_date (expected e.g. 2024-01-15 or 15 January 2024)",
                "event_date", dates, skip, rows)  # fmt: skip
    skip = flag(report, ~prec_ok, "unknown time_precision (expected 1, 2 or 3)", "time_precision",
                None if "time_precision" not in cols else cols["time_precision"].to_numpy(), skip, rows)  # fmt: skip

    # place
    lon, lat = to_float(cols["longitude"], n), to_float(cols["latitude"], n)
    skip = check_coordinates(report, lon, lat, skip, rows)
    skip = swapped_coordinates(report, lon, lat, skip, rows)
    gp_codes, gp_values = _codes(cols["geo_precision"], n)
    geo = [vocab.geo_precision.get(v) if v is not None else None for v in gp_values] + [None]
    geo_ok = np.array([g is not None for g in geo], dtype=bool)[gp_codes]
    skip = flag(report, ~geo_ok, "unknown geo_precision (expected 1, 2 or 3)", "geo_precision",
                cols["geo_precision"].to_numpy(), skip, rows)  # fmt: skip

    # type: the sub-event type, or the event type where there is none
    kind_col = cols["event_type"]
    if "sub_event_type" in cols:
        kind_col = pc.coalesce(pc.if_else(pc.equal(pc.utf8_trim_whitespace(cols["sub_event_type"]), ""), None,
                                          cols["sub_event_type"]), kind_col)  # fmt: skip
    kind_codes, kind_values = factorize(kind_col)
    types = [vocab.types.get(v) for v in kind_values] + [None]
    type_ok = np.array([t is not None for t in types], dtype=bool)[kind_codes]
    skip = flag(report, ~type_ok, "unknown event type (sub_event_type/event_type not in mappings/acled.yaml)",
                "sub_event_type" if "sub_event_type" in cols else "event_type", as_array(kind_col).to_numpy(zero_copy_only=False),
                skip, rows)  # fmt: skip

    keep = ~skip
    keep_pa = pa.array(keep)
    k_codes = kind_codes[keep]
    known = [t for t in types[:-1]]
    notes = (
        as_array(cols["notes"]).filter(keep_pa)
        if "notes" in cols
        else pa.nulls(int(keep.sum()), pa.string())
    )
    weapons = weapon_classifier()
    allowed = weapons.allowed_matrix(
        [[w.value for w in t.weapons] if t else [] for t in known], k_codes
    )
    hits = weapons.matches(notes) if allowed.any() else np.zeros(allowed.shape, dtype=bool)
    weapon = weapons.first(hits, allowed)
    weapon = np.where(
        weapon == None,
        np.array([t.weapon.value if t else "unknown" for t in known], dtype=object)[k_codes],
        weapon,
    )  # noqa: E711
    category = np.array([t.category.value if t else "unknown" for t in known], dtype=object)[
        k_codes
    ]
    for i, t in enumerate(known):
        for w, c in t.by_weapon.items() if t else ():
            category[(k_codes == i) & (weapon == w.value)] = c.value
    targets = target_classifier()
    target = targets.first(targets.matches(notes))
    if "civilian_targeting" in cols:
        civ = pc.fill_null(
            pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(cols["civilian_targeting"])), 0),
            False,
        )
        target = np.where(
            (target == None) & as_array(civ).filter(keep_pa).to_numpy(zero_copy_only=False),
            "civilian",
            target,
        )  # noqa: E711
    target = np.where(
        target == None,
        np.array([t.target.value if t else "unknown" for t in known], dtype=object)[k_codes],
        target,
    )  # noqa: E711

    lon_k, lat_k = lon[keep], lat[keep]
    place = [g.precision.value if g else None for g in geo]
    radius = [g.radius_km if g else np.nan for g in geo]
    precision = np.array(place, dtype=object)[gp_codes[keep]]

    def col(name: str) -> pa.Array | None:
        return as_array(cols[name]).filter(keep_pa) if name in cols else None

    country_src = None
    if "country" in cols:
        country_src = pc.index_in(
            col("country"), value_set=pa.array(list(vocab.countries))
        ).to_numpy(zero_copy_only=False)
        codes = np.array(list(vocab.countries.values()) + [None], dtype=object)
        country_src = codes[
            np.where(np.isnan(country_src.astype(float)), -1, country_src).astype(int)
        ]
    admin1_src = col("admin1")
    iso, country = places_of(lon_k, lat_k, precision,
                             None if admin1_src is None else admin1_src.to_pandas(), country_src)  # fmt: skip
    source_col = col("source")
    n_sources = None
    if source_col is not None:
        n_sources = pc.add(pc.count_substring(source_col, ";"), 1)
    columns = {
        "source": SOURCE,
        "source_event_id": ids.filter(keep_pa),
        "time_start": start[keep],
        "time_end": end[keep],
        "time_precision": np.array(
            [p.precision.value if p else None for p in precisions] + [None], dtype=object
        )[tp_codes[keep]],
        "lon": lon_k,
        "lat": lat_k,
        "location_precision": precision,
        "location_radius_km": np.array(radius, dtype=np.float64)[gp_codes[keep]],
        "location_name": col("location"),
        "country": country,
        "admin1": iso,
        "admin1_source": admin1_src,
        "admin2_source": col("admin2"),
        "actor1": col("actor1"),
        "actor2": col("actor2"),
        "actor1_is_initiator": np.array(
            [bool(t.initiator) if t else False for t in known], dtype=bool
        )[k_codes],
        "category": category,
        "source_category": np.array(kind_values, dtype=object)[k_codes],
        "weapon_class": weapon,
        "target_category": target,
        "fatalities_best": to_float(col("fatalities"), int(keep.sum())),
        "source_name": source_col,
        "number_of_sources": n_sources,
        "text": notes,
        "located": "event",
        "provenance_row": rows[keep],
    }
    report.rows_valid = int(keep.sum())
    return ReadResult(build_events(columns, report.rows_valid, path, report), report)
