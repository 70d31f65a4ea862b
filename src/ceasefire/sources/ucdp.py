"""UCDP Georeferenced Event Dataset (GED) CSV, including candidate and monthly releases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ceasefire.errors import CeasefireError
from ceasefire.sources.columns import intervals
from ceasefire.sources.common import (
    DEFAULT_DATE_TIMEZONE,
    check_coordinates,
    flag,
    mapping,
    swapped_coordinates,
    to_event_table,
)
from ceasefire.sources.files import require_file, sha256_of
from ceasefire.sources.reader import ReadResult
from ceasefire.sources.report import IngestReport
from ceasefire.sources.vocab import DatePrecision
from ceasefire.taxonomy import TimePrecision

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
        from ceasefire.sources.detect import guess_source

        other = guess_source(list(frame.columns))
        hint = f"; its header looks like an {other} file (use --source {other})" if other else ""
        raise CeasefireError(
            f"{path}: not a UCDP GED file: missing columns {', '.join(missing)}; expected the "
            f"GED columns (id, type_of_violence, side_a, side_b, where_prec, date_prec, ...){hint}"
        )
    return frame


def _number(frame: pd.DataFrame, column: str) -> np.ndarray:
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)


def _days(first: pd.Series, last: pd.Series, timezone: str) -> tuple[np.ndarray, np.ndarray]:
    """UTC interval of local calendar days, one date parse per distinct value ('2022-03-01' or
    '2022-03-01 00:00:00.000' in the candidate releases)."""
    precision = [DatePrecision(precision=TimePrecision.DAY)]
    zero = np.zeros(len(first), dtype=np.int64)
    start_codes, start_values = pd.factorize(first.str.slice(0, 10))
    end_codes, end_values = pd.factorize(last.str.slice(0, 10))
    start, _, _, _ = intervals(start_codes, list(map(str, start_values)), zero, precision, timezone)
    _, end, _, _ = intervals(end_codes, list(map(str, end_values)), zero, precision, timezone)
    return start, end


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
    start, end = _days(raw["date_start"], raw["date_end"].fillna(raw["date_start"]), date_timezone)
    bad_date = pd.isna(start) | pd.isna(end)
    skip = flag(
        report,
        bad_date,
        "unparseable date_start/date_end (expected YYYY-MM-DD)",
        "date_start",
        raw["date_start"],
        skip,
    )
    reversed_dates = (end < start) & ~bad_date
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

    def per_code(values: np.ndarray, table: dict[int, Any], pick: Any) -> np.ndarray:
        """One look-up per code (the codes are few): values -> pick(entry)."""
        keys = sorted(table)
        looked_up = np.array([pick(table[k]) for k in keys], dtype=object)
        picked: np.ndarray = looked_up[np.searchsorted(keys, values[keep])]
        return picked

    violence_map = codes["type_of_violence"]
    where_map = codes["where_prec"]
    frame = pd.DataFrame(
        {
            "source": SOURCE,
            "source_event_id": ident[keep].astype(np.int64).astype(str).to_numpy(),
            "time_start": start[keep],
            "time_end": end[keep],
            "time_precision": per_code(date_prec, codes["date_prec"], str),
            "lon": lon[keep],
            "lat": lat[keep],
            "location_precision": per_code(where, where_map, lambda p: p["precision"]),
            "location_radius_km": per_code(
                where, where_map, lambda p: float(p["radius_km"])
            ).astype(float),
            "location_name": rows.get("where_coordinates"),
            "country": rows.get("country", pd.Series(dtype=str)).map(COUNTRY_CODES),
            "admin1_source": rows.get("adm_1"),
            "admin2_source": rows.get("adm_2"),
            "actor1": rows["side_a"].to_numpy(),
            "actor2": rows["side_b"].to_numpy(),
            "actor1_is_initiator": per_code(
                violence, violence_map, lambda k: bool(k["actor1_is_initiator"])
            ).astype(bool),
            "category": per_code(violence, violence_map, lambda k: k["category"]),
            "source_category": "type_of_violence="
            + rows["type_of_violence"].str.replace(".0", "", regex=False),
            "weapon_class": "unknown",
            "target_category": per_code(violence, violence_map, lambda k: k["target"]),
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
