"""A small agreement with one commitment, and violation rows built from short specs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from ceasefire.agreement import Agreement, load_agreement

BASE = """\
id: backstop-test
title: Backstop test agreement
version: "1"
timezone: Europe/Kyiv
entry_into_force: 2026-02-01T00:00:00+02:00
parties:
  - {id: UA, name: Ukraine}
  - {id: RU, name: Russia}
zones:
  - id: mlrs-zone
    kind: area
    name: MLRS zone
    weapon_classes: [mlrs]
    geometry:
      type: Polygon
      coordinates: [[[37.0, 48.0], [37.1, 48.0], [37.1, 48.1], [37.0, 48.1], [37.0, 48.0]]]
rules:
  - {id: ceasefire, article: Art. 1, title: Ceasefire, categories: [armed_clash, shelling]}
  - {id: no-energy-strikes, article: Art. 5, title: No energy strikes,
     categories: [shelling, drone_strike, missile_strike], targets: [energy_infrastructure]}
  - {id: no-offensive, article: Art. 2, title: No offensive, categories: [offensive_movement]}
  - {id: mlrs-out, article: Art. 4, title: MLRS out, categories: [shelling, weapons_deployment],
     weapon_classes: [mlrs], where: {zone: mlrs-zone}}
severity:
  levels: [minor, major, grave]
  criteria:
    - {level: major, weapon_classes: [artillery, mlrs, long_range]}
    - {level: major, fatalities_at_least: 1}
    - {level: grave, fatalities_at_least: 10}
    - {level: grave, targets: [energy_infrastructure]}
guarantors:
  - id: US
    name: United States
    commitments:
      - id: backstop
        title: Backstop
        toward: [UA]
        against: [RU]
        valid_from: entry_into_force
        valid_for_years: 15
__LADDER__
        responses:
          - {level: 1, action: Consultations, within_hours: 24}
          - {level: 2, action: Public attribution, within_hours: 72}
          - {level: 3, action: Sanctions}
          - {level: 4, action: Military support}
        triggers:
__TRIGGERS__
"""

DEFAULT_TRIGGER = """\
          - id: t
            description: test trigger
            condition: {count: {at_least: 3, within_days: 7}}
            level: 1
"""

WriteAgreement = Callable[..., Path]
LoadWith = Callable[..., Agreement]


@pytest.fixture
def write_agreement(tmp_path: Path) -> WriteAgreement:
    """Write the base agreement with these triggers (YAML at 10 spaces), ladder options and
    replacements; return its path."""

    def write(
        triggers: str = DEFAULT_TRIGGER, ladder: str = "", *replacements: tuple[str, str]
    ) -> Path:
        text = BASE.replace("__TRIGGERS__\n", triggers).replace("__LADDER__\n", ladder)
        for old, new in replacements:
            assert old in text, f"test setup: {old!r} not in the agreement"
            text = text.replace(old, new)
        path = tmp_path / "agreement.yaml"
        path.write_text(text)
        return path

    return write


@pytest.fixture
def agreement_with(write_agreement: WriteAgreement) -> LoadWith:
    """Load the base agreement with these triggers and ladder options."""

    def load(
        triggers: str = DEFAULT_TRIGGER, ladder: str = "", *replacements: tuple[str, str]
    ) -> Agreement:
        return load_agreement(write_agreement(triggers, ladder, *replacements))

    return load


def trigger(condition: str, level: int = 1, on_repeat: str = "hold", tid: str = "t") -> str:
    """One trigger as YAML under `triggers:`."""
    return (
        f"          - id: {tid}\n            description: test\n"
        f"            condition: {condition}\n            level: {level}\n"
        f"            on_repeat: {on_repeat}\n"
    )


_counter = iter(range(1, 10**9))


def v(day: str, **fields: Any) -> dict[str, Any]:
    """One violation row: RU, rule ceasefire, shelling, on `day`, with overrides."""
    number = next(_counter)
    row: dict[str, Any] = {
        "event_id": fields.pop("event_id", f"test:{number}"),
        "source": "test",
        "date": day,
        "party": "RU",
        "rule_id": "ceasefire",
        "zone_id": "",
        "confidence": 1.0,
        "category": "shelling",
        "weapon_class": "unknown",
        "target_category": "military",
        "fatalities_best": 0.0,
    }
    row["source_event_id"] = row["event_id"].split(":")[-1]
    row.update(fields)
    return row


def frame(*rows: dict[str, Any]) -> pd.DataFrame:
    """A violations table from rows."""
    return pd.DataFrame(list(rows))
