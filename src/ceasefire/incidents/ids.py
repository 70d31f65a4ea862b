"""Stable incident ids.

An incident is named after one of its reports, its anchor: `inc-` + the first 16 hex digits
of SHA-256 of the anchor's event_id. A new incident's anchor is its smallest event_id; an
incident that holds the anchor of an earlier run keeps that anchor (the smallest, if it holds
several: the others' incidents were merged into it). So ids survive re-runs and new reports,
and the same inputs give the same ids in any store.
"""

from __future__ import annotations

import hashlib

import numpy as np
from numpy.typing import NDArray

Index = NDArray[np.int64]
Objects = NDArray[np.object_]
PREFIX = "inc-"


def incident_id(anchor_event_id: str) -> str:
    """The id of the incident anchored on an event."""
    return PREFIX + hashlib.sha256(anchor_event_id.encode("utf-8")).hexdigest()[:16]


def _ranks(event_ids: Objects) -> Index:
    if len(event_ids) < 2 or bool(np.all(event_ids[1:] > event_ids[:-1])):
        return np.arange(len(event_ids), dtype=np.int64)
    _, inverse = np.unique(event_ids.astype(str), return_inverse=True)
    ranks: Index = inverse.astype(np.int64)
    return ranks


def assign_ids(
    event_ids: Objects, labels: Index, previous_anchors: NDArray[np.bool_]
) -> tuple[Objects, NDArray[np.bool_]]:
    """Incident id of every report, and which reports are anchors."""
    anchors = np.zeros(len(event_ids), dtype=bool)
    if len(event_ids) == 0:
        return np.zeros(0, dtype=object), anchors
    ranks = _ranks(event_ids)
    order = np.lexsort((ranks, ~previous_anchors, labels))
    first = np.ones(len(order), dtype=bool)
    first[1:] = labels[order][1:] != labels[order][:-1]
    heads = order[first]
    anchors[heads] = True
    names = np.empty(int(labels.max()) + 1, dtype=object)
    names[labels[heads]] = [incident_id(e) for e in event_ids[heads]]
    ids: Objects = names[labels]
    return ids, anchors
