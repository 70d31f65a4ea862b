"""Both bundled agreements validate and say what they are built from."""

from __future__ import annotations

import pytest

from ceasefire.agreement import bundled_names, load_agreement
from ceasefire.agreement.describe import describe_agreement
from ceasefire.agreement.model import SecurityZone


def test_both_agreements_are_bundled() -> None:
    assert bundled_names() == ["minsk-ii-2015", "paris-2026-draft"]


@pytest.mark.parametrize("name", ["minsk-ii-2015", "paris-2026-draft"])
def test_bundled_agreement_validates(name: str) -> None:
    agreement = load_agreement(name)
    assert agreement.id == name
    assert agreement.entry_into_force.tzinfo is not None
    assert all(rule.article for rule in agreement.rules)


def test_minsk_ii_terms() -> None:
    minsk = load_agreement("minsk-ii-2015")
    assert minsk.entry_into_force.isoformat() == "2015-02-15T00:00:00+02:00"
    zones = {z.id: z for z in minsk.zones}
    distances = {z.id: z.distance_km for z in zones.values() if isinstance(z, SecurityZone)}
    assert distances == {
        "artillery-50km": 50, "mlrs-70km": 70, "long-range-140km": 140, "light-weapons-15km": 15,
    }  # fmt: skip
    artillery = zones["artillery-50km"]
    assert isinstance(artillery, SecurityZone)
    # Ukraine measured from the actual line, the other side from the 19 September 2014 line
    assert artillery.line_for("UA") == "loc-2015"
    assert artillery.line_for("DLPR") == "memorandum-2014"
    withdrawal = minsk.phase("heavy-weapons-withdrawal")
    assert (withdrawal.start - minsk.entry_into_force).days == 2
    assert (withdrawal.end - withdrawal.start).days == 14
    assert [m.id for m in minsk.monitors] == ["osce-smm"]


def test_paris_draft_is_marked_illustrative_and_backstop_lasts_15_years() -> None:
    paris = load_agreement("paris-2026-draft")
    assert paris.status == "illustrative"
    assert paris.source is not None and "ILLUSTRATIVE" in paris.source.read_text()
    backstop = next(c for g in paris.guarantors if g.id == "US" for c in g.commitments)
    end = paris.commitment_end(backstop)
    assert end is not None and end.year - paris.entry_into_force.year == 15
    rules = {r.id for r in paris.rules}
    assert {"no-energy-strikes", "no-cross-line-strikes", "buffer-demilitarised"} <= rules


def test_show_measures_lines_and_zones() -> None:
    info = describe_agreement(load_agreement("minsk-ii-2015"))
    lengths = {line["id"]: line["length_km"] for line in info["lines"]}
    # the data README: the bundled 2015 line measures 318 km
    assert lengths["loc-2015"] == pytest.approx(318, abs=2)
    areas = {(z["id"], p["party"]): p["area_km2"] for z in info["zones"] for p in z["parts"]}
    # a 4 x 4 km disengagement square
    assert areas[("zolote", "")] == pytest.approx(16, rel=0.02)
    # a 15 km strip on Ukraine's side of a ~318 km line: a few thousand km2
    assert 3000 < areas[("light-weapons-15km", "UA")] < 6500
