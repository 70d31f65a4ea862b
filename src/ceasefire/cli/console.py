"""Console output shared by the commands: errors, progress bars, JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ceasefire.errors import CeasefireError

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_BAD_INPUT = 1


def fail(exc: CeasefireError) -> typer.Exit:
    """Print a user error (no traceback) and return the exit to raise."""
    err.print(f"[bold red]error:[/] {exc}", markup=True)
    return typer.Exit(EXIT_BAD_INPUT)


def print_json(data: Any) -> None:
    """JSON for scripts, on stdout."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


@contextmanager
def progress_bar(quiet: bool) -> Iterator[Any]:
    """A callback(stage, done, total) drawing rich progress bars on stderr, or nothing."""
    if quiet:
        yield lambda stage, done, total: None
        return
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    tasks: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=max(total, 1))
        progress.update(tasks[stage], completed=done, total=max(total, 1))

    with progress:
        yield update
