"""Documentation stays in step with the code."""

from __future__ import annotations

from pathlib import Path

import typer.main

from ceasefire.cli.main import app

ROOT = Path(__file__).resolve().parents[1]


def test_event_schema_doc_is_generated_from_the_schema() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("write_docs", ROOT / "scripts" / "write_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs" / "events.md").read_text() == module.events_doc(), (
        "run scripts/write_docs.py"
    )


def test_every_top_level_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    group = typer.main.get_group(app)
    for name in group.commands:
        assert f"ceasefire {name}" in readme, f"command '{name}' is not documented in README.md"
