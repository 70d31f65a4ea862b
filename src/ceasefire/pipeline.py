"""`ceasefire run`: agreement + event files -> store -> adjudication -> outputs."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ceasefire.adjudicate import VIOLATION_COLUMNS, PreparedAgreement
from ceasefire.adjudicate.parallel import adjudicate_batches
from ceasefire.agreement import Agreement, load_agreement
from ceasefire.attribution import PartyResolver
from ceasefire.backstop.step import backstop_stage
from ceasefire.incidents.run_step import IncidentsRun
from ceasefire.incidents.run_step import start as start_incidents
from ceasefire.outputs.atomic import write_text, write_with
from ceasefire.outputs.report import write_run_report
from ceasefire.outputs.summary import build_summary, summary_json
from ceasefire.sources import IngestReport, read_events
from ceasefire.sources.actors import unknown_actors_in
from ceasefire.store import EventStore
from ceasefire.territory.judge import TerritoryResult, judge_maps, read_for_agreement
from ceasefire.territory.outputs import territory_summary, write_territory_outputs

STORE_NAME = "store.duckdb"
OUTPUT_FILES = (
    "events.parquet", "violations.csv", "summary.json", "report.html", "issues.json",
    "triggers.csv",
)  # fmt: skip
TERRITORY_FILES = ("territory.csv", "territory_changes.geojson")  # with control maps
Progress = Callable[[str, int, int], None]


@dataclass
class RunResult:
    """What a run produced."""

    agreement: Agreement
    out_dir: Path
    reports: list[IngestReport]
    summary: dict[str, Any]
    violations: pd.DataFrame = field(repr=False)
    territory: TerritoryResult | None = field(default=None, repr=False)


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def _per_batch(progress: Progress, stage: str, total: int) -> Callable[[int], None]:
    """A store callback (rows done) that reports one stage's progress."""
    return lambda done: progress(stage, done, total)


def ingest(
    store: EventStore,
    files: Sequence[Path],
    source: str | None,
    progress: Progress,
    agreement: Agreement | None = None,
) -> list[IngestReport]:
    """Read and store each file; one transaction per file. With an agreement, the actors its
    aliases do not name are reported per file."""
    reports = []
    resolver = PartyResolver(agreement) if agreement is not None else None
    for path in files:
        result = read_events(Path(path), source)
        report = result.report
        if resolver is not None:
            report.unknown_actors = unknown_actors_in(result.table, resolver)
        stage, rows = f"storing {Path(path).name}", result.table.num_rows
        progress(stage, 0, rows)
        loaded = store.load(
            result.table,
            file=str(path),
            sha256=report.sha256,
            source=report.source,
            rows_read=report.rows_read,
            rows_skipped=len(report.skipped),
            after_batch=_per_batch(progress, stage, rows),
        )
        report.rows_new, report.rows_already_stored = loaded.new, loaded.already_stored
        reports.append(report)
    return reports


def check_store(
    prep: PreparedAgreement, store: EventStore, events_path: Path, progress: Progress,
    incidents: IncidentsRun | None = None,
) -> tuple[pd.DataFrame, int]:
    """Adjudicate every stored event in batches; write events.parquet; return violations.
    With incidents, each event carries its incident's grading (and columns in the output)."""
    total = store.count()
    found: list[pd.DataFrame] = []
    checked = 0

    def write(path: Path) -> None:
        nonlocal checked
        writer: pq.ParquetWriter | None = None
        try:
            batches = store.iter_events()
            stream = incidents.batches(batches) if incidents is not None else batches
            for result in adjudicate_batches(prep, stream, workers=2):
                events = incidents.finish_events(result.events) if incidents else result.events
                table = pa.Table.from_pandas(events, preserve_index=False)
                # no pandas metadata: its ArrowDtype names do not read back in every pandas
                table = table.replace_schema_metadata(None)
                if writer is None:
                    writer = pq.ParquetWriter(path, table.schema)
                writer.write_table(table.cast(writer.schema))
                found.append(result.violations)
                checked += len(result.events)
                progress("checking events", checked, total)
            if writer is None:  # empty store: still a valid, empty file
                pq.write_table(pa.Table.from_pylist([]), path)
        finally:
            if writer is not None:
                writer.close()

    write_with(events_path, write)
    nonempty = [v for v in found if len(v)]
    if not nonempty:
        return pd.DataFrame(columns=VIOLATION_COLUMNS), checked
    violations = pd.concat(nonempty, ignore_index=True)
    violations = violations.sort_values(["date", "event_id", "rule_id"], kind="stable")
    return violations.reset_index(drop=True), checked


def run(
    agreement_ref: str | Path,
    event_files: Sequence[Path],
    out_dir: Path,
    *,
    store_path: Path | None = None,
    source: str | None = None,
    progress: Progress = _no_progress,
    control_files: Sequence[Path] = (),
) -> RunResult:
    """The whole job: load, read and store, check, write the outputs. With control maps, also
    the territory stage (territory.csv, territory_changes.geojson, territorial violations)."""
    agreement = load_agreement(agreement_ref)
    maps, map_inputs = read_for_agreement(agreement, control_files) if control_files else ([], [])
    out_dir.mkdir(parents=True, exist_ok=True)
    prep = PreparedAgreement(agreement)
    store_file = store_path or out_dir / STORE_NAME
    with EventStore(store_file) as store:
        reports = ingest(store, event_files, source, progress, agreement)
        progress("grouping reports into incidents", 0, 1)
        incidents = start_incidents(store, store_file, prep, reports)
        events_path = out_dir / "events.parquet"
        violations, checked = check_store(prep, store, events_path, progress, incidents)
        total = store.count()
    territory = None
    if maps:
        territory = judge_maps(agreement, maps, inputs=map_inputs, prep=prep, progress=progress)
        write_territory_outputs(out_dir, territory)
        if len(territory.violations):
            found = [v for v in (violations, territory.violations) if len(v)]
            violations = pd.concat(found, ignore_index=True)[VIOLATION_COLUMNS]
            violations = violations.sort_values(["date", "event_id", "rule_id"], kind="stable")
            violations = violations.reset_index(drop=True)
    violations = incidents.count(violations)  # adds incident, status, grading, evidence columns
    write_with(
        out_dir / "violations.csv",
        lambda p: violations.to_csv(p, index=False, float_format="%.6g"),
    )
    summary = build_summary(
        agreement, reports, total, violations, checked,
        territory=territory_summary(territory) if territory else None,
    )  # fmt: skip
    # the guarantors' commitments: triggers.csv (read by the report) and a summary section
    _, summary["backstop"] = backstop_stage(agreement, violations, out_dir, store_file)
    summary.update(incidents.summary())
    write_text(out_dir / "summary.json", summary_json(summary))
    issues = [r.to_dict() for r in reports]
    write_text(out_dir / "issues.json", json.dumps(issues, indent=2, ensure_ascii=False) + "\n")
    # last: the report (report.html, report.pdf, GeoJSON/GeoParquet) reads the outputs above
    write_run_report(out_dir, agreement, summary, violations, issues)
    incidents.record(out_dir, agreement, {"events": total, "violations": len(violations)})
    return RunResult(agreement, out_dir, reports, summary, violations, territory)
