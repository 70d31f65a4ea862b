"""Normalized events: the one schema every source is read into."""

from ceasefire.events.schema import event_columns, event_fields, event_schema

__all__ = ["event_columns", "event_fields", "event_schema"]
