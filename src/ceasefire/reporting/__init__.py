"""Reports people read: the compliance report of a period (HTML and PDF, with a map and
charts) and exports for GIS and spreadsheet users, from the store or a run's outputs."""

from ceasefire.reporting.build import REPORT_FILES, Written, write_report
from ceasefire.reporting.data import ReportData, from_run, from_store
from ceasefire.reporting.period import PERIOD_HELP, Period, PeriodError, parse_period

__all__ = [
    "PERIOD_HELP",
    "REPORT_FILES",
    "Period",
    "PeriodError",
    "ReportData",
    "Written",
    "from_run",
    "from_store",
    "parse_period",
    "write_report",
]
