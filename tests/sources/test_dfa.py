"""The class DFA (sources/dfa.py, run by sources/dfascan.py) finds exactly what RE2 finds
(Arrow's match_substring_regex, ignore_case) for every class of the bundled mappings, on
real notes, on synthetic notes and on random texts over a tricky alphabet."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv
import pytest

from ceasefire.sources.dfa import Unsupported, compile_classes
from ceasefire.sources.dfascan import class_bits, kernel
from ceasefire.sources.textsearch import FirstMatch, first_of_each, regex_first_of_each
from ceasefire.sources.vocab import target_classifier, weapon_classifier

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# letters, their case-fold partners (KELVIN SIGN, LONG S), other non-ASCII, digits, separators
ALPHABET = [*"abkKsSmr_-0129 \t\n.é", "\u212a", "\u017f", "ж", "’"]


def _re2_bits(text: pa.Array, patterns: list[str]) -> np.ndarray:
    bits = np.zeros(len(text), dtype=np.uint32)
    for i, pattern in enumerate(patterns):
        hit = pc.fill_null(pc.match_substring_regex(text, pattern, ignore_case=True), False)
        bits |= hit.to_numpy(zero_copy_only=False).astype(np.uint32) << np.uint32(i)
    return bits


def _dfa_bits(text: pa.Array | pa.ChunkedArray, patterns: list[str]) -> np.ndarray:
    scan = kernel()
    assert scan is not None, "llvmlite should be available (installed with Numba)"
    return class_bits(text, compile_classes(patterns), scan)


def _mapping_patterns() -> list[str]:
    return weapon_classifier().patterns + target_classifier().patterns


def _synthetic_notes(rng: np.random.Generator, n: int) -> list[str]:
    """Notes made of the mappings' own words, near misses and noise, in random case."""
    words = [
        "122mm", "152 mm", "120-mm", "82mm", "220mm", "300 mm", "1122mm", "Grad", "grads",
        "BM-21", "bm21", "MLRS", "Uragan", "Smerch", "Tornado-S", "tornado s", "tornados",
        "Iskander-M", "ATACMS", "Kh-101", "kh 59", "KH-5", "S-300", "S-3000", "HIMARS", "Shahed",
        "Geran-2", "FPV", "fpvs", "drone", "drones", "dronestrike", "UAV", "uavs", "Lancet",
        "glide bomb", "KAB-500", "kab", "FAB-1500", "guided aerial bomb", "air strike",
        "airstrike", "Su-34", "helicopter", "mortar", "mortars", "artillery", "howitzer",
        "D-30", "d20", "tank", "tanks", "tankers", "small arms", "small-arms", "machine-gun",
        "sniper", "gunfire", "bursts", "rocket", "rockets", "substation", "power line",
        "railway", "rail bridge", "bridge", "hospital", "OSCE", "SMM", "monitors", "dam",
        "damaged", "TPP", "CHP", "gas pipeline", "oil depot", "refinery", "water supply",
        "sea port", "seaport", "grain terminal", "Zaporizhzhia", "Kostiantynivka", "на", "ſmall",
        "\u212aab", "tan\u212a", "ma\u017fk", "_grad", "grad_", "x-grad", "2grad", "—", "’s",
    ]  # fmt: skip
    out = []
    for _ in range(n):
        picked = rng.choice(words, size=rng.integers(0, 8))
        glue = rng.choice([" ", ", ", "; ", "-", "", " (", ")", "\n"], size=len(picked))
        text = "".join(f"{w}{g}" for w, g in zip(picked, glue, strict=True))
        flip = rng.random(len(text)) < 0.3
        out.append("".join(c.swapcase() if f else c for c, f in zip(text, flip, strict=True)))
    return out


def test_mappings_match_re2_on_synthetic_notes() -> None:
    patterns = _mapping_patterns()
    text = pa.array([*_synthetic_notes(np.random.default_rng(7), 20_000), None, ""])
    assert np.array_equal(_dfa_bits(text, patterns)[:-2], _re2_bits(text, patterns)[:-2])


def test_mappings_match_re2_on_real_notes() -> None:
    patterns = _mapping_patterns()
    for name in ("acled_ukraine_2024.csv", "acled_2018_old_columns.csv", "acled_bad_rows.csv"):
        skip = pv.ParseOptions(invalid_row_handler=lambda row: "skip")
        table = pv.read_csv(FIXTURES / name, parse_options=skip)
        notes = [c for c in table.column_names if c.lower() == "notes"]
        text = table.column(notes[0]).cast(pa.string())
        valid = text.is_valid().to_numpy(zero_copy_only=False)
        dfa, re2 = _dfa_bits(text, patterns), _re2_bits(text.combine_chunks(), patterns)
        assert np.array_equal(dfa[valid], re2[valid]), name


@pytest.mark.parametrize(
    "pattern",
    [
        r"\bab",
        r"ab\b",
        r"\Bk",
        r"s\B",
        r"\bk\w*s\b",
        r"a{2,3}b",
        r"a{2}",
        r"(?:ab|k)+m?",
        r"[a-c][0-29]\s?-?[mr]",
        r"\d{2,}\b",
        r"(a|)b",
        r"x*",
        r"\bs-?\s?\d",
        r"[_-]k",
        r"\.\-",
    ],
)
def test_syntax_matches_re2_on_random_texts(pattern: str) -> None:
    rng = np.random.default_rng(abs(hash(pattern)) % 2**32)
    texts = ["".join(rng.choice(ALPHABET, size=rng.integers(0, 12))) for _ in range(4000)]
    text = pa.array(texts)
    assert np.array_equal(_dfa_bits(text, [pattern]), _re2_bits(text, [pattern]))


@pytest.mark.parametrize("pattern", [r"a.b", r"[^a]", r"\D", r"^a", r"a$", r"(?i)a", "é", r"\pL"])
def test_unsupported_syntax_is_refused(pattern: str) -> None:
    with pytest.raises(Unsupported):
        compile_classes([pattern])


def test_unsupported_patterns_fall_back_to_re2() -> None:
    matcher = FirstMatch([r"gr.d", r"\bdrone"])
    text = pa.array(["a grad and a drone", "drones", None, "grid"])
    assert first_of_each(text, [(matcher, None)])[0].tolist() == [0, 1, -1, 0]


def test_first_of_each_equals_the_regex_search_on_chunks() -> None:
    weapons, targets = weapon_classifier(), target_classifier()
    notes = _synthetic_notes(np.random.default_rng(3), 30_000)
    text = pa.chunked_array([pa.array(notes[:7]), pa.array([*notes[7:20_000], None]), []])
    text = pa.chunked_array([*text.chunks, pa.array(notes[20_000:]).slice(5)])
    rng = np.random.default_rng(4)
    allowed = rng.random((len(text), len(weapons.classes))) < 0.7
    searches = [(weapons._first, allowed), (targets._first, None)]
    dfa = first_of_each(text, searches)
    re2 = regex_first_of_each(text, searches)
    for got, want in zip(dfa, re2, strict=True):
        assert np.array_equal(got, want)


def test_the_dfa_is_cached_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ceasefire.sources import dfa as module

    monkeypatch.setenv("CEASEFIRE_CACHE_DIR", str(tmp_path))
    patterns = _mapping_patterns()
    built = module.cached_classes(patterns)
    files = list(tmp_path.glob("text_dfa_*.npz"))
    assert len(files) == 1
    again = module.cached_classes(patterns)
    for name in ("step", "emit", "final"):
        assert np.array_equal(getattr(built, name), getattr(again, name))
        assert getattr(again, name).flags["C_CONTIGUOUS"]
    for damaged in (b"not a zip", files[0].read_bytes()[:1000]):  # compiled and written again
        files[0].write_bytes(damaged)
        assert np.array_equal(module.cached_classes(patterns).step, built.step)
    assert np.array_equal(np.load(files[0])["step"], built.step)
    out_of_range = built.step.copy()
    out_of_range[0, 0] = 256 * len(out_of_range)  # a state past the table: never run
    np.savez(files[0], step=out_of_range, emit=built.emit, final=built.final)
    assert np.array_equal(module.cached_classes(patterns).step, built.step)
    monkeypatch.setenv("CEASEFIRE_CACHE_DIR", "off")
    assert module._cache_path(patterns) is None


@pytest.mark.parametrize("k", [1, 5, 8, 9, 16, 17, 32])
def test_allowed_rows_as_bits(k: int) -> None:
    from ceasefire.sources.textsearch import _row_bits

    allowed = np.random.default_rng(k).random((500, k)) < 0.5
    weights = np.uint64(1) << np.arange(k, dtype=np.uint64)
    expected = (allowed.astype(np.uint64) @ weights).astype(np.uint32)
    assert np.array_equal(_row_bits(allowed), expected)


def test_every_number_of_rows_and_lengths() -> None:
    """Rows are walked in groups (dfascan.LANES) up to the shortest row: groups, the rows
    after them, empty rows and rows of very different lengths."""
    patterns = _mapping_patterns()
    notes = _synthetic_notes(np.random.default_rng(11), 400)
    for n in range(15):
        texts = [notes[i] * (i % 3) for i in range(n)]  # empty, one and two copies
        text = pa.array(texts, pa.string())
        assert np.array_equal(_dfa_bits(text, patterns), _re2_bits(text, patterns)), n
        sliced = pa.array(["grad"] * 3 + texts, pa.string()).slice(3)
        assert np.array_equal(_dfa_bits(sliced, patterns), _re2_bits(text, patterns)), n


def test_allowed_by_code_equals_the_matrix() -> None:
    """Allowed classes given per code (ByCode) and as a matrix per row: the same answers, on
    the DFA search and on RE2."""
    weapons = weapon_classifier()
    notes = _synthetic_notes(np.random.default_rng(5), 3000)
    text = pa.array(notes)
    options = [
        ["artillery", "mlrs"],
        [],
        ["drone", "aircraft", "long_range"],
        list(weapons.classes),
    ]
    codes = np.random.default_rng(6).integers(-1, len(options), len(notes))
    by_code = weapons.allowed_by_code(options, codes)
    matrix = weapons.allowed_matrix(options, codes)
    assert np.array_equal(by_code.matrix(), matrix)
    want = regex_first_of_each(text, [(weapons._first, matrix)])[0]
    assert np.array_equal(first_of_each(text, [(weapons._first, by_code)])[0], want)
    assert np.array_equal(regex_first_of_each(text, [(weapons._first, by_code)])[0], want)
