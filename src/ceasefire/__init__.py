"""ceasefire: plan, monitor and enforce a ceasefire with agreements written as data."""

__version__ = "0.1.0"
