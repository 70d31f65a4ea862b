"""The vocabularies (YAML) and free-text weapon and target mentions."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from ceasefire.errors import InputError
from ceasefire.sources.vocab import (
    AcledVocabulary,
    acled_vocabulary,
    cameo_vocabulary,
    field_report_vocabulary,
    first_indexes,
    load_model,
    target_classifier,
    weapon_classifier,
)
from ceasefire.taxonomy import WeaponClass

# ACLED Codebook (2023/2024): the 25 sub-event types
ACLED_SUB_EVENTS = [
    "Armed clash",
    "Government regains territory",
    "Non-state actor overtakes territory",
    "Chemical weapon",
    "Air/drone strike",
    "Suicide bomb",
    "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED",
    "Grenade",
    "Sexual violence",
    "Attack",
    "Abduction/forced disappearance",
    "Peaceful protest",
    "Protest with intervention",
    "Excessive force against protesters",
    "Violent demonstration",
    "Mob violence",
    "Agreement",
    "Arrests",
    "Change to group/activity",
    "Disrupted weapons use",
    "Headquarters or base established",
    "Looting/property destruction",
    "Non-violent transfer of territory",
    "Other",
]


@pytest.mark.parametrize(
    ("text", "weapon"),
    [
        ("shelled with 122mm artillery", "artillery"),
        ("122-mm howitzer D-30", "artillery"),
        ("Grad rockets", "mlrs"),
        ("BM-21 Grad", "mlrs"),
        ("Uragan MLRS", "long_range"),
        ("Shahed-136 drones", "drone"),
        ("Geran-2", "drone"),
        ("an FPV drone", "drone"),
        ("KAB glide bomb", "aircraft"),
        ("guided aerial bombs", "aircraft"),
        ("Iskander-M ballistic missile", "long_range"),
        ("ATACMS", "long_range"),
        ("Tornado-S", "long_range"),
        ("120mm mortars", "light_artillery"),
        ("82mm mortar", "light_artillery"),
        ("T-72 tanks", "tank"),
        ("heavy machine-gun fire", "small_arms"),
        ("152mm artillery and drones", "artillery"),  # the heaviest mention wins
        ("a meeting", None),
    ],
)
def test_weapon_mentions(text: str, weapon: str | None) -> None:
    classifier = weapon_classifier()
    assert classifier.first(classifier.matches(pa.array([text])))[0] == weapon
    assert weapon is None or weapon in {w.value for w in WeaponClass}


def test_allowed_classes_restrict_the_choice() -> None:
    classifier = weapon_classifier()
    hits = classifier.matches(pa.array(["artillery and Shahed drones"]))
    allowed = classifier.allowed_matrix([["aircraft", "drone"]], [0])
    assert classifier.first(hits, allowed)[0] == "drone"


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("a substation was damaged", "energy_infrastructure"),
        ("strike on the thermal power plant", "energy_infrastructure"),
        ("oil refinery on fire", "energy_infrastructure"),
        ("the railway bridge", "critical_infrastructure"),
        ("water supply cut", "critical_infrastructure"),
        ("an OSCE SMM patrol came under fire", "monitor"),
        ("no civilian casualties", None),
    ],
)
def test_target_mentions(text: str, target: str | None) -> None:
    classifier = target_classifier()
    assert classifier.first(classifier.matches(pa.array([text])))[0] == target


def test_acled_vocabulary_covers_the_codebook() -> None:
    vocab = acled_vocabulary()
    assert [t for t in ACLED_SUB_EVENTS if t not in vocab.types] == []
    assert set(vocab.time_precision) == {1, 2, 3} and set(vocab.geo_precision) == {1, 2, 3}


def test_cameo_roots_and_fight_codes() -> None:
    vocab = cameo_vocabulary()
    assert sorted(vocab.roots) == [f"{i:02d}" for i in range(1, 21)]
    assert vocab.codes["194"].weapon.value == "artillery"
    assert vocab.codes["1952"].category.value == "drone_strike"


def test_field_report_kinds_match_the_schema() -> None:
    import json

    from ceasefire.resources import data_path

    schema = json.loads(data_path("schemas", "field_report.schema.json").read_text())
    kinds = schema["$defs"]["observation"]["properties"]["kind"]["enum"]
    assert sorted(field_report_vocabulary().kinds) == sorted(kinds)
    assert (
        field_report_vocabulary().sensors
        == schema["$defs"]["report"]["properties"]["sensor"]["enum"]
    )


def test_a_bad_vocabulary_names_file_key_and_fix(tmp_path: Path) -> None:
    path = tmp_path / "acled.yaml"
    path.write_text(
        "types: {Armed clash: {category: armed_clsh}}\n"
        "time_precision: {}\ngeo_precision: {}\ncountries: {}\n"
    )
    with pytest.raises(InputError) as caught:
        load_model(path, AcledVocabulary)
    assert f"{path} at 'types.Armed clash.category'" in str(caught.value)
    assert "did you mean 'armed_clash'" in str(caught.value)


def test_decision_tree_equals_every_class_tested_on_its_own() -> None:
    """first_index (unions of classes, rows grouped by what they allow, several batches, tree
    shape learned from a sample) = the first allowed class of the per-class matches."""
    import numpy as np

    rng = np.random.default_rng(11)
    words = [
        "122mm artillery", "Grad", "Shahed drones", "tanks", "mortars", "KAB glide bombs",
        "Iskander-M", "small arms", "a substation", "railway bridge", "OSCE monitors",
        "houses", "no casualties", "power line", "Lancet", "120mm", "rockets", "sniper",
    ]  # fmt: skip
    n = 300_000
    picks = rng.integers(0, len(words) + 3, size=(n, 3))
    texts = [
        " and ".join(words[k] for k in row if k < len(words)) or None if i % 97 else None
        for i, row in enumerate(picks)
    ]
    array = pa.chunked_array([pa.array(texts[: n // 3]), pa.array(texts[n // 3 :])])
    for classifier in (weapon_classifier(), target_classifier()):
        k = len(classifier.classes)
        allowed = rng.random((n, k)) < 0.7
        allowed[rng.random(n) < 0.3] = True
        hits = classifier.matches(array)
        expected = np.where((hits & allowed).any(axis=1), (hits & allowed).argmax(axis=1), -1)
        assert np.array_equal(classifier.first_index(array, allowed), expected)
        plain = np.where(hits.any(axis=1), hits.argmax(axis=1), -1)
        assert np.array_equal(classifier.first_index(array), plain)


def test_joint_search_equals_each_classifier_on_its_own() -> None:
    """first_indexes (one copy of each batch, searched by both classifiers) = first_index of
    each."""
    import numpy as np

    rng = np.random.default_rng(12)
    words = ["Grad", "Shahed drones", "a substation", "OSCE monitors", "tanks", "houses"]
    n = 150_000
    texts = [
        " and ".join(words[k] for k in row if k < len(words)) if i % 31 else None
        for i, row in enumerate(rng.integers(0, len(words) + 2, size=(n, 2)))
    ]
    array = pa.chunked_array([pa.array(texts[:1000]), pa.array(texts[1000:])])
    weapons, targets = weapon_classifier(), target_classifier()
    allowed = rng.random((n, len(weapons.classes))) < 0.6
    weapon, target = first_indexes(array, [(weapons, allowed), (targets, None)])
    assert np.array_equal(weapon, weapons.first_index(array, allowed))
    assert np.array_equal(target, targets.first_index(array))
