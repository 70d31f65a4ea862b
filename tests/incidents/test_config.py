"""The deduplication configuration: packaged YAML, overrides, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.errors import CeasefireError
from ceasefire.incidents import FEATURES, load_incidents_config


def test_every_feature_is_configured_with_known_params() -> None:
    config = load_incidents_config()
    assert set(config.features) == set(FEATURES)
    for name, feature in config.features.items():
        assert set(feature.params) <= set(FEATURES[name].defaults)


def test_an_override_changes_only_what_it_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    override = tmp_path / "incidents.yaml"
    override.write_text("threshold: 0.9\nfeatures:\n  text:\n    weight: 0.5\n")
    monkeypatch.setenv("CEASEFIRE_INCIDENTS_CONFIG", str(override))
    config = load_incidents_config()
    assert config.threshold == 0.9 and config.weight("text") == 0.5
    assert config.weight("time") == load_incidents_config({}).weight("time")
    assert config.source == str(override)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"treshold": 0.5}, r"unknown key 'treshold'; did you mean 'threshold'\?"),
        ({"features": {"txet": {"weight": 1}}}, r"'features\.txet'; did you mean 'text'\?"),
        ({"features": {"time": {"params": {"tolerance": 3}}}}, r"did you mean 'tolerance_h'\?"),
        ({"candidates": {"max_distance_km": -1}}, r"candidates\.max_distance_km"),
    ],
)
def test_bad_overrides_are_clear_errors(override: dict[str, object], message: str) -> None:
    with pytest.raises(CeasefireError, match=message):
        load_incidents_config(override)
