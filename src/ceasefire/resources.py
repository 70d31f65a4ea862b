"""Paths to the data shipped inside the package."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def data_path(*parts: str) -> Path:
    """Path of a file or folder under ceasefire/data."""
    return Path(str(files("ceasefire").joinpath("data", *parts)))
