"""Readers: each source's files -> normalized events plus an ingest report."""

from ceasefire.sources.detect import read_events
from ceasefire.sources.reader import ReadResult
from ceasefire.sources.report import IngestReport, RowIssue

__all__ = ["IngestReport", "ReadResult", "RowIssue", "read_events"]
