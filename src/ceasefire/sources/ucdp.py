"""UCDP Georeferenced Event Dataset (GED) CSV, including candidate and monthly releases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ceasefire.errors import CeasefireError
from ceasefire.sources.common import (
    DEFAULT_DATE_TIMEZONE,
    check_coordinates,
    day_interval,
    flag,
    mapping,
    swapped_coordinates,
    to_event_table,
)
from ceasefire.sources.files import require_file, sha256_of
from ceasefire.sources.reader import ReadResult
from ceasefire.sources.report import IngestReport

SOURCE = "ucdp"
REQUIRED = [
    "id",
    "type_of_violence",
    "side_a",
    "side_b",
    "where_prec",
    "latitude",
    "longitude",
    "date_prec",
    "date_start",
    "date_end",
    "best",
    "low",
    "high",
]
COUNTRY_CODES = {
    "Ukraine": "UA",
    "Russia (Soviet Union)": "RU",
    "Russia": "RU",
    "Belarus": "BY",
    "Moldova": "MD",
}


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise CeasefireError(f"{path}: not a readable CSV file ({exc})") from exc
    except pd.errors.EmptyDataError as exc:
        raise CeasefireError(f"{path}: the file is empty; expected UCDP GED columns") from exc
    if len(frame.columns) == 1:
        raise CeasefireError(
            f"{path}: only one column found ('{frame.columns[0][:60]}'); "
            "expected a comma-separated "
            "UCDP GED file (id, type_of_violence, side_a, ...): wrong delimiter?"
        )
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise CeasefireError(
            f"{path}: not a UCDP GED file: missing columns {', '.join(missing)}; expected the "
            "GED columns (id, type_of_violence, side_a, side_b, where_prec, date_prec, ...)"
        )
    return frame


def _number(frame: pd.DataFrame, column: str) -> np.ndarray:
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)


def read_ucdp(path: Path, date_timezone: str = DEFAULT_DATE_TIMEZONE) -> ReadResult:
    """Read a UCDP GED CSV into normalized events; bad rows go to the report, not the table."""
    require_file(path)
    report = IngestReport(file=str(path), source=SOURCE, sha256=sha256_of(path))
    raw = _read_csv(path)
    report.rows_read = len(raw)
    codes = mapping("ucdp")
    skip = np.zeros(len(raw), dtype=bool)
    ident = pd.to_numeric(raw["id"], errors="coerce")
    skip = flag(report, ident.isna().to_numpy(), "missing or non-numeric id", "id", raw["id"], skip)
    dup = ident.duplicated(keep="first").to_numpy() & ident.notna().to_numpy()
    skip = flag(
        report, dup, "duplicate id in the file (first occurrence kept)", "id", raw["id"], skip
    )
    violence = _number(raw, "type_of_violence")
    known_violence = np.isin(violence, list(codes["type_of_violence"]))
    skip = flag(
        report,
        ~known_violence,
        "unknown type_of_violence (expected 1, 2 or 3)",
        "type_of_violence",
        raw["type_of_violence"],
        skip,
    )
    start, end = day_interval(
        raw["date_start"], raw["date_end"].fillna(raw["date_start"]), date_timezone
    )
    bad_date = (start.isna() | end.isna()).to_numpy()
    skip = flag(
        report,
        bad_date,
        "unparseable date_start/date_end (expected YYYY-MM-DD)",
        "date_start",
        raw["date_start"],
        skip,
    )
    reversed_dates = (end < start).to_numpy() & ~bad_date
    skip = flag(
        report, reversed_dates, "date_end before date_start", "date_end", raw["date_end"], skip
    )
    lon, lat = _number(raw, "longitude"), _number(raw, "latitude")
    skip = check_coordinates(report, lon, lat, skip)
    skip = swapped_coordinates(report, lon, lat, skip)
    where = _number(raw, "where_prec")
    skip = flag(
        report,
        ~np.isin(where, list(codes["where_prec"])),
        "unknown where_prec (expected 1-7)",
        "where_prec",
        raw["where_prec"],
        skip,
    )
    date_prec = _number(raw, "date_prec")
    skip = flag(
        report,
        ~np.isin(date_prec, list(codes["date_prec"])),
        "unknown date_prec (expected 1-5)",
        "date_prec",
        raw["date_prec"],
        skip,
    )
    keep = ~skip
    rows = raw[keep]
    violence_map = codes["type_of_violence"]
    kinds = [violence_map[int(v)] for v in violence[keep]]
    where_map = codes["where_prec"]
    places = [where_map[int(w)] for w in where[keep]]
    frame = pd.DataFrame(
        {
            "source": SOURCE,
            "source_event_id": ident[keep].astype(np.int64).astype(str).to_numpy(),
            "time_start": start[keep].to_numpy(),
            "time_end": end[keep].to_numpy(),
            "time_precision": [codes["date_prec"][int(p)] for p in date_prec[keep]],
            "lon": lon[keep],
            "lat": lat[keep],
            "location_precision": [p["precision"] for p in places],
            "location_radius_km": [float(p["radius_km"]) for p in places],
            "location_name": rows.get("where_coordinates"),
            "country": rows.get("country", pd.Series(dtype=str)).map(COUNTRY_CODES),
            "admin1_source": rows.get("adm_1"),
            "admin2_source": rows.get("adm_2"),
            "actor1": rows["side_a"].to_numpy(),
            "actor2": rows["side_b"].to_numpy(),
            "actor1_is_initiator": [k["actor1_is_initiator"] for k in kinds],
            "category": [k["category"] for k in kinds],
            "source_category": "type_of_violence="
            + rows["type_of_violence"].str.replace(".0", "", regex=False),
            "weapon_class": "unknown",
            "target_category": [k["target"] for k in kinds],
            "fatalities_best": _number(rows, "best"),
            "fatalities_low": _number(rows, "low"),
            "fatalities_high": _number(rows, "high"),
            "source_name": rows.get("source_office"),
            "number_of_sources": _number(rows, "number_of_sources")
            if "number_of_sources" in rows
            else None,
            "text": rows.get("source_headline"),
            "provenance_row": np.flatnonzero(keep) + 1,
        }
    ).reset_index(drop=True)
    report.rows_valid = len(frame)
    return ReadResult(to_event_table(frame, path, report), report)
