"""ACLED exports (CSV as downloaded): current column names and the older ones (data_id,
ally_actor_1, upper-case names, event types before 2019). Vectorized: per column, and per
distinct value for dates, types and precision codes."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ceasefire.errors import CeasefireError
from ceasefire.sources.columns import (
    as_array,
    duplicated,
    factorize,
    intervals,
    kept_rows,
    runs,
    to_float,
)
from ceasefire.sources.common import (
    DEFAULT_DATE_TIMEZONE,
    Coded,
    build_events,
    check_coordinates,
    flag,
    places_of,
    prepare_later,
    swapped_coordinates,
)
from ceasefire.sources.csvio import check_header, open_source, read_delimited
from ceasefire.sources.files import FileScan, scan_later
from ceasefire.sources.reader import ReadResult
from ceasefire.sources.report import IngestReport

if TYPE_CHECKING:  # imported by _load_vocabularies, on a thread while the file is parsed
    from ceasefire.sources.textsearch import ByCode
    from ceasefire.sources.vocab import AcledVocabulary, DatePrecision, TypeMapping

SOURCE = "acled"
EXPECTED = (
    "an ACLED export (columns event_id_cnty, event_date, event_type, latitude, longitude, ...)"
)
RENAMED = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"}  # older names
USED = {
    "event_id_cnty",
    "data_id",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "civilian_targeting",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
}
REQUIRED = ["event_date", "event_type", "latitude", "longitude", "geo_precision"]
# copied to the kept rows on a thread, in this order
KEPT = ["country", "admin1", "actor1", "actor2", "source", "location", "admin2", "notes"]


def _canonical(name: str) -> str:
    key = name.strip().lower()
    return RENAMED.get(key, key)


def _header(path: Path) -> list[str]:
    head = bytes(open_source(path).read(65536)).decode("utf-8", errors="replace").lstrip("\ufeff")
    first = head.splitlines()[0] if head.strip() else ""
    if not first:
        raise CeasefireError(f"{path}: the file holds only blank lines; expected {EXPECTED}")
    columns = check_header(path, first, ",", EXPECTED)
    names = {_canonical(c) for c in columns}
    missing = [c for c in REQUIRED if c not in names]
    if "event_id_cnty" not in names and "data_id" not in names:
        missing.insert(0, "event_id_cnty")
    if missing:
        from ceasefire.sources.detect import guess_source

        other = guess_source(columns)
        hint = (
            f"; its header looks like a {other} file (use --source {other})"
            if other and other != SOURCE
            else ""
        )
        raise CeasefireError(
            f"{path}: not an ACLED export: missing columns {', '.join(missing)}; "
            f"expected {EXPECTED}{hint}"
        )
    return columns


def _numbers(column: pa.ChunkedArray | None, n: int) -> tuple[np.ndarray, list[int | None]]:
    """Integer precision codes ('1', '1.0') per row, as codes into a list of ints."""
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


def _kinds(
    cols: dict[str, pa.ChunkedArray], vocab: AcledVocabulary
) -> tuple[np.ndarray, list[str], list[TypeMapping | None]]:
    """The type per row: the sub-event type, or the event type where there is none."""
    kind_codes, kind_values = factorize(cols["event_type"])
    if "sub_event_type" in cols:
        sub_codes, sub_values = factorize(cols["sub_event_type"])
        kind_codes = np.where(
            sub_codes >= 0, sub_codes, np.where(kind_codes >= 0, kind_codes + len(sub_values), -1)
        )
        kind_values = [*sub_values, *kind_values]
    return kind_codes, kind_values, [vocab.types.get(v) for v in kind_values]


def _load_vocabularies() -> None:
    from ceasefire.sources.vocab import (
        acled_vocabulary,
        prepare_search,
        target_classifier,
        weapon_classifier,
    )

    acled_vocabulary()
    prepare_search([weapon_classifier(), target_classifier()])


def _mentions(
    notes: pa.ChunkedArray | None, allowed: ByCode, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per row of the file: the first weapon class the notes mention among those `allowed`,
    and the first target class (-1: none); both searches on each batch of notes in turn."""
    from ceasefire.sources.vocab import first_indexes, target_classifier, weapon_classifier

    if notes is None:
        return np.full(n, -1, dtype=np.int64), np.full(n, -1, dtype=np.int64)
    weapon, target = first_indexes(
        notes, [(weapon_classifier(), allowed), (target_classifier(), None)]
    )
    return weapon, target


def _dates(
    cols: dict[str, pa.ChunkedArray], vocab: AcledVocabulary, n: int, date_timezone: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[DatePrecision | None]]:
    """UTC start and end per row, whether the date parsed and the precision is known, the
    precision codes and what they mean."""
    date_codes, date_values = factorize(cols["event_date"])
    if "time_precision" in cols:
        tp_codes, tp_values = _numbers(cols["time_precision"], n)
    else:  # files without the column: the date is the day
        tp_codes, tp_values = np.zeros(n, dtype=np.int64), [1]
    precisions = [vocab.time_precision.get(v) if v is not None else None for v in tp_values]
    start, end, date_ok, prec_ok = intervals(
        date_codes, date_values, tp_codes, precisions, date_timezone
    )
    return start, end, date_ok, prec_ok, tp_codes, precisions


def read_acled(path: Path, date_timezone: str = DEFAULT_DATE_TIMEZONE) -> ReadResult:
    """Read an ACLED CSV export into normalized events; bad rows go to the report."""
    # hash and UTF-8 check on a thread, while parsing (a zipped file's text: by the parser)
    scan = scan_later(path, utf8=path.suffix.lower() != ".zip")
    try:
        result = _read(path, date_timezone, scan)
    except (pa.ArrowInvalid, UnicodeDecodeError):
        _check_utf8(path, scan)  # values that are not text fail the kernels that read them
        raise
    _check_utf8(path, scan)
    return result


def _check_utf8(path: Path, scan: Future[FileScan]) -> None:
    problem = scan.result().utf8_error
    if problem:
        raise CeasefireError(f"{path}: not valid UTF-8 text ({problem}); expected {EXPECTED}")


def _read(path: Path, date_timezone: str, scan: Future[FileScan]) -> ReadResult:
    report = IngestReport(file=str(path), source=SOURCE, sha256="")
    header = _header(path)
    prepared = prepare_later(_load_vocabularies)  # started last: its imports hold the GIL
    csv = read_delimited(
        path,
        report,
        expected=EXPECTED,
        include=[c for c in header if _canonical(c) in USED],
        utf8_checked=True,
        threads=False,  # the other core hashes the file and loads the vocabularies meanwhile
    )
    cols = {_canonical(name): csv.table.column(name) for name in csv.table.column_names}
    rows, n = csv.rows, len(csv.rows)
    del csv  # the columns are released once copied to the kept rows
    prepared.result()
    from ceasefire.sources.vocab import acled_vocabulary, target_classifier, weapon_classifier

    vocab = acled_vocabulary()
    # dates, coordinates, duplicate ids and the text search on threads (Arrow and the compiled
    # search release the GIL) while the types and ids are checked here
    pool = ThreadPoolExecutor(max_workers=4)
    dates = pool.submit(_dates, cols, vocab, n, date_timezone)
    points = pool.submit(lambda: (to_float(cols["longitude"], n), to_float(cols["latitude"], n)))
    ids = cols.get("event_id_cnty")
    if ids is None or ("data_id" in cols and ids.null_count):
        ids = cols["data_id"] if ids is None else pc.coalesce(ids, cols["data_id"])
    repeated = pool.submit(duplicated, ids)
    geo_codes = pool.submit(_numbers, cols["geo_precision"], n)
    civilian_codes = (
        pool.submit(lambda: factorize(cols["civilian_targeting"])[0])
        if "civilian_targeting" in cols
        else None
    )
    kind_codes, kind_values, types = _kinds(cols, vocab)
    allowed = weapon_classifier().allowed_by_code(
        [[w.value for w in t.weapons] if t else [] for t in types], kind_codes
    )
    mentions = pool.submit(_mentions, cols.get("notes"), allowed, n)
    skip = np.zeros(n, dtype=bool)
    blank = pc.fill_null(pc.or_(pc.equal(pc.utf8_length(ids), 0), pc.utf8_is_space(ids)), True)
    start, end, date_ok, prec_ok, tp_codes, precisions = dates.result()
    skip = flag(
        report,
        blank.to_numpy(zero_copy_only=False),
        "missing id (event_id_cnty)",
        "event_id_cnty",
        None,
        skip,
        rows,
    )
    skip = flag(
        report,
        repeated.result(),
        "duplicate id in the file (first occurrence kept)",
        "event_id_cnty",
        ids,
        skip,
        rows,
    )
    skip = flag(
        report,
        ~date_ok,
        "unparseable event_date (expected e.g. 2024-01-15 or 15 January 2024)",
        "event_date",
        cols["event_date"],
        skip,
        rows,
    )
    skip = flag(
        report,
        ~prec_ok,
        "unknown time_precision (expected 1, 2 or 3)",
        "time_precision",
        cols.get("time_precision"),
        skip,
        rows,
    )

    lon, lat = points.result()
    skip = check_coordinates(report, lon, lat, skip, rows)
    skip = swapped_coordinates(report, lon, lat, skip, rows)
    gp_codes, gp_values = geo_codes.result()
    geo = [vocab.geo_precision.get(v) if v is not None else None for v in gp_values]
    geo_ok = np.array([g is not None for g in geo] + [False], dtype=bool)[gp_codes]
    skip = flag(
        report,
        ~geo_ok,
        "unknown geo_precision (expected 1, 2 or 3)",
        "geo_precision",
        cols["geo_precision"],
        skip,
        rows,
    )

    type_ok = np.array([t is not None for t in types] + [False], dtype=bool)[kind_codes]
    column = "sub_event_type" if "sub_event_type" in cols else "event_type"
    skip = flag(
        report,
        ~type_ok,
        "unknown event type (sub_event_type/event_type not in mappings/acled.yaml)",
        column,
        # the values shown (objects per row) only where a row is reported
        np.array([*kind_values, None], dtype=object)[kind_codes]
        if (~type_ok & ~skip).any()
        else None,
        skip,
        rows,
    )

    keep = ~skip
    kept = int(keep.sum())
    keep_pa = pa.array(keep)
    k_codes = kind_codes[keep]

    spans = runs(keep)

    def filtered(name: str) -> pa.ChunkedArray | None:
        return cols[name] if kept == n else kept_rows(cols[name], keep_pa, spans)

    columns_kept: dict[str, Future[pa.ChunkedArray | None]] = {
        name: pool.submit(filtered, name) for name in KEPT if name in cols
    }
    ids_kept = ids if kept == n else kept_rows(ids, keep_pa, spans)

    def col(name: str) -> pa.ChunkedArray | None:
        if name in columns_kept:
            return columns_kept[name].result()
        return filtered(name) if name in cols else None

    lon_k, lat_k = lon[keep], lat[keep]
    place_names = sorted({g.precision.value for g in geo if g})
    place_i = np.array([place_names.index(g.precision.value) if g else -1 for g in geo] + [-1])[
        gp_codes[keep]
    ]
    radius = np.array([g.radius_km if g else np.nan for g in geo] + [np.nan], dtype=np.float64)[
        gp_codes[keep]
    ]

    def places() -> tuple[pa.Array, pa.Array]:
        country_src = None
        if "country" in cols:
            found = pc.index_in(col("country"), value_set=pa.array(list(vocab.countries)))
            country_src = Coded(
                pc.fill_null(found, -1).to_numpy(zero_copy_only=False),
                list(vocab.countries.values()),
            )
        admin1_src = col("admin1")
        return places_of(
            lon_k,
            lat_k,
            Coded(place_i, place_names),
            None if admin1_src is None else as_array(admin1_src),
            country_src,
        )

    located = pool.submit(places)  # while weapons, targets and categories are decided
    source_col = col("source")
    time_names = sorted({p.precision.value for p in precisions if p})
    time_i = np.array(
        [time_names.index(p.precision.value) if p else -1 for p in precisions] + [-1]
    )[tp_codes[keep]]
    weapon_all, target_all = mentions.result()
    weapons = weapon_classifier()
    weapon_i = weapon_all[keep]
    weapon_names = [*weapons.classes, "unknown"]
    default_weapon = np.array(
        [weapon_names.index(t.weapon.value) if t else -1 for t in types] + [-1]
    )[k_codes]
    weapon_i = np.where(weapon_i < 0, default_weapon, weapon_i)
    categories = sorted({c.value for t in types if t for c in [t.category, *t.by_weapon.values()]})
    by_type_weapon = np.full((len(types) + 1, len(weapon_names) + 1), -1)  # -1: none
    for i, t in enumerate(types):
        if t:
            by_type_weapon[i, :] = categories.index(t.category.value)
            for w, c in t.by_weapon.items():
                by_type_weapon[i, weapons.classes.index(w.value)] = categories.index(c.value)
    category_i = by_type_weapon[k_codes, weapon_i]
    targets = target_classifier()
    target_names = [
        *targets.classes,
        "civilian",
        *sorted({t.target.value for t in types if t} | {"unknown"}),
    ]
    target_i = target_all[keep]
    if civilian_codes is not None:
        civilian = civilian_codes.result()[keep] >= 0
        target_i = np.where((target_i < 0) & civilian, len(targets.classes), target_i)
    type_target = np.array([target_names.index(t.target.value) if t else -1 for t in types] + [-1])[
        k_codes
    ]
    target_i = np.where(target_i < 0, type_target, target_i)

    iso, country = located.result()
    pool.shutdown()
    admin1_src = col("admin1")
    columns = {
        "source": SOURCE,
        "source_event_id": ids_kept,
        "time_start": start[keep],
        "time_end": end[keep],
        "time_precision": Coded(time_i, time_names),
        "lon": lon_k,
        "lat": lat_k,
        "location_precision": Coded(place_i, place_names),
        "location_radius_km": radius,
        "location_name": col("location"),
        "country": country,
        "admin1": iso,
        "admin1_source": admin1_src,
        "admin2_source": col("admin2"),
        "actor1": col("actor1"),
        "actor2": col("actor2"),
        "actor1_is_initiator": np.array(
            [bool(t and t.initiator) for t in types] + [False], dtype=bool
        )[k_codes],
        "category": Coded(category_i, categories),
        "source_category": Coded(k_codes, kind_values),
        "weapon_class": Coded(weapon_i, weapon_names),
        "target_category": Coded(target_i, target_names),
        "fatalities_best": to_float(col("fatalities"), kept),
        "source_name": source_col,
        "number_of_sources": None
        if source_col is None
        else pc.add(pc.count_substring(source_col, ";"), 1),
        "text": col("notes"),
        "located": "event",
        "provenance_row": rows[keep],
    }
    cols.clear()
    del ids
    report.rows_valid = kept
    report.sha256 = scan.result().sha256
    return ReadResult(build_events(columns, kept, path, report), report)
