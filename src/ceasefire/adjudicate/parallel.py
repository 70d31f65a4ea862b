"""Adjudicate a stream of batches on a few threads, in order, with bounded memory.

NumPy, Arrow, Shapely and PROJ release the GIL for the work on whole columns, so threads
overlap well; at most `workers + 1` batches are in flight, so memory stays flat whatever the
input size. The objects alive when the stream starts (the prepared agreement's geometries and
tables, which are many) are moved out of the garbage collector's sight (`gc.freeze`): they
live as long as the run, and full collections would otherwise walk them again and again.
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeAlias

import pandas as pd
import pyarrow as pa

from ceasefire.adjudicate.engine import Adjudication, adjudicate
from ceasefire.adjudicate.prepared import PreparedAgreement

Batch: TypeAlias = pd.DataFrame | pa.RecordBatch | pa.Table


def _run(prep: PreparedAgreement, batch: Batch) -> Adjudication:
    frame = batch if isinstance(batch, pd.DataFrame) else batch.to_pandas()
    return adjudicate(prep, frame)


def adjudicate_batches(
    prep: PreparedAgreement, batches: Iterable[Batch], workers: int = 2
) -> Iterator[Adjudication]:
    """The adjudication of each batch, in input order (Arrow batches become pandas inside
    the worker)."""
    gc.freeze()
    if workers <= 1:
        for batch in batches:
            yield _run(prep, batch)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[Adjudication]] = deque()
        for batch in batches:
            pending.append(pool.submit(_run, prep, batch))
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
