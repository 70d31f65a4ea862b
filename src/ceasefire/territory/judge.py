"""Control maps judged against an agreement: parties resolved, the baseline at entry into
force, the series analysed and its gains checked against the no-offensive rule."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ceasefire.adjudicate import PreparedAgreement
from ceasefire.agreement.model import Agreement
from ceasefire.attribution import PartyResolver
from ceasefire.errors import CeasefireError, did_you_mean
from ceasefire.territory.maps import (
    ControlMap,
    agreement_maps,
    map_files,
    merge_maps,
    read_map_file,
)
from ceasefire.territory.series import Progress, Series, analyse, no_progress
from ceasefire.territory.violations import end_of_day, judge_changes


@dataclass
class TerritoryResult:
    """What the territory stage found for one agreement."""

    agreement: Agreement
    series: Series
    violations: pd.DataFrame
    part_ids: list[np.ndarray]
    inputs: list[dict[str, str]] = field(default_factory=list)
    baseline: str | None = None  # the agreement's own map, when it was the first map


def opponents(agreement: Agreement) -> dict[str, str]:
    """For each party, the party that holds the rest of the land: the other side of the first
    line that names its sides, else the other party of a two-party agreement."""
    for line in agreement.lines:
        if line.sides is not None:
            left, right = line.sides.left_parties, line.sides.right_parties
            return {p: right[0] for p in left} | {p: left[0] for p in right}
    ids = agreement.party_ids()
    return {ids[0]: ids[1], ids[1]: ids[0]} if len(ids) == 2 else {}


def default_party(agreement: Agreement) -> str | None:
    """Whose area a map shows when its features do not say: the party of the agreement's
    controlled area, else the first party on the left of its first line, else the party
    'RU' stands for (DeepStateMap maps the Russian-held area); None if there is none."""
    for line in agreement.lines:
        if line.controlled_area is not None:
            return line.controlled_area.party
    for line in agreement.lines:
        if line.sides is not None:
            return line.sides.left_parties[0]
    return PartyResolver(agreement).resolve("RU")


def resolve_parties(maps: Iterable[ControlMap], agreement: Agreement) -> list[ControlMap]:
    """Maps with their party names replaced by the agreement's party ids (id, name or alias)."""
    resolver = PartyResolver(agreement)
    result = []
    for m in maps:
        areas = {}
        for name, area in m.areas.items():
            party = resolver.resolve(name)
            if party is None:
                raise CeasefireError(
                    f"{m.source}: party '{name}' ({m.date}) is not a party of '{agreement.id}'; "
                    "expected a party id, name or alias" + did_you_mean(name, agreement.party_ids())
                )
            areas[party] = area
        result.append(ControlMap(m.date, m.source, areas, m.sha256, m.repairs, m.notes))
    return result


def read_for_agreement(
    agreement: Agreement, paths: Sequence[Path]
) -> tuple[list[ControlMap], list[dict[str, str]]]:
    """The maps in the given files and folders, with agreement party ids, and the inputs
    (file and SHA-256)."""
    party = default_party(agreement)
    maps, inputs = [], []
    for path in map_files(paths):
        found = read_map_file(path, party)
        inputs.append({"file": str(path), "sha256": found[0].sha256})
        maps.extend(found)
    return merge_maps(resolve_parties(maps, agreement)), inputs


def judge_maps(
    agreement: Agreement,
    maps: Sequence[ControlMap],
    *,
    inputs: list[dict[str, str]] | None = None,
    prep: PreparedAgreement | None = None,
    workers: int | None = None,
    progress: Progress = no_progress,
) -> TerritoryResult:
    """Analyse the maps and judge their changes. When no map shows the situation at entry into
    force, the agreement's own controlled area is the first map, and changes from it count
    only beyond the line's stated accuracy (if larger than tolerance_m)."""
    maps = list(maps)
    eif = agreement.entry_into_force
    approximate: dict[int, float] = {}
    baseline = None
    own = agreement_maps(agreement)
    has_start = any(end_of_day(m.date, agreement) <= eif for m in maps)
    dates = {m.date for m in maps}
    if maps and own and not has_start and own[-1].date not in dates:
        maps.insert(0, own[-1])
        baseline = own[-1].source
        accuracy = [ln.accuracy_km or 0.0 for ln in agreement.lines if ln.controlled_area]
        approximate[0] = 1000.0 * max(accuracy, default=0.0)
    series = analyse(maps, opponents(agreement), workers=workers, progress=progress)
    violations, part_ids = judge_changes(
        agreement, series.changes, approximate_m=approximate, prep=prep
    )
    return TerritoryResult(agreement, series, violations, part_ids, inputs or [], baseline)


def judge_files(
    agreement: Agreement,
    paths: Sequence[Path],
    *,
    prep: PreparedAgreement | None = None,
    workers: int | None = None,
    progress: Progress = no_progress,
) -> TerritoryResult:
    """Read the control maps and judge them against the agreement."""
    maps, inputs = read_for_agreement(agreement, paths)
    return judge_maps(agreement, maps, inputs=inputs, prep=prep, workers=workers, progress=progress)
