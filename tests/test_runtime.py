"""The allocator settings ceasefire applies before Arrow loads."""

from __future__ import annotations

import os
import subprocess
import sys

from ceasefire.runtime import ALLOCATOR_ENV, allocator_env


def _without_allocator_settings() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ALLOCATOR_ENV}


def _child(code: str, env: dict[str, str]) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return out.stdout.strip()


def test_importing_ceasefire_first_sets_the_allocator_options() -> None:
    code = (
        "import os, ceasefire, sys; "
        "print(os.environ.get('MIMALLOC_PURGE_DELAY'), 'pyarrow.lib' in sys.modules)"
    )
    assert _child(code, _without_allocator_settings()) == "-1 False"


def test_a_setting_of_the_user_is_kept() -> None:
    env = {**os.environ, "MIMALLOC_PURGE_DELAY": "250"}
    assert _child("import os, ceasefire; print(os.environ['MIMALLOC_PURGE_DELAY'])", env) == "250"
    assert allocator_env()["MIMALLOC_PURGE_DELAY"] == os.environ.get("MIMALLOC_PURGE_DELAY", "-1")


def test_arrow_loaded_first_is_reported() -> None:
    code = (
        "import pyarrow; from ceasefire.runtime import configure_allocator; "
        "print(configure_allocator())"
    )
    assert _child(code, _without_allocator_settings()) == "False"
