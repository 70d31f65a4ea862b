"""What deduplication reads from strings: normalized texts and place names, web addresses, the
words of a web address, a death count stated in a text. Each is a plain function of one
string, applied once per distinct value (reports repeat outlets, places and addresses)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray
from rapidfuzz.utils import default_process

Objects = NDArray[np.object_]
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://(www\.)?")
_EXTENSION = re.compile(r"\.[a-z0-9]{1,5}$")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_LONG_NUMBER = re.compile(r"^\d{5,}$")
_KILL_WORD = r"(?i)(kill|dead|died)"  # what every match of _KILLED holds (a pre-filter)
_KILLED = re.compile(
    r"\b(\d{1,4})\s+(?:people\s+|civilians\s+|persons\s+|soldiers\s+)?(?:killed|dead|died)\b"
    r"|\b(?:kills|killing|killed)\s+(\d{1,4})\b"
)


def per_distinct(
    values: pd.Series, function: Callable[[str], Any], dtype: Any = object
) -> NDArray[Any]:
    """function(value) for every value ('' for missing), computed once per distinct value."""
    text = values.where(values.notna(), "").astype(str)
    codes, unique = pd.factorize(text, sort=False)
    distinct = np.asarray(unique, dtype=object).tolist()  # not element by element from Arrow
    done = np.array([function(u) for u in distinct], dtype=dtype)
    if len(done) == 0:
        return np.zeros(len(text), dtype=dtype)
    result: NDArray[Any] = done[codes]
    return result


def web_address(name: str) -> str:
    """A source_name that is a web address, normalized (scheme, 'www.', query, fragment and
    trailing '/' dropped, lower case); '' when it is not one."""
    text = name.strip().lower()
    if "://" not in text:
        return ""
    text = _SCHEME.sub("", text)
    return re.split(r"[?#]", text, maxsplit=1)[0].rstrip("/")


def url_words(address: str) -> str:
    """The words of a web address's last path segment ('.../3766655-russian-shelling-hits-
    school.html' -> 'russian shelling hits school'); '' when it has fewer than two words."""
    last = _EXTENSION.sub("", address.rsplit("/", 1)[-1])
    words = [w for w in _NOT_WORD.split(last) if w and not _LONG_NUMBER.match(w)]
    return " ".join(words) if sum(w.isalpha() for w in words) >= 2 else ""


def deaths_in(text: str) -> float:
    """A death count the text states ('2 killed', '3 people dead', 'shelling kills 2'), NaN if
    none."""
    found = _KILLED.search(text.lower()) if text else None
    return float(found.group(1) or found.group(2)) if found else float("nan")


def place_name(location: str) -> str:
    """The place itself, without the admin-1 and country GDELT appends ('Kurakhove, Donetsk,
    Ukraine' -> 'Kurakhove')."""
    return location.split(",", 1)[0]


def normalized(text: str) -> str:
    """Lower case, punctuation to spaces, trimmed (rapidfuzz's default_process)."""
    return str(default_process(text)) if text else ""


def text_facts(
    values: pd.Series, site: Callable[[str], str]
) -> tuple[NDArray[np.int32], Objects, NDArray[np.float64], Objects]:
    """Per text (one pass over its distinct values): the code of its normalized form, the
    normalized forms, the death count it states (NaN if none) and site(text). Only texts with
    a word for killing are searched for a count."""
    raw = values.where(values.notna(), "").astype(str)
    codes, unique = pd.factorize(raw, sort=False)
    distinct = np.asarray(unique, dtype=object)
    norm_code, texts = pd.factorize(
        pd.Series([normalized(v) for v in distinct.tolist()], dtype=object), sort=False
    )
    maybe = np.asarray(
        pc.match_substring_regex(pa.array(distinct.tolist(), pa.string()), _KILL_WORD)
        .fill_null(False)
        .to_numpy(zero_copy_only=False),
        dtype=bool,
    )
    stated = np.full(len(distinct), np.nan)
    stated[maybe] = [deaths_in(v) for v in distinct[maybe].tolist()]
    sites = np.array([site(v) for v in distinct.tolist()] or [""], dtype=object)
    if len(codes) == 0:
        return np.zeros(0, np.int32), np.zeros(0, object), np.zeros(0), np.zeros(0, object)
    return (
        norm_code.astype(np.int32)[codes], np.asarray(texts, dtype=object), stated[codes],
        sites[codes],
    )  # fmt: skip


def coded(values: pd.Series, function: Callable[[str], str]) -> tuple[NDArray[np.int32], Objects]:
    """function applied then normalized, as codes into the distinct results."""
    done = per_distinct(values, lambda v: normalized(function(v)))
    codes, distinct = pd.factorize(pd.Series(done, dtype=object), sort=False)
    return codes.astype(np.int32), np.asarray(distinct, dtype=object)
