"""Errors the user can fix, with the place they come from and a did-you-mean."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


class CeasefireError(Exception):
    """Bad input that the user can fix. The CLI prints the message and exits with code 1."""


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where it is, what is wrong, what was expected."""

    file: str
    key_path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        key = f" at '{self.key_path}'" if self.key_path else ""
        return f"{where}{key}: {self.message}"


class InputError(CeasefireError):
    """One or more problems found in an input file."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class AgreementError(InputError):
    """An agreement file that does not validate."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return "; did you mean 'x'?" for the closest choice, or an empty string."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    if options and len(options) <= 12:
        return "; expected one of: " + ", ".join(f"'{o}'" for o in options)
    return ""


def file_error(path: Path | str, message: str) -> CeasefireError:
    """A problem with a whole file (empty, truncated, wrong format)."""
    return CeasefireError(f"{path}: {message}")
