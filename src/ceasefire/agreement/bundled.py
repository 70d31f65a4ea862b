"""Agreements shipped in the package, found by name."""

from __future__ import annotations

from pathlib import Path

from ceasefire.errors import CeasefireError, did_you_mean
from ceasefire.resources import data_path

AGREEMENT_FILE = "agreement.yaml"


def bundled_dir() -> Path:
    """The folder holding one sub-folder per bundled agreement."""
    return data_path("agreements")


def bundled_names() -> list[str]:
    """Names of the bundled agreements, sorted."""
    return sorted(p.parent.name for p in bundled_dir().glob(f"*/{AGREEMENT_FILE}"))


def resolve_agreement_path(name_or_path: str | Path) -> Path:
    """A bundled agreement name or a path to a YAML file -> the file to read."""
    candidate = Path(name_or_path)
    if candidate.is_file():
        return candidate
    if candidate.is_dir() and (candidate / AGREEMENT_FILE).is_file():
        return candidate / AGREEMENT_FILE
    names = bundled_names()
    if str(name_or_path) in names:
        return bundled_dir() / str(name_or_path) / AGREEMENT_FILE
    raise CeasefireError(
        f"agreement '{name_or_path}' is neither a file nor a bundled agreement"
        + did_you_mean(str(name_or_path), names)
    )
