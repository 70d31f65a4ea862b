"""Check a batch of normalized events against an agreement: enrichment and violations.

`adjudicate(prepared, batch)` is a pure function of the agreement and the batch, so batches
can be processed in any order, in parallel, or partitioned on a distributed engine. Every
step works on whole columns (NumPy, Arrow, Shapely 2); no Python loop runs per event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from ceasefire.adjudicate.checks import CERTAIN, POSSIBLE, Status, time_window, zone_status
from ceasefire.adjudicate.columns import Columns, codes, extract
from ceasefire.adjudicate.measure import LineArea, measure_lines
from ceasefire.adjudicate.origin import origin_side
from ceasefire.adjudicate.prepared import PreparedAgreement
from ceasefire.adjudicate.rules import evaluate
from ceasefire.adjudicate.table import (
    VIOLATION_COLUMNS,
    BatchFacts,
    id_columns,
    violations_table,
)
from ceasefire.arrow_text import arrow_text
from ceasefire.attribution import party_codes

__all__ = ["VIOLATION_COLUMNS", "Adjudication", "adjudicate"]
BASIS_LABELS = ["actor", "origin side", "sides only", "unknown actor"]


@dataclass
class Adjudication:
    """Enriched events and the violations found in one batch."""

    events: pd.DataFrame
    violations: pd.DataFrame


@dataclass(frozen=True)
class Attribution:
    """Party codes of both actors and of the acting party, and the basis (codes into
    BASIS_LABELS) of the acting party."""

    actor1: NDArray[np.int16]
    actor2: NDArray[np.int16]
    acting: NDArray[np.int16]
    basis: NDArray[np.int8]


def _actor_party(prep: PreparedAgreement, batch: pd.DataFrame, n: int) -> NDArray[np.int16]:
    none = len(prep.parties)
    found = party_codes(prep.resolver, batch[f"actor{n}"], batch["source"], prep.parties)
    if f"actor{n}_party" not in batch:
        return found
    given = codes(batch[f"actor{n}_party"], prep.parties)  # a reader may know the party
    return np.where(found < none, found, given).astype(np.int16)


def _actors(prep: PreparedAgreement, batch: pd.DataFrame) -> Attribution:
    none = len(prep.parties)
    party1, party2 = _actor_party(prep, batch, 1), _actor_party(prep, batch, 2)
    initiator = batch["actor1_is_initiator"].fillna(False).to_numpy(dtype=bool)
    acting = np.where(initiator & (party1 < none), party1, none).astype(np.int16)
    named = (party1 < none) | (party2 < none)
    basis = np.where(acting < none, 0, np.where(named, 2, 3)).astype(np.int8)
    return Attribution(party1, party2, acting, basis)


def attribute(prep: PreparedAgreement, batch: pd.DataFrame) -> pd.DataFrame:
    """Parties of both actors and the acting party from the actor fields alone (columns
    actor1_party, actor2_party, party, party_basis); `adjudicate` adds origin sides."""
    who = _actors(prep, batch)
    parties = [*prep.parties, ""]
    frame = pd.DataFrame(
        {
            "actor1_party": _labels([*prep.parties, None], who.actor1).to_numpy(),
            "actor2_party": _labels([*prep.parties, None], who.actor2).to_numpy(),
            "party": _labels(parties, who.acting).to_numpy(),
            "party_basis": _labels(BASIS_LABELS, who.basis).to_numpy(),
        },
        index=batch.index,
    )
    return frame


def attribute_events(
    prep: PreparedAgreement, batch: pd.DataFrame, cols: Columns, areas: dict[str, LineArea]
) -> Attribution:
    """The acting party from the actor fields; when unknown, the side the fire came from if
    the event locates its origin and that area lies wholly on one side; else none."""
    none = len(prep.parties)
    actors = _actors(prep, batch)
    party1, party2, acting, basis = actors.actor1, actors.actor2, actors.acting, actors.basis
    if prep.main_line_id is not None and cols.origin.any():
        line = prep.lines[prep.main_line_id]
        side = origin_side(line, batch, cols, areas[prep.main_line_id], acting == none)
        lookup = {p: i for i, p in enumerate(prep.parties)}
        side_party = np.array([none] + [lookup.get(str(x), none) for x in line.labels[1:]])
        got = (side > 0) & (side_party[side] < none)
        acting = np.where(got, side_party[side], acting).astype(np.int16)
        basis = np.where(got, 1, basis).astype(np.int8)
    return Attribution(party1, party2, acting, basis)


def in_scope(prep: PreparedAgreement, cols: Columns) -> NDArray[np.bool_]:
    """Events in the agreement's area of application."""
    scope = prep.agreement.scope
    if not scope.admin1 and not scope.countries:
        return np.ones(cols.n, dtype=bool)
    inside = pc.is_in(cols.admin1, value_set=pa.array(scope.admin1, pa.string()))
    inside = pc.or_(
        inside, pc.is_in(cols.country, value_set=pa.array(scope.countries, pa.string()))
    )
    return np.asarray(inside.fill_null(False), dtype=bool)


def _zone_lists(prep: PreparedAgreement, statuses: Status, level: int, n: int) -> pd.Series:
    """The ids of the zones each event is in at least at this level, as a list column
    (`statuses`: zones x events)."""
    if len(statuses) == 0:
        return pd.Series(pd.arrays.ArrowExtensionArray(pa.array([[]] * n, pa.list_(pa.string()))))
    from ceasefire.adjudicate.zone_kernels import members  # Numba on first use

    offsets, col = members(statuses, level)
    ids = pa.array([z.id for z in prep.zones], pa.string())
    values = pa.DictionaryArray.from_arrays(pa.array(col), ids)
    lists = pa.ListArray.from_arrays(pa.array(offsets), values)
    return pd.Series(pd.arrays.ArrowExtensionArray(lists))


def _labels(table: Sequence[str | None], index: NDArray[np.integer]) -> pd.Series:
    array = pa.array(list(table), pa.string()).take(pa.array(np.asarray(index, dtype=np.int64)))
    series: pd.Series = array.to_pandas()
    return series


def adjudicate(prep: PreparedAgreement, batch: pd.DataFrame) -> Adjudication:
    """Enrich a batch of normalized events and list the rules each one breaks."""
    batch = batch.reset_index(drop=True)
    cols = extract(prep, batch)
    areas = measure_lines(prep, cols)
    who = attribute_events(prep, batch, cols, areas)
    scope = in_scope(prep, cols)
    zones = {z.id: zone_status(prep, z, areas, cols, who.acting) for z in prep.zones}
    found = evaluate(prep, cols, who.acting, areas, zones, scope)
    if prep.main_line_id is not None:
        main = areas[prep.main_line_id]
        main_labels = list(prep.lines[prep.main_line_id].labels)
    else:
        nan = np.full(cols.n, np.nan)
        main = LineArea(nan, np.zeros(cols.n, np.int8), nan, nan, np.full(cols.n, 3, np.int8))
        main_labels = ["", "", ""]
    main_side = pa.array(main_labels, pa.string()).take(pa.array(main.side.astype(np.int64)))
    facts = BatchFacts(
        id_columns(batch),
        arrow_text(batch["actor1"]),
        main.distance_km,
        main_side,
        main.side,
        (main_labels[1], main_labels[2]),
        who.acting,
        who.basis,
    )
    violations = violations_table(prep, batch, cols, facts, found)
    parties = [*prep.parties, ""]
    statuses = (  # zones x events, stacked once for both zone-list columns
        np.stack([status for status, _ in zones.values()]).astype(np.int8, copy=False)
        if zones
        else np.zeros((0, cols.n), dtype=np.int8)
    )
    events = batch.assign(
        admin1=cols.admin1.cast(pa.string()).to_pandas(),
        country=cols.country.cast(pa.string()).to_pandas(),
        actor1_party=_labels([*prep.parties, None], who.actor1),
        actor2_party=_labels([*prep.parties, None], who.actor2),
        party=_labels(parties, who.acting),
        party_basis=_labels(BASIS_LABELS, who.basis),
        side=main_side.to_pandas(),
        distance_km=main.distance_km,
        in_force=time_window(cols.start, cols.end, prep.eif_us, prep.ended_us) == CERTAIN,
        in_scope=scope,
        zones_inside=_zone_lists(prep, statuses, int(CERTAIN), cols.n),
        zones_possible=_zone_lists(prep, statuses, int(POSSIBLE), cols.n),
    )
    return Adjudication(events, violations)
