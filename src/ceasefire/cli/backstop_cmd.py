"""`ceasefire backstop AGREEMENT ...` (replay), `--what-if DRAFT`, `backstop deliver` and
`backstop outbox`: guarantors' commitments on a history, and their webhook alerts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from typer.core import TyperGroup

from ceasefire.agreement import Agreement, load_agreement
from ceasefire.backstop import BackstopResult, replay
from ceasefire.backstop.history import History, from_events, from_violations_file
from ceasefire.backstop.outbox import Outbox
from ceasefire.backstop.webhook import (
    Deliverer,
    DeliveryStats,
    WebhookConfig,
    enqueue_triggers,
    load_webhook_config,
)
from ceasefire.backstop.whatif import what_if
from ceasefire.cli.console import fail, out, print_json
from ceasefire.cli.multi import MultiValueCommand
from ceasefire.errors import CeasefireError


class _ReplayByDefault(TyperGroup):
    """`ceasefire backstop AGREEMENT ...` means `ceasefire backstop replay AGREEMENT ...`."""

    def parse_args(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["replay", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_ReplayByDefault,
    no_args_is_help=True,
    help="Guarantors' commitments: replay their triggers and escalation ladders on a history "
    "(`ceasefire backstop AGREEMENT --events ...`), what-if for a draft, webhook alerts.",
)

AsJson = Annotated[bool, typer.Option("--json", help="JSON for scripts.")]
Webhooks = Annotated[
    Path | None,
    typer.Option(
        "--webhooks", help="Webhooks YAML: endpoints, secret_env, outbox.", dir_okay=False
    ),
]
OutboxPath = Annotated[
    Path | None, typer.Option("--outbox", help="Outbox file (default: 'outbox' in --webhooks).")
]


def _history(
    agreement: Agreement,
    events: list[Path] | None,
    violations: Path | None,
    store: Path | None,
    source: str | None,
) -> History:
    if violations is not None:
        if events:
            raise CeasefireError("give --violations or --events, not both")
        return from_violations_file(violations, store)
    if not events and store is None:
        raise CeasefireError("no history: give --events FILES, --store PATH or --violations FILE")
    if store is not None and not events and not store.is_file():
        raise CeasefireError(f"{store}: no such store")
    return from_events(agreement, events or [], store, source)


def _outbox_path(config: WebhookConfig, outbox: Path | None) -> Path:
    path = outbox or config.outbox
    if path is None:
        raise CeasefireError("no outbox: give --outbox FILE or 'outbox:' in the webhooks file")
    return path


def _alert(
    agreement: Agreement, result: BackstopResult, webhooks: Path, outbox: Path | None, wait: float
) -> dict[str, Any]:
    config = load_webhook_config(webhooks)
    with Outbox(_outbox_path(config, outbox)) as box:
        queued = enqueue_triggers(box, config, agreement, result.triggers)
        stats = Deliverer(box, config).flush(max_seconds=wait) if wait >= 0 else DeliveryStats()
        counts = box.counts()
    return {"queued": queued, "delivered": stats.delivered, "outbox": counts}


def _level(level: int, top: int) -> str:
    return f"{level}/{top}"


def _show(agreement: Agreement, result: BackstopResult, info: dict[str, Any]) -> None:
    span = info["history"]
    out.print(
        f"[bold]{agreement.id}[/]: history {span['from'] or '-'} to {span['to'] or '-'}, "
        f"{info['violations']} violations; ladders as of {result.as_of or '-'}"
    )
    triggers = Table("date", "guarantor", "commitment", "trigger", "level", "action", "respond by",
                     "violations", title=f"Triggers ({len(result.triggers)})")  # fmt: skip
    for t in result.triggers[:200]:
        mark = " (illustrative)" if t.illustrative else ""
        triggers.add_row(t.date, t.guarantor, t.commitment + mark, t.trigger,
                         f"{t.level_before} -> {t.level}", t.action, t.respond_by or "",
                         str(len(t.violation_ids)))  # fmt: skip
    out.print(triggers)
    if len(result.triggers) > 200:
        out.print(f"... the first 200 of {len(result.triggers)}; all with --json")
    ladders = Table("guarantor", "commitment", "status", "level", "response in force", "since",
                    "valid until", title="Escalation ladders")  # fmt: skip
    for s in result.ladders:
        mark = " (illustrative)" if s.illustrative else ""
        ladders.add_row(s.guarantor, s.commitment + mark, s.status, _level(s.level, s.top),
                        s.action, s.since or "", s.valid_until or "open")  # fmt: skip
    out.print(ladders)
    if "what_if" in info:
        table = Table("commitment", "trigger", "firings", "first", "last", title="What if")
        for c in info["what_if"]["commitments"]:
            for t in c["by_trigger"]:
                table.add_row(c["commitment"], t["trigger"], str(t["firings"]), t["first"] or "",
                              t["last"] or "")  # fmt: skip
            levels = ", ".join(f"level {k}: {v} d" for k, v in c["days_at_level"].items())
            table.add_row(c["commitment"], "[italic]all[/]", str(c["firings"]),
                          c["first"] or "", c["last"] or "", end_section=True)  # fmt: skip
            if levels:
                out.print(f"{c['guarantor']}/{c['commitment']}: {levels}; by year {c['by_year']}")
        out.print(table)
    if "alerts" in info:
        a = info["alerts"]
        out.print(f"alerts: {a['queued']} queued, {a['delivered']} delivered; outbox {a['outbox']}")


@app.command("replay", cls=MultiValueCommand)
def replay_command(
    agreement: Annotated[
        str | None, typer.Argument(help="Bundled agreement name or YAML path.", show_default=False)
    ] = None,
    events: Annotated[
        list[Path] | None, typer.Option("--events", help="Event files (several after one flag).")
    ] = None,
    violations: Annotated[
        Path | None, typer.Option("--violations", help="A violations.csv (e.g. of ceasefire run).")
    ] = None,
    store: Annotated[Path | None, typer.Option("--store", help="The event store.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Source of --events.")] = None,
    start: Annotated[
        datetime | None, typer.Option("--from", formats=["%Y-%m-%d"], help="First day.")
    ] = None,
    end: Annotated[
        datetime | None,
        typer.Option("--to", formats=["%Y-%m-%d"], help="Last day; ladders as of this day."),
    ] = None,
    draft: Annotated[
        Path | None,
        typer.Option("--what-if", help="A draft agreement: how often would it have fired?"),
    ] = None,
    webhooks: Webhooks = None,
    outbox: OutboxPath = None,
    wait: Annotated[
        float, typer.Option("--wait", help="Seconds to keep retrying alerts (-1: only queue).")
    ] = 30.0,
    as_json: AsJson = False,
) -> None:
    """Replay the commitments of AGREEMENT (or of a --what-if draft) on a history.

    Prints each trigger with its evidence and each guarantor's escalation ladder.
    """
    if (agreement is None) == (draft is None):
        raise fail(CeasefireError("give an AGREEMENT or --what-if DRAFT (one of them)"))
    try:
        loaded = load_agreement(draft if draft is not None else str(agreement))
        history = _history(loaded, events, violations, store, source)
        first, last = history.span(loaded)
        result = replay(
            loaded, history.violations, history.events,
            start=start.date() if start else None, end=end.date() if end else None,
            as_of=(end.date() if end else last),
        )  # fmt: skip
        shown_from = start.date() if start else first
        info: dict[str, Any] = {
            "history": {"from": shown_from.isoformat() if shown_from else None,
                        "to": result.as_of},
            "violations": len(history.violations),
        }  # fmt: skip
        if draft is not None:
            info["what_if"] = what_if(loaded, result, info["history"]["from"])
        if webhooks is not None:
            info["alerts"] = _alert(loaded, result, webhooks, outbox, wait)
    except CeasefireError as exc:
        raise fail(exc) from None
    if as_json:
        print_json({**result.as_dict(), **info})
    else:
        _show(loaded, result, info)


@app.command("deliver")
def deliver_command(
    webhooks: Annotated[
        Path, typer.Option("--webhooks", help="Webhooks YAML: endpoints, secret_env, outbox.")
    ],
    outbox: OutboxPath = None,
    wait: Annotated[float, typer.Option("--wait", help="Seconds to keep retrying.")] = 30.0,
    as_json: AsJson = False,
) -> None:
    """Send the alerts waiting in the outbox (retrying with backoff for up to --wait s)."""
    try:
        config = load_webhook_config(webhooks)
        with Outbox(_outbox_path(config, outbox)) as box:
            stats = Deliverer(box, config).flush(max_seconds=wait)
            counts = box.counts()
    except CeasefireError as exc:
        raise fail(exc) from None
    result = {"delivered": stats.delivered, "failed_attempts": stats.failed_attempts,
              "gave_up": stats.gave_up, "outbox": counts}  # fmt: skip
    if as_json:
        print_json(result)
    else:
        out.print(f"{stats.delivered} delivered, {stats.failed_attempts} failed attempts, "
                  f"{stats.gave_up} given up; outbox {counts}")  # fmt: skip


@app.command("outbox")
def outbox_command(
    webhooks: Annotated[Path, typer.Option("--webhooks", help="Webhooks YAML.")],
    outbox: OutboxPath = None,
    retry_failed: Annotated[
        bool,
        typer.Option("--retry-failed", help="Queue again the alerts that ran out of attempts."),
    ] = False,
    as_json: AsJson = False,
) -> None:
    """The alerts in the outbox: status, attempts and last error of each."""
    try:
        config = load_webhook_config(webhooks)
        with Outbox(_outbox_path(config, outbox)) as box:
            requeued = box.retry_failed() if retry_failed else 0
            rows = box.rows()
    except CeasefireError as exc:
        raise fail(exc) from None
    if as_json:
        print_json({"requeued": requeued, "alerts": rows})
        return
    table = Table("endpoint", "key", "status", "attempts", "last error", title="Outbox")
    for row in rows:
        table.add_row(row["endpoint"], row["key"], row["status"], str(row["attempts"]),
                      row["last_error"] or "")  # fmt: skip
    out.print(table)
    if retry_failed:
        out.print(f"{requeued} alerts queued again")
