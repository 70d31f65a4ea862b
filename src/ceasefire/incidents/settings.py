"""Layered YAML configuration: the file in the package, with an override merged over it.

Shared by the incidents and grading configurations. Unknown keys in an override are errors
that name the file, the key path and the closest known key.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ceasefire.errors import CeasefireError, did_you_mean
from ceasefire.resources import data_path

Model = TypeVar("Model", bound=BaseModel)
Override = Path | str | Mapping[str, Any] | None


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CeasefireError(f"{path}: no such configuration file") from None
    except yaml.YAMLError as exc:
        raise CeasefireError(f"{path}: not valid YAML ({exc})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CeasefireError(f"{path}: expected a mapping of settings, got {type(data).__name__}")
    return data


def _merge(
    base: dict[str, Any], over: Mapping[str, Any], path: str, where: str, open_maps: set[str]
) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        key_path = f"{path}.{key}" if path else str(key)
        if path not in open_maps and key not in base:
            raise CeasefireError(
                f"{where}: unknown key '{key_path}'" + did_you_mean(str(key), map(str, base))
            )
        current = base.get(key)
        if isinstance(current, dict) and isinstance(value, Mapping):
            merged[key] = _merge(current, value, key_path, where, open_maps)
        else:
            merged[key] = value
    return merged


def load_layered(
    name: str, model: type[Model], override: Override, env_var: str, open_maps: set[str]
) -> tuple[Model, str]:
    """The packaged data/config/NAME.yaml with an override (a path, a mapping, or the file
    named by env_var) merged over it, validated into model; also returns the source text."""
    base = _read_yaml(data_path("config", f"{name}.yaml"))
    if override is None and os.environ.get(env_var):
        override = Path(os.environ[env_var])
    where = f"{name}.yaml"
    data = base
    if isinstance(override, str | Path):
        where = str(override)
        data = _merge(base, _read_yaml(Path(override)), "", where, open_maps)
    elif override is not None:
        where = f"{name} override"
        data = _merge(base, override, "", where, open_maps)
    try:
        return model.model_validate(data), where
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        raise CeasefireError(f"{where}: at '{key}': {first['msg']}") from None


def fingerprint(model: BaseModel) -> str:
    """SHA-256 of a configuration's canonical JSON (recorded with every run)."""
    text = json.dumps(model.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
