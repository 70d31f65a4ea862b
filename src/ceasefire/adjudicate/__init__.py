"""Adjudication: check events against an agreement's rules in space and time, with reasons."""

from ceasefire.adjudicate.columns import DICTIONARY_COLUMNS, INPUT_COLUMNS
from ceasefire.adjudicate.engine import VIOLATION_COLUMNS, Adjudication, adjudicate
from ceasefire.adjudicate.prepared import PreparedAgreement

__all__ = [
    "DICTIONARY_COLUMNS",
    "INPUT_COLUMNS",
    "VIOLATION_COLUMNS",
    "Adjudication",
    "PreparedAgreement",
    "adjudicate",
]
