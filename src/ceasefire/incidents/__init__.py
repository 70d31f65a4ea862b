"""Incidents: reports of one occurrence grouped together, with the reasons they were merged."""

from ceasefire.incidents.config import IncidentsConfig, load_incidents_config
from ceasefire.incidents.dedup import Dedup, Judgement, deduplicate, latest_judgements
from ceasefire.incidents.features import FEATURES, Feature, Pairs
from ceasefire.incidents.reports import Reports
from ceasefire.incidents.scoring import Links

__all__ = [
    "FEATURES", "Dedup", "Feature", "IncidentsConfig", "Judgement", "Links", "Pairs", "Reports",
    "deduplicate", "latest_judgements", "load_incidents_config",
]  # fmt: skip
