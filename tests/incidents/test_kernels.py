"""The compiled word overlap and candidate search, and the per-feature weights, equal their
plain forms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from ceasefire.incidents import IncidentsConfig
from ceasefire.incidents.candidates import candidate_pairs, exact_filter, mergeable
from ceasefire.incidents.kernels import row_dots
from ceasefire.incidents.reports import Reports, sphere_km
from ceasefire.incidents.scoring import pair_weights

from .conftest import frame, report


def test_row_dots_equal_scipy() -> None:
    rng = np.random.default_rng(3)
    matrix = sp.random(50, 30, density=0.2, format="csr", dtype=np.float32, random_state=4)
    matrix.sort_indices()
    ra, rb = rng.integers(0, 50, 400), rng.integers(0, 50, 400)
    expected = np.asarray(matrix[ra].multiply(matrix[rb]).sum(axis=1)).ravel()
    got = row_dots(
        matrix.indptr.astype(np.int64), matrix.indices, matrix.data, ra.astype(np.int64),
        rb.astype(np.int64),
    )  # fmt: skip
    assert np.allclose(got, expected, rtol=1e-6)
    empty = row_dots(matrix.indptr.astype(np.int64), matrix.indices, matrix.data,
                     np.zeros(0, np.int64), np.zeros(0, np.int64))  # fmt: skip
    assert len(empty) == 0


def test_pair_weights_by_kind_of_pair(config: IncidentsConfig) -> None:
    reports = Reports.from_frame(frame(report("gdelt:1"), report("gdelt:2"), report("acled:1")))
    a, b = np.array([0, 0], np.int64), np.array([1, 2], np.int64)
    weights = pair_weights(reports, a, b, config, ["words", "article"])
    words = weights.column("words")
    assert np.allclose(words, [
        config.pair_weights("gdelt", "gdelt")[1]["words"],
        config.pair_weights("gdelt", "acled")[1]["words"],
    ])  # fmt: skip
    offset = weights.column("offset")
    assert np.allclose(offset, [config.pair_weights("gdelt", "gdelt")[0],
                                config.pair_weights("acled", "gdelt")[0]])  # fmt: skip


@pytest.mark.parametrize("max_distance_km", [15.0, 0.001])
def test_candidates_equal_all_pairs_filtered_exactly(
    config: IncidentsConfig, max_distance_km: float
) -> None:
    """The grid sweep finds exactly the pairs that pass the exact limits among all pairs:
    mixed radii (0-50 km), instants, days and week-long intervals, a slab boundary, reports
    at one point; also with a tiny distance limit (cells wider than the box)."""
    rng = np.random.default_rng(5)
    n = 600
    start = pd.Timestamp("2026-03-01", tz="UTC") + pd.to_timedelta(
        rng.uniform(0, 45 * 24, n), unit="h"
    )
    width = rng.choice([0.0, 24.0, 72.0, 160.0], n)
    lon, lat = 37.5 + rng.uniform(-0.4, 0.4, n), 48.0 + rng.uniform(-0.3, 0.3, n)
    lon[::3], lat[::3] = 37.6, 48.1  # many at one point
    radius = rng.choice([0.0, 0.0, 3.0, 10.0, 25.0, 45.0], n)
    rows = [
        report(f"gdelt:{k}", time_start=start[k], time_end=start[k] + pd.Timedelta(hours=width[k]),
               lon=float(lon[k]), lat=float(lat[k]), location_radius_km=float(radius[k]))
        for k in range(n)
    ]  # fmt: skip
    reports = Reports.from_frame(frame(*rows))
    limits = config.candidates.model_copy(update={"max_distance_km": max_distance_km})
    found = np.concatenate([a * n + b for a, b in candidate_pairs(reports, limits)])
    a, b = np.triu_indices(n, k=1)
    xyz = sphere_km(reports.lon, reports.lat).T
    ok = mergeable(reports, limits).mask
    exact = ok[a] & ok[b] & exact_filter(reports, a, b, limits, xyz)
    assert len(found) == len(np.unique(found))
    assert np.array_equal(np.sort(found), np.sort(a[exact] * n + b[exact]))
    assert 0 < exact.sum() < len(a)


def test_text_facts_equal_one_function_per_text() -> None:
    from ceasefire.grading.origins import url_site
    from ceasefire.incidents.textual import deaths_in, normalized, text_facts

    values = pd.Series([
        "Shelling KILLS 3 in Kherson", None, "", "2 people dead", "see https://www.ukrinform.ua/x",
        "Shelling KILLS 3 in Kherson", "no casualties reported", "Shelling kills 3 in Kherson!",
    ])  # fmt: skip
    codes, texts, stated, sites = text_facts(values, url_site)
    given = values.fillna("").astype(str).tolist()
    assert [texts[c] for c in codes] == [normalized(v) for v in given]
    assert codes[0] == codes[5] == codes[7]  # one normalized form
    expected = np.array([deaths_in(v) for v in given])
    assert np.array_equal(stated, expected, equal_nan=True)
    assert stated[0] == 3 and stated[3] == 2 and np.isnan(stated[6])
    assert list(sites) == [url_site(v) for v in given]
    empty = text_facts(pd.Series([], dtype=object), url_site)
    assert all(len(part) == 0 for part in empty)
