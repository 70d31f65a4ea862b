"""The result every reader returns, and the registry of readers by source name."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from ceasefire.sources.report import IngestReport


@dataclass
class ReadResult:
    """Normalized events of one file and its ingest report."""

    table: pa.Table
    report: IngestReport
