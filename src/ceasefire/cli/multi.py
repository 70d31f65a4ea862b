"""Options that take several values after one flag: `--events a.csv b.csv`."""

from __future__ import annotations

from typing import Any, ClassVar

from typer.core import TyperCommand


def expand_multi(args: list[str], options: set[str]) -> list[str]:
    """`--events a b --out d` -> `--events a --events b --out d`."""
    result: list[str] = []
    current: str | None = None
    for arg in args:
        if arg.startswith("-"):
            current = arg if arg in options else None
            result.append(arg)
        elif current is not None and result and result[-1] != current:
            result.extend([current, arg])
        else:
            result.append(arg)
    return result


class MultiValueCommand(TyperCommand):
    """A command whose MULTI_OPTIONS accept several values after one flag."""

    MULTI_OPTIONS: ClassVar[set[str]] = {"--events", "--control"}

    def parse_args(self, ctx: Any, args: list[str]) -> Any:
        return super().parse_args(ctx, expand_multi(args, self.MULTI_OPTIONS))
