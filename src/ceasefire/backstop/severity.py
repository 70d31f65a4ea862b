"""Each violation's severity from the agreement's scale: the highest level whose criterion
it matches (category, weapon class, target, rule, zone, fatalities), else the lowest."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ceasefire.agreement.conditions import SeverityCriterion
from ceasefire.agreement.model import Agreement


def _matches(criterion: SeverityCriterion, rows: pd.DataFrame) -> np.ndarray:
    mask = np.ones(len(rows), dtype=bool)
    for values, column in (
        ([c.value for c in criterion.categories], "category"),
        ([w.value for w in criterion.weapon_classes], "weapon_class"),
        ([t.value for t in criterion.targets], "target_category"),
        (criterion.rules, "rule_id"),
        (criterion.zones, "zone_id"),
    ):
        if values:
            mask &= rows[column].isin(values).to_numpy()
    if criterion.fatalities_at_least is not None:
        mask &= rows["fatalities"].to_numpy(dtype=float) >= criterion.fatalities_at_least
    return mask


def severity_ranks(agreement: Agreement, rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(rank, level name) per row; rank 0 and '' when the agreement has no severity scale."""
    scale = agreement.severity
    if scale is None:
        return np.zeros(len(rows), dtype=np.int64), np.full(len(rows), "", dtype=object)
    rank = np.zeros(len(rows), dtype=np.int64)
    for criterion in scale.criteria:
        level = scale.rank(criterion.level)
        rank = np.where(_matches(criterion, rows), np.maximum(rank, level), rank)
    names = (
        np.asarray(scale.levels, dtype=object)[rank] if len(rows) else np.array([], dtype=object)
    )
    return rank, names
