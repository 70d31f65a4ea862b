"""Process settings that ceasefire needs for speed, applied before Arrow loads.

Arrow's default allocator (mimalloc) hands freed memory back to the operating system after
10 ms. A batch pipeline frees and reallocates the same few hundred megabytes for every
batch, so each batch faults fresh pages in again: on a virtual machine that costs more than
the work itself (measured: 1,000,000 events adjudicated in 10 s with the default, 4 s
without purging; `python benchmarks/bench_adjudicate.py`). mimalloc reads its options once,
when Arrow loads, from the environment: `configure_allocator` sets them there, unless the
user already did or Arrow is already loaded (then it changes nothing and says so).
"""

from __future__ import annotations

import os
import sys

# Keep freed pages for reuse instead of returning them to the system (peak memory is
# unchanged: the pages kept are ones the process already had at its peak).
ALLOCATOR_ENV = {"MIMALLOC_PURGE_DELAY": "-1"}


def configure_allocator() -> bool:
    """Set the allocator options in the environment (also inherited by child processes);
    False when Arrow was loaded before this ran, so they cannot apply to this process."""
    for key, value in ALLOCATOR_ENV.items():
        os.environ.setdefault(key, value)
    return "pyarrow.lib" not in sys.modules


def allocator_env() -> dict[str, str]:
    """The current environment with the allocator options: for child processes."""
    return {**ALLOCATOR_ENV, **os.environ}
