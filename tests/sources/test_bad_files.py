"""Bad whole files: one clear message naming the file and what was expected; nothing stored."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from ceasefire.errors import CeasefireError
from ceasefire.sources import read_events
from ceasefire.store import EventStore


def _error(path: Path, source: str | None = None) -> str:
    with pytest.raises(CeasefireError) as caught:
        read_events(path, source)
    message = str(caught.value)
    assert str(path) in message  # the message names the file
    return message


@pytest.mark.parametrize("source", [None, "acled", "ucdp", "gdelt", "field_report"])
def test_empty_file(tmp_path: Path, source: str | None) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert "empty" in _error(path, source)


def test_blank_lines_only(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("\n\n  \n")
    assert "expected" in _error(path, "acled")


def test_missing_file(tmp_path: Path) -> None:
    assert "no such file" in _error(tmp_path / "nope.csv", "acled")


def test_truncated_acled_export(tmp_path: Path, fixtures: Path) -> None:
    data = (fixtures / "acled_ukraine_2024.csv").read_bytes()
    path = tmp_path / "acled_cut.csv"
    path.write_bytes(data[: data.rindex(b"\nUKR146012") + 60])  # cut inside the last row
    message = _error(path)
    assert "truncated" in message and "last row (12)" in message and "ACLED export" in message


def test_truncated_inside_a_quoted_value(tmp_path: Path) -> None:
    path = tmp_path / "acled_cut_quote.csv"
    path.write_text(
        "event_id_cnty,event_date,event_type,latitude,longitude,geo_precision,notes\n"
        'UKR1,2024-03-01,Battles,48.0,37.8,1,"Clashes near Donetsk."\n'
        'UKR2,2024-03-02,Battles,48.0,37.8,1,"Clashes near Av'
    )
    assert "ends inside a quoted value" in _error(path, "acled")


def test_truncated_gdelt_file(tmp_path: Path, fixtures: Path) -> None:
    data = (fixtures / "gdelt_20220301.export.CSV").read_bytes()
    path = tmp_path / "20220301.export.CSV"
    path.write_bytes(data[:-200])
    message = _error(path, "gdelt")
    assert "truncated" in message and "of 61 fields" in message


def test_truncated_zip(tmp_path: Path, fixtures: Path) -> None:
    data = (fixtures / "gdelt_20220301.export.CSV.zip").read_bytes()
    path = tmp_path / "20220301.export.CSV.zip"
    path.write_bytes(data[: len(data) // 2])
    assert "not a readable zip file" in _error(path, "gdelt")


def test_zip_with_two_files(tmp_path: Path) -> None:
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.CSV", "1\t2\n")
        archive.writestr("b.CSV", "1\t2\n")
    assert "exactly one data file" in _error(path, "gdelt")


def test_semicolon_delimited_acled(tmp_path: Path, fixtures: Path) -> None:
    lines = (fixtures / "acled_2018_old_columns.csv").read_text().splitlines()
    path = tmp_path / "acled_semicolons.csv"
    path.write_text("\n".join([lines[0].replace(",", ";"), *lines[1:]]) + "\n")
    message = _error(path, "acled")
    assert "separated by semicolons" in message and "wrong delimiter" in message


def test_tab_delimited_file_declared_as_ucdp(tmp_path: Path, ucdp_sample: Path) -> None:
    path = tmp_path / "ucdp_tabs.csv"
    path.write_text(ucdp_sample.read_text().replace(",", "\t"))
    assert "wrong delimiter" in _error(path, "ucdp")


def test_comma_file_declared_as_gdelt(fixtures: Path) -> None:
    message = _error(fixtures / "acled_ukraine_2024.csv", "gdelt")
    assert "separated by commas" in message and "GDELT 2.0" in message


@pytest.mark.parametrize(
    ("name", "declared", "expected", "detected"),
    [
        ("ucdp", "acled", "not an ACLED export", "ucdp"),
        ("acled_ukraine_2024.csv", "ucdp", "not a UCDP GED file", "acled"),
        ("gdelt_20220301.export.CSV", "acled", "not an ACLED export", None),
        ("acled_ukraine_2024.csv", "field_report", "not valid JSON", None),
    ],
)
def test_file_of_another_source_than_declared(
    fixtures: Path, ucdp_sample: Path, name: str, declared: str, expected: str, detected: str | None
) -> None:
    path = ucdp_sample if name == "ucdp" else fixtures / name
    message = _error(path, declared)
    assert expected in message
    if detected:
        assert f"--source {detected}" in message


def test_undetectable_csv(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b,c\n1,2,3\n")
    message = _error(path)
    assert "cannot tell which source" in message and "csv:MAPPING.yaml" in message


def test_unknown_source_name(fixtures: Path) -> None:
    with pytest.raises(CeasefireError, match="did you mean 'acled'"):
        read_events(fixtures / "acled_ukraine_2024.csv", "acleed")


def test_not_utf8(tmp_path: Path, fixtures: Path) -> None:
    text = (
        (fixtures / "acled_ukraine_2024.csv")
        .read_text(encoding="utf-8")
        .replace("Kupiansk", "Купянськ")
    )
    path = tmp_path / "acled_cp1251.csv"
    path.write_bytes(text.encode("cp1251"))
    assert "not valid UTF-8" in _error(path, "acled")


def test_truncated_field_report(tmp_path: Path, fixtures: Path) -> None:
    text = (fixtures / "field_report_smm_2015.json").read_text()
    path = tmp_path / "report.json"
    path.write_text(text[: len(text) // 2])
    message = _error(path)
    assert "not valid JSON (truncated?)" in message and "field report" in message


def test_geojson_given_as_field_report(tmp_path: Path) -> None:
    path = tmp_path / "map.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    assert "not a field report (a GeoJSON file)" in _error(path, "field_report")


def test_field_report_without_reports(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('{"format": "ceasefire-field-report/1", "reports": []}')
    assert "not a valid field report" in _error(path)


def test_nothing_is_stored_from_a_bad_file(tmp_path: Path, fixtures: Path) -> None:
    from ceasefire.pipeline import ingest

    good = fixtures / "acled_ukraine_2024.csv"
    data = good.read_bytes()
    bad = tmp_path / "acled_cut.csv"
    bad.write_bytes(data[: len(data) - 40])
    with EventStore(tmp_path / "store.duckdb") as store:
        ingest(store, [good], None, lambda *_: None)
        assert store.count() == 12
        with pytest.raises(CeasefireError, match="truncated"):
            ingest(store, [bad], None, lambda *_: None)
        assert store.count() == 12


def test_gdelt_zip_in_memory_equals_plain(fixtures: Path) -> None:
    plain = read_events(fixtures / "gdelt_20220301.export.CSV").table
    zipped = read_events(fixtures / "gdelt_20220301.export.CSV.zip").table
    assert plain.drop_columns(["provenance_file", "provenance_sha256"]).equals(
        zipped.drop_columns(["provenance_file", "provenance_sha256"])
    )
    assert io.BytesIO  # zip read without extracting to disk
