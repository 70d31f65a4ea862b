"""Adjudication: check events against an agreement's rules in space and time, with reasons."""

from ceasefire.adjudicate.engine import VIOLATION_COLUMNS, Adjudication, adjudicate
from ceasefire.adjudicate.prepared import PreparedAgreement

__all__ = ["VIOLATION_COLUMNS", "Adjudication", "PreparedAgreement", "adjudicate"]
