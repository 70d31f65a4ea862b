"""Agreements as code: the YAML format, its validation, and the bundled agreements."""

from ceasefire.agreement.bundled import bundled_names, resolve_agreement_path
from ceasefire.agreement.loader import load_agreement
from ceasefire.agreement.model import Agreement

__all__ = ["Agreement", "bundled_names", "load_agreement", "resolve_agreement_path"]
