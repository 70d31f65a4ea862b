"""Grading: the Admiralty code (source reliability A-F, information credibility 1-6)."""
