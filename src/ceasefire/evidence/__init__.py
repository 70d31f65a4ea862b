"""Evidence: items stored by SHA-256 and a hash-chained chain-of-custody log."""

from ceasefire.evidence.custody import BadEntry, CustodyLog, Verification
from ceasefire.evidence.store import EvidenceStore, Item, evidence_folder

__all__ = ["BadEntry", "CustodyLog", "EvidenceStore", "Item", "Verification", "evidence_folder"]
