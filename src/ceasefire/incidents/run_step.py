"""The incidents, grading and evidence steps of `ceasefire run`, in the order the run calls
them: `start` (inputs received as evidence, incidents built and graded), `annotate`/`finish`
around adjudication, `count` (violations per incident, statuses), `record` (the run's
derivation in the custody log, with the hash of every output)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from ceasefire.adjudicate.prepared import PreparedAgreement
from ceasefire.agreement.model import Agreement
from ceasefire.evidence.runs import new_run_id, operator, record_derivation, register_inputs
from ceasefire.evidence.store import EvidenceStore
from ceasefire.incidents.ids import incident_id
from ceasefire.incidents.stage import IncidentStage, build_incidents
from ceasefire.incidents.violations import per_incident, summary_keys
from ceasefire.sources.report import IngestReport
from ceasefire.store import EventStore


@dataclass
class IncidentsRun:
    """State shared by the steps of one run."""

    stage: IncidentStage
    evidence: EvidenceStore
    store_file: Path
    input_hashes: list[str]
    by: str
    run_id: str = field(default_factory=new_run_id)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)

    def batches(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pd.DataFrame]:
        """Stored events with the grading factor adjudication reads (source_confidence)."""
        for batch in batches:
            yield self.stage.annotate(batch.to_pandas())

    def finish_events(self, events: pd.DataFrame) -> pd.DataFrame:
        """Enriched events with the incident columns at the end (events.parquet)."""
        return self.stage.finish_events(events)

    def count(self, violations: pd.DataFrame) -> pd.DataFrame:
        """violations.csv rows with the incident columns added at the end; violations not
        from a stored report (a territorial change) are their own incident."""
        stage = self.stage
        unknown = ~violations["event_id"].isin(stage.per_event.index)
        if unknown.any():
            extra = violations.loc[unknown, ["event_id"]].drop_duplicates()
            rows = pd.DataFrame(
                {"incident_id": [incident_id(e) for e in extra["event_id"]]},
                index=pd.Index(extra["event_id"], name="event_id"),
            )
            stage = IncidentStage(
                pd.concat([stage.per_event, rows]),
                pd.concat([stage.incidents, rows.reset_index(names="anchor_event_id")]),
                stage.dedup, stage.meta,
            )  # fmt: skip
        attached = self.evidence.attachments()
        with EventStore(self.store_file) as store:
            rows, self.table = per_incident(store, stage, violations, attached)
        return rows

    def summary(self) -> dict[str, Any]:
        """Keys added to summary.json."""
        return summary_keys(self.stage, self.table, self.input_hashes)

    def record(self, out_dir: Path, agreement: Agreement, counts: dict[str, int]) -> None:
        """Log the run's derivation: inputs, agreement, configuration, and each output's hash."""
        skip = {self.store_file.resolve(), self.evidence.folder.resolve()}
        outputs = {
            p.name: p for p in sorted(out_dir.iterdir())
            if p.is_file() and not p.name.startswith(".") and p.resolve() not in skip
            and not p.name.startswith(self.store_file.name)
        }  # fmt: skip
        meta = self.stage.meta
        record_derivation(
            self.evidence, run_id=self.run_id, by=self.by, inputs=self.input_hashes,
            outputs=outputs, counts=counts,
            agreement={
                "id": agreement.id, "version": agreement.version, "source": str(agreement.source),
            },
            configuration={
                "incidents_sha256": meta["incidents_config_sha256"],
                "grading_sha256": meta["grading_config_sha256"],
            },
        )  # fmt: skip


def start(
    store: EventStore, store_file: Path, prep: PreparedAgreement, reports: Sequence[IngestReport]
) -> IncidentsRun:
    """Inputs into the evidence store (receipt logged once per content), then every stored
    report into an incident, graded."""
    evidence = EvidenceStore.beside(store_file)
    by = operator()
    hashes = register_inputs(evidence, reports, by)
    return IncidentsRun(build_incidents(store, prep), evidence, store_file, hashes, by)
