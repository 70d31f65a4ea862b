"""Each broken-agreement case gives a message naming file, line, key path and a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.agreement import load_agreement
from ceasefire.errors import AgreementError, CeasefireError
from tests.agreement.conftest import WriteAgreement


def _problems(path: Path) -> list[str]:
    with pytest.raises(AgreementError) as caught:
        load_agreement(path)
    return [str(p) for p in caught.value.problems]


def _line(path: Path, text: str) -> int:
    """1-based line of the first occurrence of text in the file."""
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_base_agreement_is_valid(write_agreement: WriteAgreement) -> None:
    assert load_agreement(write_agreement()).id == "test-agreement"


def test_unknown_key_names_line_and_closest_key(write_agreement: WriteAgreement) -> None:
    path = write_agreement(("    width_km: 15", "    widht_km: 15"))
    problems = _problems(path)
    expected = (
        f"{path}:{_line(path, 'widht_km')} at 'zones[0].widht_km': "
        "unknown key 'widht_km'; did you mean 'width_km'?"
    )
    assert expected in problems
    # the key it replaces is then reported as missing, at the zone
    assert any("required key 'width_km' is missing" in p for p in problems)


def test_unknown_zone_reference(write_agreement: WriteAgreement) -> None:
    path = write_agreement(("where: {zone: buffer_15km}", "where: {zone: buffer_15k}"))
    [message] = _problems(path)
    assert "rules[1].where.zone" in message
    assert "zone 'buffer_15k' is not defined; did you mean 'buffer_15km'?" in message
    assert message.startswith(f"{path}:{_line(path, 'buffer_15k}')} at ")


def test_zone_refers_to_unknown_line(write_agreement: WriteAgreement) -> None:
    [message] = _problems(write_agreement(("    line: loc\n", "    line: lco\n")))
    assert (
        "zones[0].line" in message and "line 'lco' is not defined; did you mean 'loc'?" in message
    )


def test_rule_refers_to_unknown_party(write_agreement: WriteAgreement) -> None:
    [message] = _problems(write_agreement(("parties: [RU]", "parties: [RUS]")))
    assert (
        "rules[1].parties[0]" in message
        and "party 'RUS' is not defined; did you mean 'RU'?" in message
    )


def test_unknown_phase_reference(write_agreement: WriteAgreement) -> None:
    [message] = _problems(
        write_agreement(("{phase: withdrawal, at: end}", "{phase: withdrawl, at: end}"))
    )
    assert "rules[1].when.after.phase" in message and "did you mean 'withdrawal'?" in message


def test_phase_that_ends_before_it_starts(write_agreement: WriteAgreement) -> None:
    path = write_agreement(
        ("    end: 2026-03-01T00:00:00+02:00", "    end: 2026-01-15T00:00:00+02:00")
    )
    [message] = _problems(path)
    assert "phases[0]" in message
    assert "phase 'withdrawal' ends (2026-01-15T00:00:00+02:00) before it starts" in message


def test_missing_timezone(write_agreement: WriteAgreement) -> None:
    path = write_agreement(
        ("entry_into_force: 2026-02-01T00:00:00+02:00", "entry_into_force: 2026-02-01T00:00:00")
    )
    [message] = _problems(path)
    assert message.startswith(f"{path}:5 at 'entry_into_force'")
    assert "has no time zone" in message and "+02:00" in message


def test_self_intersecting_polygon(write_agreement: WriteAgreement) -> None:
    bowtie = "[[[37.0, 48.0], [37.1, 48.1], [37.1, 48.0], [37.0, 48.1], [37.0, 48.0]]]"
    path = write_agreement(
        ("[[[37.0, 48.0], [37.1, 48.0], [37.1, 48.1], [37.0, 48.1], [37.0, 48.0]]]", bowtie)
    )
    [message] = _problems(path)
    assert "zones[1].geometry" in message and "invalid geometry: Self-intersection" in message


def test_projected_coordinates_are_rejected(write_agreement: WriteAgreement) -> None:
    projected = {
        "type": "LineString",
        "coordinates": [[4118000.0, 6245000.0], [4170000.0, 6100000.0]],
    }
    [message] = _problems(write_agreement(line=projected))
    assert "lines[0].geometry" in message
    assert "out of lon/lat range" in message and "not projected metres" in message


def test_geojson_in_another_crs_is_rejected(write_agreement: WriteAgreement) -> None:
    line = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
            }
        ],
    }
    [message] = _problems(write_agreement(line=line))
    assert "EPSG::3857" in message and "expected lon/lat degrees" in message


def test_missing_geometry_file(write_agreement: WriteAgreement) -> None:
    [message] = _problems(write_agreement(("{path: line.geojson}", "{path: missing.geojson}")))
    assert "lines[0].geometry" in message and "missing.geojson' does not exist" in message


def test_unknown_zone_kind(write_agreement: WriteAgreement) -> None:
    [message] = _problems(write_agreement(("kind: buffer", "kind: bufer")))
    assert "zones[0].kind" in message and "did you mean 'buffer'?" in message


def test_unknown_category_value(write_agreement: WriteAgreement) -> None:
    [message] = _problems(
        write_agreement(
            ("categories: [armed_clash, shelling]", "categories: [armed_clash, sheling]")
        )
    )
    assert "rules[0].categories[1]" in message and "did you mean 'shelling'?" in message


def test_several_problems_are_reported_together(write_agreement: WriteAgreement) -> None:
    problems = _problems(
        write_agreement(
            ("    width_km: 15", "    widht_km: 15"), ("title: Ceasefire", "titel: Ceasefire")
        )
    )
    assert len(problems) >= 2


def test_yaml_syntax_error_names_the_line(write_agreement: WriteAgreement) -> None:
    path = write_agreement(("title: Test agreement", "title: [unclosed"))
    with pytest.raises(CeasefireError, match=rf"{path}:\d+: not valid YAML"):
        load_agreement(path)


def test_unknown_bundled_name_suggests_the_closest() -> None:
    with pytest.raises(CeasefireError, match="did you mean 'minsk-ii-2015'"):
        load_agreement("minsk-ii")


def test_a_territory_outside_the_bundled_boundaries(write_agreement: WriteAgreement) -> None:
    path = write_agreement(("    name: Russia\n", "    name: Russia\n    territory: [RU, KZ]\n"))
    [message] = _problems(path)
    assert "parties[1].territory[1]" in message
    assert "territory 'KZ' of party 'RU' is not a country of the bundled boundaries" in message
    assert "expected one of BY, MD, RU, UA" in message


def test_a_territory_claimed_by_two_parties(write_agreement: WriteAgreement) -> None:
    path = write_agreement(
        ("    name: Ukraine\n", "    name: Ukraine\n    territory: [UA]\n"),
        ("    name: Russia\n", "    name: Russia\n    territory: [UA]\n"),
    )
    [message] = _problems(path)
    assert "parties[1].territory[0]" in message
    assert "territory 'UA' is claimed by both 'UA' and 'RU'" in message
