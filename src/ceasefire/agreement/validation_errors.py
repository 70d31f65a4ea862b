"""Turn pydantic validation errors into problems that name the file, line, key and a fix."""

from __future__ import annotations

import types
import typing
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ceasefire.agreement.yaml_source import KeyPath, YamlDocument
from ceasefire.errors import Problem, did_you_mean


def format_key_path(path: KeyPath) -> str:
    """('rules', 2, 'where', 'zone') -> 'rules[2].where.zone'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation can hold, looking through list/dict/Union/Annotated."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(get_args(annotation)[0])
    if origin in (Union, types.UnionType, list, dict, tuple):
        args = get_args(annotation)
        if origin is dict:
            args = args[1:]
        return [m for arg in args for m in _models_in(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _pick(models: list[type[BaseModel]], data: Any) -> list[type[BaseModel]]:
    """Among union members, keep the one whose `kind` literal matches the data."""
    if isinstance(data, dict) and "kind" in data and len(models) > 1:
        for model in models:
            field = model.model_fields.get("kind")
            if field is not None and data["kind"] in get_args(field.annotation):
                return [model]
    return models


def _clean_loc(loc: tuple[Any, ...], data: Any) -> tuple[KeyPath, list[type[BaseModel]]]:
    """Drop union tags pydantic adds to loc; return the data path and the models at its parent."""
    from ceasefire.agreement.model import Agreement

    path: list[str | int] = []
    models: list[type[BaseModel]] = [Agreement]
    parent_models = models
    node = data
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(part, int):
            path.append(part)
            node = node[part] if isinstance(node, list) and part < len(node) else None
            continue
        if isinstance(node, dict) and part not in node and not last:
            continue  # a union tag such as 'security_zone' or 'function-after[...]'
        if not isinstance(node, dict) and not last:
            continue
        path.append(part)
        parent_models = _pick(models, node)
        annotations = [
            m.model_fields[part].annotation for m in parent_models if part in m.model_fields
        ]
        models = [m for a in annotations for m in _models_in(a)]
        node = node.get(part) if isinstance(node, dict) else None
        models = _pick(models, node)
    return tuple(path), parent_models


def _allowed_keys(models: list[type[BaseModel]]) -> set[str]:
    keys: set[str] = set()
    for model in models:
        for name, field in model.model_fields.items():
            keys.add(field.alias or name)
    return keys


def _message(error: Any, key: str, models: list[type[BaseModel]]) -> str:
    kind = error["type"]
    given = error.get("input")
    if kind == "extra_forbidden":
        return f"unknown key '{key}'" + did_you_mean(key, _allowed_keys(models))
    if kind == "missing":
        return f"required key '{key}' is missing"
    if kind == "timezone_aware":
        return (
            f"'{given}' has no time zone; expected a date-time with a UTC offset, "
            "e.g. 2015-02-15T00:00:00+02:00"
        )
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ",").split(",")]
        return f"'{given}' is not allowed" + did_you_mean(str(given), [c for c in choices if c])
    if kind == "union_tag_invalid":
        expected = error.get("ctx", {}).get("expected_tags", "")
        choices = [c.strip().strip("'") for c in expected.split(",")]
        tag = error.get("ctx", {}).get("tag", given)
        return f"unknown {key or 'kind'} '{tag}'" + did_you_mean(str(tag), choices)
    message = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if given is not None and kind not in ("value_error", "assertion_error"):
        shown = repr(given) if not isinstance(given, dict | list) else type(given).__name__
        message += f" (got {shown})"
    return message


def problems_from(exc: ValidationError, doc: YamlDocument) -> list[Problem]:
    """One problem per pydantic error, located in the YAML file."""
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        if error["type"] == "union_tag_invalid":
            loc = (*loc, "kind")
        path, models = _clean_loc(loc, doc.data)
        key = str(path[-1]) if path else ""
        problems.append(
            Problem(
                file=str(doc.path),
                key_path=format_key_path(path),
                message=_message(error, key, models),
                line=doc.line_of(path),
            )
        )
    return problems
