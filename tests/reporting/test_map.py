"""The static map: not blank, and the line of contact is drawn where it should be."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import shapely
from PIL import Image

from ceasefire.adjudicate import PreparedAgreement
from ceasefire.agreement import Agreement, load_agreement
from ceasefire.reporting.maps import MAP_BOX, render_map


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=np.int16)


def _line_is_drawn(agreement: Agreement, incidents: pd.DataFrame) -> None:
    prep = PreparedAgreement(agreement)
    image = render_map(prep, incidents, [*agreement.party_ids(), "unattributed"])
    grey = _pixels(image.png)
    assert grey.shape == (image.height, image.width)
    left, bottom, width, height = MAP_BOX
    inner = grey[
        int((1 - bottom - height) * image.height) + 5 : int((1 - bottom) * image.height) - 5,
        int(left * image.width) + 5 : int((left + width) * image.width) - 5,
    ]
    assert inner.std() > 10 and len(np.unique(inner)) > 20  # not blank
    background = int(np.median(inner))
    line = agreement.lines[0].geometry.shape
    points = shapely.line_interpolate_point(line, np.linspace(0.02, 0.98, 60), normalized=True)
    col, row = image.pixel(shapely.get_x(points), shapely.get_y(points))
    darkest = [
        grey[int(r) - 1 : int(r) + 2, int(c) - 1 : int(c) + 2].min()
        for c, r in zip(col, row, strict=True)
    ]
    assert np.mean(np.array(darkest) < 60) > 0.95, "the line is not drawn along its path"
    assert background > 200
    # beside the line, away from it by a tenth of the map, it is not all line-black
    far = grey[int(image.height * 0.1) : int(image.height * 0.2), int(image.width * 0.05)]
    assert (far > 60).any()


def test_the_demo_map_shows_the_line_and_the_incidents(paris: Agreement) -> None:
    incidents = pd.DataFrame(
        {
            "incident_id": ["a", "b", "c"],
            "lon": [37.6, 35.9, 38.1],
            "lat": [48.0, 47.4, 48.9],
            "party": ["RU", "UA", ""],
            "status": ["alleged", "verified", "disputed"],
        }
    )
    _line_is_drawn(paris, incidents)


def test_the_minsk_map_without_incidents_still_shows_its_line() -> None:
    _line_is_drawn(load_agreement("minsk-ii-2015"), pd.DataFrame())


def test_incidents_are_coloured_by_party(paris: Agreement) -> None:
    prep = PreparedAgreement(paris)
    incidents = pd.DataFrame(
        {
            "incident_id": ["a"],
            "lon": [36.5],
            "lat": [49.5],
            "party": ["UA"],
            "status": ["verified"],
        }
    )
    image = render_map(prep, incidents, ["UA", "RU", "unattributed"])
    rgb = np.asarray(Image.open(io.BytesIO(image.png)).convert("RGB"), dtype=np.int16)
    col, row = image.pixel(np.array([36.5]), np.array([49.5]))
    r, _g, b = rgb[int(row[0]), int(col[0])]
    assert b > r + 40, "UA's dark blue marker is not at its place"
