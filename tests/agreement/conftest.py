"""A small valid agreement written to a temporary folder, to be broken by each test."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

BASE = """\
id: test-agreement
title: Test agreement
version: "1"
timezone: Europe/Kyiv
entry_into_force: 2026-02-01T00:00:00+02:00
parties:
  - id: UA
    name: Ukraine
    aliases: {ucdp: ["Government of Ukraine"]}
  - id: RU
    name: Russia
    aliases: {ucdp: ["Government of Russia (Soviet Union)"]}
phases:
  - id: withdrawal
    name: Withdrawal
    start: 2026-02-01T00:00:00+02:00
    end: 2026-03-01T00:00:00+02:00
lines:
  - id: loc
    name: Line of contact
    geometry: {path: line.geojson}
    sides: {left: RU, right: UA}
zones:
  - id: buffer_15km
    kind: buffer
    name: Buffer
    line: loc
    width_km: 15
  - id: area
    kind: disengagement_area
    name: Area
    geometry:
      type: Polygon
      coordinates: [[[37.0, 48.0], [37.1, 48.0], [37.1, 48.1], [37.0, 48.1], [37.0, 48.0]]]
rules:
  - id: ceasefire
    article: Art. 1
    title: Ceasefire
    categories: [armed_clash, shelling]
  - id: buffer-empty
    article: Art. 3
    title: Buffer empty
    categories: [weapons_deployment]
    parties: [RU]
    where: {zone: buffer_15km}
    when: {after: {phase: withdrawal, at: end}}
"""

LINE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {},
            "geometry": {
                "type": "LineString",
                "coordinates": [[37.0, 49.0], [37.5, 48.0], [37.0, 47.0]],
            },
        }
    ],
}

WriteAgreement = Callable[..., Path]


@pytest.fixture
def write_agreement(tmp_path: Path) -> WriteAgreement:
    """Write the base agreement with text replacements; return its path."""

    def write(*replacements: tuple[str, str], line: dict[str, object] | None = None) -> Path:
        text = BASE
        for old, new in replacements:
            assert old in text, f"test setup: {old!r} not in the base agreement"
            text = text.replace(old, new)
        (tmp_path / "line.geojson").write_text(json.dumps(line or LINE))
        path = tmp_path / "agreement.yaml"
        path.write_text(text)
        return path

    return write
