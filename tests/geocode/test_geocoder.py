"""Offline geocoding: transliterations, renamed towns, namesakes decided by context or reported
as ambiguous, admin-1 names, and the `geocode` command."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from ceasefire.geocode import Geocoder, admin1_code, geocode, geocode_column


@pytest.mark.parametrize(
    ("name", "place", "admin1"),
    [
        ("Kharkiv", "Kharkiv", "UA-63"),
        ("Kharkov", "Kharkiv", "UA-63"),
        ("Харків", "Kharkiv", "UA-63"),
        ("Харьков", "Kharkiv", "UA-63"),
        ("Zaporizhzhia", "Zaporizhzhya", "UA-23"),
        ("Zaporozhye", "Zaporizhzhya", "UA-23"),
        ("Stanytsia Luhanska", "Stanytsya-Luhanska", "UA-09"),
        ("Mar'inka", "Mar'yinka", "UA-14"),
        ("Bakhmut", "Bakhmut", "UA-14"),
    ],
)
def test_names_and_transliterations(name: str, place: str, admin1: str) -> None:
    result = geocode(name)
    assert result.status == "resolved" and result.place is not None
    assert (result.place.name, result.place.admin1) == (place, admin1)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Artemivsk", "Bakhmut"),
        ("Artemovsk", "Bakhmut"),
        ("Krasnoarmiisk", "Pokrovsk"),
        ("Krasnoarmeysk", "Pokrovsk"),
        ("Dzerzhynsk", "Toretsk"),
        ("Dimitrov", "Myrnohrad"),
        ("Dnipropetrovsk", "Dnipro"),
        ("Tsiurupynsk", "Oleshky"),
        ("Severodonetsk", "Siverskodonetsk"),
    ],
)
def test_pre_2016_names(old: str, new: str) -> None:
    result = geocode(old)
    assert result.place is not None and result.place.name == new
    assert result.place.admin1 is not None and result.place.admin1.startswith("UA-")


def test_namesakes_decided_by_the_area_of_operations() -> None:
    lyman = geocode("Lyman")
    assert lyman.place is not None and lyman.place.admin1 == "UA-14"
    assert (
        "area of operations" in lyman.basis
        and len(lyman.candidates) == 3
        and lyman.confidence < 0.9
    )
    borova = geocode("Borova")
    assert borova.place is not None and borova.place.admin1 == "UA-63"


def test_namesakes_decided_by_admin1_or_a_nearby_point() -> None:
    assert geocode("Lyman", admin1="UA-63").place.admin1 == "UA-63"  # type: ignore[union-attr]
    assert geocode("Lyman", admin1="Kharkiv oblast").place.admin1 == "UA-63"  # type: ignore[union-attr]
    assert geocode("Kostiantynivka", admin1="Donetsk").place.population == 67350  # type: ignore[union-attr]
    near = geocode("Kamianske", near=(34.6, 48.5))
    assert near.place is not None and near.place.population == 226845 and "nearest" in near.basis
    unusable = geocode("Kamianske", nearby=["Vasylivka"])  # itself ambiguous: no context
    assert unusable.status == "ambiguous"
    context = geocode("Kamianske", nearby=["Stepnohirsk", "Orikhiv"])
    assert context.place is not None and context.place.admin1 == "UA-23"


@pytest.mark.parametrize("name", ["Kamianske", "Kostiantynivka", "Vasylivka", "Andriivka"])
def test_ambiguous_names_list_their_candidates(name: str) -> None:
    result = geocode(name)
    assert result.status == "ambiguous" and result.place is None and result.confidence == 0
    assert len(result.candidates) >= 2
    assert all(c.admin1 and c.geonameid for c in result.candidates)


def test_without_the_area_of_operations_lyman_is_ambiguous() -> None:
    result = Geocoder(front=None).geocode("Lyman")
    assert result.status == "ambiguous" and {c.admin1 for c in result.candidates} == {
        "UA-14",
        "UA-63",
        "UA-51",
    }


def test_not_found_and_typos() -> None:
    assert geocode("Mordor").status == "not_found"
    typo = geocode("Bakhmutt")
    assert (
        typo.place is not None
        and typo.place.name == "Bakhmut"
        and typo.matched == "fuzzy"
        and typo.confidence < 0.8
    )
    wrong_admin = geocode("Lyman", admin1="UA-32")
    assert wrong_admin.status == "not_found" and len(wrong_admin.candidates) == 3


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Donetsk oblast", "UA-14"),
        ("Donetska oblast", "UA-14"),
        ("UA-14", "UA-14"),
        ("UA.05", "UA-14"),
        ("UP05", "UA-14"),
        ("Kyiv", "UA-32"),
        ("Kyiv City", "UA-30"),
        ("Zaporizhia", "UA-23"),
        ("Autonomous Republic of Crimea", "UA-43"),
        ("Chechnya republic", "RU-CE"),
        ("Stavropol krai", "RU-STA"),
        ("Kabardino-Balkaria republic", "RU-KB"),
        ("Belgorod", "RU-BEL"),
        ("Запорізька область", "UA-23"),
        ("Mordor", None),
    ],
)
def test_admin1_names(name: str, code: str | None) -> None:
    assert admin1_code(name) == code


def test_geocode_column_looks_up_each_distinct_name_once() -> None:
    names = pd.Series(["Lyman", "Lyman", "Kamianske", None, "Lyman"])
    admin = pd.Series([None, "UA-63", None, None, None])
    got = geocode_column(names, admin)
    assert got["admin1"].tolist()[:2] == ["UA-14", "UA-63"] and got["status"].tolist()[2:4] == [
        "ambiguous",
        "not_found",
    ]
    assert got.loc[4, "lat"] == got.loc[0, "lat"]


def test_cli_answers_in_text_and_json() -> None:
    from ceasefire.cli.main import app

    runner = CliRunner()
    text = runner.invoke(app, ["geocode", "Artemivsk"])
    assert text.exit_code == 0 and "Bakhmut (UA-14)" in text.output
    as_json = runner.invoke(app, ["geocode", "Kamianske", "--json"])
    data = json.loads(as_json.output)
    assert data["status"] == "ambiguous" and len(data["candidates"]) == 5
    near = runner.invoke(app, ["geocode", "Lyman", "--near", "36.4,49.6", "--json"])
    assert json.loads(near.output)["place"]["admin1"] == "UA-63"
    admin = runner.invoke(app, ["geocode", "Lyman", "--admin1", "UA-63", "--json"])
    assert json.loads(admin.output)["place"]["geonameid"] == 703071
    assert runner.invoke(app, ["geocode", "Mordor"]).exit_code == 1
    assert runner.invoke(app, ["geocode", "Lyman", "--admin1", "Narnia"]).exit_code == 1
    assert runner.invoke(app, ["geocode", "Lyman", "--near", "east"]).exit_code == 2
