"""GDELT 2.0 event files: 61 tab-separated columns, no header, zipped (*.export.CSV.zip) or
not; GDELT 1.0 files (57 or 58 columns) are read too. CAMEO event codes map through
mappings/cameo.yaml. GDELT is noisy (machine-coded from news): use it as weak evidence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ceasefire.errors import CeasefireError
from ceasefire.sources.columns import as_array, duplicated, factorize, intervals, to_float
from ceasefire.sources.common import (
    build_events,
    check_coordinates,
    flag,
    places_of,
    swapped_coordinates,
)
from ceasefire.sources.csvio import open_source, read_delimited
from ceasefire.sources.files import scan_later
from ceasefire.sources.reader import ReadResult
from ceasefire.sources.report import IngestReport
from ceasefire.sources.vocab import DatePrecision, TypeMapping, cameo_vocabulary
from ceasefire.taxonomy import TimePrecision

SOURCE = "gdelt"
_ACTOR = [
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
]
_GEO = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]
COLUMNS_V2 = [
    "GlobalEventID",
    "Day",
    "MonthYear",
    "Year",
    "FractionDate",
    *(f"Actor1{a}" for a in _ACTOR),
    *(f"Actor2{a}" for a in _ACTOR),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *(f"Actor1Geo_{g}" for g in _GEO),
    *(f"Actor2Geo_{g}" for g in _GEO),
    *(f"ActionGeo_{g}" for g in _GEO),
    "DATEADDED",
    "SOURCEURL",
]
COLUMNS_V1 = [
    c for c in COLUMNS_V2 if not c.endswith("ADM2Code")
]  # 58; the oldest files lack SOURCEURL
USED = [
    "GlobalEventID",
    "Day",
    "Actor1Code",
    "Actor2Code",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "NumSources",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "SOURCEURL",
]
EXPECTED = "a GDELT 2.0 events file (61 tab-separated columns, no header)"
_DAY = DatePrecision(precision=TimePrecision.DAY)


def _layout(path: Path) -> list[str]:
    source = open_source(path)
    first = (
        bytes(source.read(65536))
        .decode("utf-8", errors="replace")
        .lstrip("\ufeff")
        .split("\n", 1)[0]
    )
    fields = first.rstrip("\r").split("\t")
    if len(fields) == 1 and first.count(",") >= 10:
        raise CeasefireError(
            f"{path}: the first row is separated by commas; expected {EXPECTED} (wrong delimiter?)"
        )
    if not fields[0].strip().isdigit():
        from ceasefire.sources.detect import guess_source

        other = guess_source(first.split(","))
        hint = f"; it looks like a {other} file (use --source {other})" if other else ""
        raise CeasefireError(
            f"{path}: the first field is '{fields[0][:30]}', not a GlobalEventID; "
            f"expected {EXPECTED}{hint}"
        )
    by_count = {61: COLUMNS_V2, 58: COLUMNS_V1, 57: COLUMNS_V1[:-1]}
    if len(fields) not in by_count:
        raise CeasefireError(
            f"{path}: the first row has {len(fields)} tab-separated fields; expected {EXPECTED}"
        )
    return by_count[len(fields)]


def read_gdelt(path: Path, date_timezone: str = "UTC") -> ReadResult:
    """Read a GDELT events file into normalized events. GDELT days are UTC dates."""
    scan = scan_later(path)
    report = IngestReport(file=str(path), source=SOURCE, sha256="")
    names = _layout(path)
    csv = read_delimited(
        path,
        report,
        expected=EXPECTED,
        delimiter="\t",
        column_names=names,
        include=[c for c in USED if c in names],
        quoted=False,
    )
    cols = {name: csv.table.column(name) for name in csv.table.column_names}
    vocab = cameo_vocabulary()
    rows, n = csv.rows, len(csv.rows)
    skip = np.zeros(n, dtype=bool)
    ids = pc.utf8_trim_whitespace(as_array(cols["GlobalEventID"]))
    bad_id = ~pc.fill_null(pc.utf8_is_digit(ids), False).to_numpy(zero_copy_only=False)
    skip = flag(
        report,
        bad_id,
        "missing or non-numeric GlobalEventID",
        "GlobalEventID",
        ids.to_numpy(zero_copy_only=False),
        skip,
        rows,
    )
    skip = flag(
        report,
        duplicated(ids),
        "duplicate GlobalEventID in the file (first kept)",
        "GlobalEventID",
        ids.to_numpy(zero_copy_only=False),
        skip,
        rows,
    )
    day_codes, day_values = factorize(cols["Day"])
    start, end, day_ok, _ = intervals(
        day_codes, day_values, np.zeros(n, dtype=np.int64), [_DAY], date_timezone
    )
    skip = flag(
        report,
        ~day_ok,
        "unparseable Day (expected YYYYMMDD)",
        "Day",
        cols["Day"].to_numpy(),
        skip,
        rows,
    )
    lon, lat = to_float(cols["ActionGeo_Long"], n), to_float(cols["ActionGeo_Lat"], n)
    skip = check_coordinates(report, lon, lat, skip, rows)
    skip = swapped_coordinates(report, lon, lat, skip, rows)
    geo_codes, geo_values = factorize(cols["ActionGeo_Type"])
    geo = [vocab.geo_types.get(int(v)) if v.isdigit() else None for v in geo_values] + [None]
    geo_ok = np.array([g is not None for g in geo], dtype=bool)[geo_codes]
    skip = flag(
        report,
        ~geo_ok,
        "unknown ActionGeo_Type (expected 1-5)",
        "ActionGeo_Type",
        cols["ActionGeo_Type"].to_numpy(),
        skip,
        rows,
    )
    # the most specific CAMEO code listed: EventCode, then base code, then root code
    code_col = pc.utf8_trim_whitespace(as_array(cols["EventCode"]))
    ev_codes, ev_values = factorize(code_col)
    types: list[TypeMapping | None] = []
    for code in ev_values:
        entry = vocab.codes.get(code) or vocab.codes.get(code[:3]) or vocab.roots.get(code[:2])
        types.append(entry)
    types.append(None)
    type_ok = np.array([t is not None for t in types], dtype=bool)[ev_codes]
    skip = flag(
        report,
        ~type_ok,
        "unknown event type (CAMEO EventCode not in mappings/cameo.yaml)",
        "EventCode",
        code_col.to_numpy(zero_copy_only=False),
        skip,
        rows,
    )
    keep = ~skip
    keep_pa = pa.array(keep)
    k_types = ev_codes[keep]

    def col(name: str) -> pa.Array | None:
        return as_array(cols[name]).filter(keep_pa) if name in cols else None

    def per_type(attr: str) -> np.ndarray:
        values = [getattr(t, attr) if t is not None else None for t in types[:-1]]
        labels: np.ndarray = np.array([getattr(v, "value", v) for v in values], dtype=object)
        picked: np.ndarray = labels[k_types]
        return picked

    precision = np.array([g.precision.value if g else None for g in geo], dtype=object)[
        geo_codes[keep]
    ]
    radius = np.array([g.radius_km if g else np.nan for g in geo], dtype=np.float64)[
        geo_codes[keep]
    ]
    fips = col("ActionGeo_CountryCode")
    country_src = None
    if fips is not None:
        found = pc.index_in(fips, value_set=pa.array(list(vocab.countries))).to_numpy(
            zero_copy_only=False
        )
        table = np.array([*vocab.countries.values(), None], dtype=object)
        country_src = table[np.where(np.isnan(found.astype(float)), -1, found).astype(int)]
    adm1 = col("ActionGeo_ADM1Code")
    iso, country = places_of(
        lon[keep], lat[keep], precision, None if adm1 is None else adm1.to_pandas(), country_src
    )
    columns = {
        "source": SOURCE,
        "source_event_id": ids.filter(keep_pa),
        "time_start": start[keep],
        "time_end": end[keep],
        "time_precision": "day",
        "lon": lon[keep],
        "lat": lat[keep],
        "location_precision": precision,
        "location_radius_km": radius,
        "location_name": col("ActionGeo_FullName"),
        "country": country,
        "admin1": iso,
        "admin1_source": adm1,
        "actor1": col("Actor1Code"),
        "actor2": col("Actor2Code"),
        "actor1_is_initiator": pc.is_valid(col("Actor1Code")),
        "category": per_type("category"),
        "source_category": pc.binary_join_element_wise("CAMEO ", col("EventCode"), ""),
        "weapon_class": per_type("weapon"),
        "target_category": per_type("target"),
        "source_name": col("SOURCEURL"),
        "number_of_sources": to_float(col("NumSources"), int(keep.sum())),
        "located": "event",
        "provenance_row": rows[keep],
    }
    report.rows_valid = int(keep.sum())
    report.sha256 = scan.result().sha256
    return ReadResult(build_events(columns, report.rows_valid, path, report), report)
