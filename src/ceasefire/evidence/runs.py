"""How `ceasefire run` uses the evidence store: inputs received, and the run's derivation."""

from __future__ import annotations

import getpass
import hashlib
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ceasefire import __version__
from ceasefire.evidence.store import EvidenceStore
from ceasefire.sources.report import IngestReport

CHANNEL = "ceasefire run --events"


def operator() -> str:
    """Who runs this process (the custody log records it)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def new_run_id() -> str:
    """A unique id for a run: UTC time and random digits."""
    return "run-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def register_inputs(evidence: EvidenceStore, reports: Sequence[IngestReport], by: str) -> list[str]:
    """Store every input file by its hash; log its receipt the first time it is seen (from the
    source it was read as, by the run channel). Returns the hashes."""
    hashes = []
    for report in reports:
        item = evidence.receive(
            Path(report.file), sender=report.source, channel=CHANNEL, by=by, kind="data",
            expected_sha256=report.sha256, always_log=False,
        )  # fmt: skip
        hashes.append(item.sha256)
    return hashes


def file_sha256(path: Path) -> str:
    """SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def record_derivation(
    evidence: EvidenceStore,
    *,
    run_id: str,
    by: str,
    inputs: Sequence[str],
    outputs: dict[str, Path],
    agreement: dict[str, Any],
    configuration: dict[str, str],
    counts: dict[str, int],
) -> dict[str, Any]:
    """Log what a run used (input hashes, agreement, configuration) and what it produced
    (each output's hash)."""
    return evidence.log.append(
        "derived",
        run=run_id, by=by, software=f"ceasefire {__version__}", inputs=sorted(set(inputs)),
        agreement=agreement, configuration=configuration, counts=counts,
        outputs={name: file_sha256(path) for name, path in sorted(outputs.items())},
    )  # fmt: skip
