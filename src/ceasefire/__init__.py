"""ceasefire: plan, monitor and enforce a ceasefire with agreements written as data."""

from ceasefire.runtime import configure_allocator

configure_allocator()

__version__ = "0.1.0"
