"""The `ceasefire` command: exit codes 0 ok, 1 bad input, 2 usage."""

from __future__ import annotations

import typer

from ceasefire import __version__
from ceasefire.cli import agreement_cmd, backstop_cmd, evidence_cmd, incidents_cmd, violations_cmd
from ceasefire.cli.geocode_cmd import geocode_command
from ceasefire.cli.multi import MultiValueCommand
from ceasefire.cli.report_cmd import report_command
from ceasefire.cli.run_cmd import demo_command, run_command
from ceasefire.cli.territory_cmd import territory_command

app = typer.Typer(
    name="ceasefire",
    help="Plan, monitor and enforce a ceasefire: agreements as code, events checked against them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(agreement_cmd.app, name="agreement")
app.add_typer(backstop_cmd.app, name="backstop")
app.add_typer(incidents_cmd.app, name="incidents")
app.add_typer(evidence_cmd.app, name="evidence")
app.add_typer(violations_cmd.app, name="violations")
app.command("run", cls=MultiValueCommand)(run_command)
app.command("demo")(demo_command)
app.command("geocode")(geocode_command)
app.command("territory")(territory_command)
app.command("report")(report_command)


def _version(value: bool) -> None:
    if value:
        print(f"ceasefire {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """ceasefire."""
