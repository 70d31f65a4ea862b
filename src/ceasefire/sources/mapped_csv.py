"""Any CSV, read through a column mapping written in YAML (which column is the id, the date
and its format, lon/lat or a place name to geocode, the actors, and how the type column maps
to our categories). The events' source is 'csv:<mapping name>'."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field

from ceasefire.errors import CeasefireError, InputError, Problem, did_you_mean
from ceasefire.geocode.batch import geocode_column
from ceasefire.resources import data_path
from ceasefire.sources.columns import (
    DATE_FORMATS,
    as_array,
    duplicated,
    factorize,
    intervals,
    to_float,
)
from ceasefire.sources.common import (
    DEFAULT_DATE_TIMEZONE,
    build_events,
    check_coordinates,
    flag,
    places_of,
    swapped_coordinates,
)
from ceasefire.sources.csvio import read_delimited
from ceasefire.sources.files import scan_later
from ceasefire.sources.reader import ReadResult
from ceasefire.sources.report import IngestReport
from ceasefire.sources.vocab import (
    DatePrecision,
    Strict,
    TypeMapping,
    load_model,
    target_classifier,
    weapon_classifier,
)
from ceasefire.taxonomy import DEFAULT_RADIUS_KM, LocationPrecision, TimePrecision


class ColumnMap(Strict):
    """Which column of the CSV holds what."""

    id: str
    date: str
    date_end: str | None = None
    date_format: str | None = None
    timezone: str = DEFAULT_DATE_TIMEZONE
    time_precision: TimePrecision = TimePrecision.DAY
    lon: str | None = None
    lat: str | None = None
    place: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    country: str | None = None
    location_precision: LocationPrecision | None = None
    location_radius_km: float | None = Field(None, ge=0)
    actor1: str | None = None
    actor2: str | None = None
    actor1_is_initiator: bool = False
    type: str | None = None
    text: list[str] = Field(default_factory=list)
    weapon: str | None = None
    target: str | None = None
    fatalities: str | None = None
    source_name: str | None = None


class CsvMapping(Strict):
    """A column mapping (YAML)."""

    name: str | None = None
    delimiter: str = Field(",", min_length=1, max_length=1)
    encoding: str = "utf-8"
    columns: ColumnMap
    types: dict[str, TypeMapping] = Field(default_factory=dict)
    default_type: TypeMapping | None = None


def load_mapping(ref: str) -> tuple[CsvMapping, str]:
    """A mapping from a YAML path, or a bundled one (mappings/csv/NAME.yaml); with its name."""
    path = Path(ref)
    if not path.exists():
        bundled = data_path("mappings", "csv", f"{ref}.yaml")
        if not bundled.exists():
            raise CeasefireError(
                f"csv:{ref}: no such mapping file; expected csv:PATH.yaml or the name of a "
                "bundled mapping"
            )
        path = bundled
    mapping = load_model(path, CsvMapping)
    if mapping.columns.type is None and mapping.default_type is None:
        raise InputError(
            [
                Problem(
                    str(path), "default_type", "give `columns.type` with `types`, or `default_type`"
                )
            ]
        )
    if (mapping.columns.lon is None) != (mapping.columns.lat is None):
        raise InputError([Problem(str(path), "columns", "give both `lon` and `lat`, or neither")])
    if mapping.columns.lon is None and mapping.columns.place is None:
        raise InputError(
            [
                Problem(
                    str(path),
                    "columns",
                    "give `lon` and `lat`, or `place` (a place name to geocode)",
                )
            ]
        )
    return mapping, mapping.name or path.stem


def _used(columns: ColumnMap) -> list[str]:
    names = [
        v
        for k, v in columns
        if isinstance(v, str) and k not in {"date_format", "timezone", "time_precision"}
    ]
    return [*names, *columns.text]


def read_mapped_csv(path: Path, mapping_ref: str) -> ReadResult:
    """Read a CSV through a column mapping into normalized events."""
    mapping, name = load_mapping(mapping_ref)
    source = f"csv:{name}"
    m = mapping.columns
    scan = scan_later(path)
    report = IngestReport(file=str(path), source=source, sha256="")
    expected = f"a CSV with the columns of mapping '{name}' ({m.id}, {m.date}, ...)"
    csv = read_delimited(
        path,
        report,
        expected=expected,
        delimiter=mapping.delimiter,
        encoding=mapping.encoding,
    )
    header = csv.table.column_names
    missing = [c for c in _used(m) if c not in header]
    if missing:
        hint = did_you_mean(missing[0], header)
        raise CeasefireError(
            f"{path}: mapping '{name}' names columns the file lacks: {', '.join(missing)}{hint}; "
            f"expected {expected}"
        )
    cols = {c: as_array(csv.table.column(c)) for c in header}
    rows, n = csv.rows, len(csv.rows)
    skip = np.zeros(n, dtype=bool)
    ids = pc.utf8_trim_whitespace(cols[m.id])
    id_codes, _ = factorize(ids)
    skip = flag(report, id_codes < 0, f"missing id ({m.id})", m.id, None, skip, rows)
    skip = flag(
        report,
        duplicated(ids),
        "duplicate id in the file (first occurrence kept)",
        m.id,
        ids.to_numpy(zero_copy_only=False),
        skip,
        rows,
    )
    formats = (m.date_format,) if m.date_format else DATE_FORMATS
    precision = [DatePrecision(precision=m.time_precision)]
    zero = np.zeros(n, dtype=np.int64)
    d_codes, d_values = factorize(cols[m.date])
    start, end, d_ok, _ = intervals(d_codes, d_values, zero, precision, m.timezone, formats)
    if m.date_end:
        e_codes, e_values = factorize(pc.coalesce(cols[m.date_end], cols[m.date]))
        _, end, e_ok, _ = intervals(e_codes, e_values, zero, precision, m.timezone, formats)
        d_ok &= e_ok
    shown_format = m.date_format or "e.g. 2024-01-15"
    skip = flag(
        report,
        ~d_ok,
        f"unparseable date (expected {shown_format})",
        m.date,
        cols[m.date].to_numpy(zero_copy_only=False),
        skip,
        rows,
    )
    skip = flag(
        report, d_ok & (end < start), "end date before start date", m.date_end, None, skip, rows
    )

    lon, lat = to_float(cols.get(m.lon or ""), n), to_float(cols.get(m.lat or ""), n)
    geocoded = np.zeros(n, dtype=bool)
    if m.place:
        need = ~(np.isfinite(lon) & np.isfinite(lat)) & ~skip
        if need.any():
            places = pd.Series(cols[m.place].to_numpy(zero_copy_only=False))[need]
            adm = (
                pd.Series(cols[m.admin1].to_numpy(zero_copy_only=False))[need] if m.admin1 else None
            )
            found = geocode_column(places, adm)
            lon[need], lat[need] = found["lon"].to_numpy(float), found["lat"].to_numpy(float)
            unresolved = np.zeros(n, dtype=bool)
            unresolved[need] = found["status"].to_numpy() != "resolved"
            reasons = np.full(n, None, dtype=object)
            reasons[need] = ("place not geocoded: " + found["basis"]).to_numpy(dtype=object)
            for reason in pd.unique(reasons[unresolved]):
                skip = flag(
                    report,
                    unresolved & (reasons == reason),
                    str(reason),
                    m.place,
                    cols[m.place].to_numpy(zero_copy_only=False),
                    skip,
                    rows,
                )
            geocoded[need] = ~unresolved[need]
    skip = check_coordinates(report, lon, lat, skip, rows)
    skip = swapped_coordinates(report, lon, lat, skip, rows)

    type_codes = np.zeros(n, dtype=np.int64)
    kinds: list[TypeMapping | None] = [mapping.default_type]
    labels = ["default"]
    if m.type:
        type_codes, labels = factorize(cols[m.type])
        lower = {k.casefold(): v for k, v in mapping.types.items()}
        kinds = [
            mapping.types.get(v) or lower.get(v.casefold()) or mapping.default_type for v in labels
        ]
    known = np.array(
        [k is not None for k in kinds] + [mapping.default_type is not None], dtype=bool
    )[type_codes]
    skip = flag(
        report,
        ~known,
        "unknown event type (not in the mapping's `types`)",
        m.type,
        None if not m.type else cols[m.type].to_numpy(zero_copy_only=False),
        skip,
        rows,
    )

    keep = ~skip
    keep_pa = pa.array(keep)
    kinds_all = [*kinds, mapping.default_type]
    k_codes = np.where(type_codes[keep] < 0, len(kinds), type_codes[keep])

    def per_kind(attr: str, default: object) -> np.ndarray:
        return np.array(
            [
                getattr(getattr(k, attr), "value", getattr(k, attr)) if k else default
                for k in kinds_all
            ],
            dtype=object,
        )[k_codes]

    def col(c: str | None) -> pa.Array | None:
        return cols[c].filter(keep_pa) if c else None

    text_cols = [col(c) for c in m.text]
    text = (
        pc.binary_join_element_wise(*[pc.fill_null(t, "") for t in text_cols], " | ")
        if text_cols
        else None
    )
    weapon_text = col(m.weapon) if m.weapon else text
    weapons = weapon_classifier()
    allowed = weapons.allowed_matrix(
        [[w.value for w in k.weapons] if k and k.weapons else weapons.classes for k in kinds_all],
        k_codes,
    )
    found_weapon = (
        weapons.first(weapons.matches(weapon_text), allowed)
        if weapon_text is not None
        else np.full(int(keep.sum()), None, dtype=object)
    )
    weapon = np.where(found_weapon == None, per_kind("weapon", "unknown"), found_weapon)  # noqa: E711
    category = per_kind("category", "unknown")
    for i, k in enumerate(kinds_all):
        for w, c in k.by_weapon.items() if k else ():
            category[(k_codes == i) & (weapon == w.value)] = c.value
    target_text = col(m.target) if m.target else text
    targets = target_classifier()
    found_target = (
        targets.first(targets.matches(target_text))
        if target_text is not None
        else np.full(int(keep.sum()), None, dtype=object)
    )
    target = np.where(found_target == None, per_kind("target", "unknown"), found_target)  # noqa: E711

    if m.location_precision is not None:
        place_precision = np.full(int(keep.sum()), m.location_precision.value, dtype=object)
    else:
        place_precision = np.where(geocoded[keep], "near", "exact").astype(object)
    radius = np.full(int(keep.sum()), np.nan)
    if m.location_radius_km is not None:
        radius[:] = m.location_radius_km
    else:
        radius = np.array(
            [DEFAULT_RADIUS_KM[LocationPrecision(p)] for p in place_precision], dtype=np.float64
        )
    adm1 = col(m.admin1)
    iso, country = places_of(
        lon[keep],
        lat[keep],
        place_precision,
        None if adm1 is None else adm1.to_pandas(),
        None
        if m.country is None
        else cols[m.country].filter(keep_pa).to_numpy(zero_copy_only=False),
    )
    columns = {
        "source": source,
        "source_event_id": ids.filter(keep_pa),
        "time_start": start[keep],
        "time_end": end[keep],
        "time_precision": m.time_precision.value,
        "lon": lon[keep],
        "lat": lat[keep],
        "location_precision": place_precision,
        "location_radius_km": radius,
        "location_name": col(m.place),
        "country": country,
        "admin1": iso,
        "admin1_source": adm1,
        "admin2_source": col(m.admin2),
        "actor1": col(m.actor1),
        "actor2": col(m.actor2),
        "actor1_is_initiator": np.where(
            per_kind("initiator", False).astype(bool), True, m.actor1_is_initiator
        ),
        "category": category,
        "source_category": np.array([*labels, None], dtype=object)[type_codes[keep]]
        if m.type
        else None,
        "weapon_class": weapon,
        "target_category": target,
        "fatalities_best": to_float(col(m.fatalities), int(keep.sum())) if m.fatalities else None,
        "source_name": col(m.source_name),
        "text": text,
        "located": "event",
        "provenance_row": rows[keep],
    }
    report.rows_valid = int(keep.sum())
    report.sha256 = scan.result().sha256
    return ReadResult(build_events(columns, report.rows_valid, path, report), report)
