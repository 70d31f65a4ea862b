"""Source vocabularies as validated data (YAML under data/mappings/), and the text classifier
that finds weapon and target mentions in free text (RE2 patterns, searched with one compiled
DFA for all classes, or with Arrow's RE2)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ceasefire.errors import InputError, Problem, did_you_mean
from ceasefire.resources import data_path
from ceasefire.sources.textsearch import (
    Allowed,
    ByCode,
    FirstMatch,
    compiled_search,
    first_of_each,
    match,
)
from ceasefire.taxonomy import Category, LocationPrecision, Target, TimePrecision, WeaponClass

Located = Literal["event", "impact", "origin"]
# libyaml's safe loader when PyYAML has it (the same documents, a fraction of the time)
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    """Unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class TextClass(Strict):
    """One class of a text classifier and the RE2 patterns that find it."""

    name: str = Field(alias="class")
    patterns: list[str] = Field(min_length=1)


class WeaponPatterns(Strict):
    classes: list[TextClass]


class PlacePrecision(Strict):
    precision: LocationPrecision
    radius_km: float = Field(ge=0)


class DatePrecision(Strict):
    precision: TimePrecision
    days_before: int = Field(0, ge=0)
    days_after: int = Field(0, ge=0)


class TypeMapping(Strict):
    """What a source's event type means in our vocabulary."""

    category: Category
    target: Target = Target.UNKNOWN
    initiator: bool = False
    weapon: WeaponClass = WeaponClass.UNKNOWN
    weapons: list[WeaponClass] = []
    by_weapon: dict[WeaponClass, Category] = {}
    label: str = ""


class AcledVocabulary(Strict):
    types: dict[str, TypeMapping]
    time_precision: dict[int, DatePrecision]
    geo_precision: dict[int, PlacePrecision]
    countries: dict[str, str]


class CameoVocabulary(Strict):
    roots: dict[str, TypeMapping]
    codes: dict[str, TypeMapping]
    geo_types: dict[int, PlacePrecision]
    countries: dict[str, str]


class KindMapping(Strict):
    category: Category
    weapon: WeaponClass = WeaponClass.UNKNOWN
    located: Located = "event"


class BearingSpread(Strict):
    compass: float = Field(gt=0, le=180)
    degrees: float = Field(gt=0, le=180)


class FieldReportVocabulary(Strict):
    kinds: dict[str, KindMapping]
    by_weapon: dict[WeaponClass, Category]
    keep_category: list[str]
    direction_located: dict[str, Located]
    bearing_spread_deg: BearingSpread
    unlocated_radius_km: dict[str, float]
    sensors: list[str]


def _problem(path: Path, error: Any) -> Problem:
    key = ".".join(str(p) for p in error["loc"])
    message = error["msg"]
    given = error.get("input")
    expected = (error.get("ctx") or {}).get("expected")
    if expected and isinstance(given, str):
        options = [o.strip(" '") for o in str(expected).replace(" or ", ",").split(",")]
        message = f"'{given}' is not valid" + did_you_mean(given, [o for o in options if o])
    elif error["type"] == "extra_forbidden":
        message = "unknown key"
    return Problem(str(path), key, message)


def load_model(path: Path, model: type[M], text: str | None = None) -> M:
    """Parse and validate a YAML file; problems name the file and the key path."""
    try:
        raw = yaml.load(
            text if text is not None else path.read_text(encoding="utf-8"), Loader=SAFE_LOADER
        )
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise InputError(
            [Problem(str(path), "", f"not valid YAML: {exc}", None if line is None else line + 1)]
        ) from exc
    except OSError as exc:
        raise InputError([Problem(str(path), "", f"cannot read the file: {exc.strerror}")]) from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise InputError([_problem(path, e) for e in exc.errors()]) from exc


@cache
def acled_vocabulary() -> AcledVocabulary:
    """mappings/acled.yaml."""
    return load_model(data_path("mappings", "acled.yaml"), AcledVocabulary)


@cache
def cameo_vocabulary() -> CameoVocabulary:
    """mappings/cameo.yaml."""
    return load_model(data_path("mappings", "cameo.yaml"), CameoVocabulary)


@cache
def field_report_vocabulary() -> FieldReportVocabulary:
    """mappings/field_report.yaml."""
    return load_model(data_path("mappings", "field_report.yaml"), FieldReportVocabulary)


class TextClassifier:
    """Ordered classes, each with RE2 patterns; finds which classes a text mentions."""

    def __init__(self, path: Path, allowed: set[str]) -> None:
        spec = load_model(path, WeaponPatterns)
        problems = [
            Problem(
                str(path),
                f"classes.{i}.class",
                f"'{c.name}' is not valid" + did_you_mean(c.name, allowed),
            )
            for i, c in enumerate(spec.classes)
            if c.name not in allowed
        ]
        if problems:
            raise InputError(problems)
        self.path = path
        self.classes = [c.name for c in spec.classes]
        self.patterns = ["|".join(f"(?:{p})" for p in c.patterns) for c in spec.classes]
        self._first = FirstMatch(self.patterns)
        for i, pattern in enumerate(self.patterns):
            try:
                pc.match_substring_regex(pa.array([""]), pattern, ignore_case=True)
            except pa.ArrowInvalid as exc:
                raise InputError(
                    [Problem(str(path), f"classes.{i}.patterns", f"not a valid RE2 pattern: {exc}")]
                ) from exc

    def matches(self, text: pa.Array | pa.ChunkedArray) -> np.ndarray:
        """Boolean matrix (rows x classes): which classes each text mentions."""
        out = np.zeros((len(text), len(self.classes)), dtype=bool)
        for k, pattern in enumerate(self.patterns):
            out[:, k] = match(text, pattern)
        return out

    def first_index(
        self, text: pa.Array | pa.ChunkedArray, allowed: np.ndarray | None = None
    ) -> np.ndarray:
        """Per row, the index of the first class (in file order) that the text mentions and
        `allowed` (rows x classes) permits; -1 for none. A decision tree of unions of
        consecutive classes finds it in about log2(classes + 1) passes per row."""
        return self._first.first(text, allowed)

    def first(self, hits: np.ndarray, allowed: np.ndarray | None = None) -> np.ndarray:
        """From a `matches` matrix: per row the first class that matched and is allowed."""
        usable = hits if allowed is None else hits & allowed
        names = np.array([*self.classes, None], dtype=object)
        return names[np.where(usable.any(axis=1), usable.argmax(axis=1), -1)]

    def labels(self, index: np.ndarray) -> np.ndarray:
        """Class names for indexes from `first_index` (None for -1)."""
        names: np.ndarray = np.array([*self.classes, None], dtype=object)
        picked: np.ndarray = names[index]
        return picked

    def allowed_matrix(self, allowed: list[list[str]], codes: np.ndarray) -> np.ndarray:
        """Rows x classes mask from a list of allowed class names per code (-1: nothing)."""
        return self.allowed_by_code(allowed, codes).matrix()

    def allowed_by_code(self, allowed: list[list[str]], codes: np.ndarray) -> ByCode:
        """`allowed_matrix` as a row per code and the codes (for `first_indexes`)."""
        table = np.array([[c in a for c in self.classes] for a in [*allowed, []]], dtype=bool)
        return ByCode(table.reshape(len(allowed) + 1, len(self.classes)), codes)


def first_indexes(
    text: pa.Array | pa.ChunkedArray, searches: list[tuple[TextClassifier, Allowed]]
) -> list[np.ndarray]:
    """`TextClassifier.first_index` of several classifiers (each with its `allowed` or None)
    on the same texts, which are copied out in batches once for all of them."""
    return first_of_each(text, [(c._first, allowed) for c, allowed in searches])


def prepare_search(classifiers: list[TextClassifier]) -> None:
    """Compile ahead (e.g. on a thread while a file is parsed) the search that
    `first_indexes` with these classifiers, in this order, runs."""
    compiled_search(tuple(tuple(c.patterns) for c in classifiers))


@cache
def weapon_classifier() -> TextClassifier:
    """mappings/weapons.yaml."""
    return TextClassifier(data_path("mappings", "weapons.yaml"), {w.value for w in WeaponClass})


@cache
def target_classifier() -> TextClassifier:
    """mappings/targets.yaml."""
    return TextClassifier(data_path("mappings", "targets.yaml"), {t.value for t in Target})
