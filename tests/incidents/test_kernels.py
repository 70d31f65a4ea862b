"""The compiled word overlap and the per-feature weights equal their plain forms."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ceasefire.incidents import IncidentsConfig
from ceasefire.incidents.kernels import row_dots
from ceasefire.incidents.reports import Reports
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
