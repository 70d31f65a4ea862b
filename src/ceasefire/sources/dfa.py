"""Several ordered sets of case-insensitive RE2 patterns compiled into one byte-level DFA that
tells, per text, which classes match, in one pass over the text's UTF-8 bytes.

The supported syntax is the part of RE2 the mapping files use: literals, escaped punctuation,
`\\b` and `\\B` (ASCII word boundaries, as in RE2), `\\d`, `\\s`, `\\w`, classes `[...]`
(not negated), groups `(...)`/`(?:...)`, `|` and the quantifiers `? * + {m} {m,} {m,n}`.
Anything else raises `Unsupported` (the caller then searches with RE2). Matching is RE2's
with `ignore_case`: ASCII letters match both cases, and `k` and `s` also match U+212A (KELVIN
SIGN) and U+017F (LONG S), their Unicode case-fold partners, which are not word characters
for `\\b`. The input must be valid UTF-8 (the readers check it).

The DFA is a Mealy machine over bytes: `step[state, byte]` is the next state times 256, with
the sign bit set when the transition completes matches, whose class bits are then in
`emit[state, byte]`; `final[state]` holds the bits of matches that end with the text."""

from __future__ import annotations

import hashlib
import os
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

WORD = frozenset(b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
SPACE = frozenset(b"\t\n\f\r ")  # RE2's \s
DIGIT = frozenset(b"0123456789")
FOLDS = {ord("k"): b"\xe2\x84\xaa", ord("s"): b"\xc5\xbf"}  # U+212A, U+017F
MAX_STATES = 20_000
EMITS = np.int32(-(1 << 31))  # the sign bit of a step: the transition emits


class Unsupported(ValueError):
    """A pattern uses syntax this compiler does not handle."""


@dataclass(frozen=True)
class Chars:
    """One character: a set of ASCII bytes and multi-byte sequences (case-fold partners)."""

    ascii: frozenset[int]
    sequences: tuple[bytes, ...] = ()


Node = tuple[
    Any, ...
]  # ("chars", Chars) | ("cat", list) | ("alt", list) | ("rep", node, lo, hi) | ...


def _folded(chars: set[int]) -> Chars:
    out = set(chars)
    for c in chars:
        if 0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A:
            out.add(c ^ 0x20)
    return Chars(frozenset(out), tuple(FOLDS[c] for c in sorted(FOLDS) if c in out))


class _Parser:
    def __init__(self, pattern: str) -> None:
        if not pattern.isascii():
            raise Unsupported(f"non-ASCII pattern {pattern!r}")
        self.text, self.i = pattern, 0

    def peek(self) -> str:
        return self.text[self.i] if self.i < len(self.text) else ""

    def take(self) -> str:
        c = self.peek()
        if not c:
            raise Unsupported(f"pattern ends early: {self.text!r}")
        self.i += 1
        return c

    def parse(self) -> Node:
        node = self.alternation()
        if self.i != len(self.text):
            raise Unsupported(f"unbalanced ')' in {self.text!r}")
        return node

    def alternation(self) -> Node:
        options = [self.sequence()]
        while self.peek() == "|":
            self.i += 1
            options.append(self.sequence())
        return options[0] if len(options) == 1 else ("alt", options)

    def sequence(self) -> Node:
        items: list[Node] = []
        while self.peek() not in ("", "|", ")"):
            items.append(self.quantified(self.atom()))
        return ("cat", items)

    def atom(self) -> Node:
        c = self.take()
        if c == "(":
            if self.text.startswith("?:", self.i):
                self.i += 2
            elif self.peek() == "?":
                raise Unsupported(f"group flags or names in {self.text!r}")
            node = self.alternation()
            if self.take() != ")":
                raise Unsupported(f"unbalanced '(' in {self.text!r}")
            return node
        if c == "[":
            return ("chars", _folded(self.bracket()))
        if c == "\\":
            return self.escape()
        if c in ".^$*+?{":
            raise Unsupported(f"{c!r} in {self.text!r}")
        return ("chars", _folded({ord(c)}))

    def escape(self) -> Node:
        c = self.take()
        if c in "bB":
            return ("assert", c)
        sets = {"d": DIGIT, "s": SPACE, "w": WORD}
        if c in sets:
            return ("chars", _folded(set(sets[c])))
        special = {"t": 9, "n": 10, "f": 12, "r": 13}
        if c in special:
            return ("chars", _folded({special[c]}))
        if c.isalnum():
            raise Unsupported(f"escape \\{c} in {self.text!r}")
        return ("chars", _folded({ord(c)}))

    def bracket(self) -> set[int]:
        if self.peek() == "^":
            raise Unsupported(f"negated class in {self.text!r}")
        out: set[int] = set()
        first = True
        while True:
            c = self.take()
            if c == "]" and not first:
                return out
            first = False
            if c == "\\":
                e = self.take()
                sets = {"d": DIGIT, "s": SPACE, "w": WORD}
                if e in sets:
                    out |= sets[e]
                    continue
                if e.isalnum():
                    raise Unsupported(f"escape \\{e} in a class in {self.text!r}")
                c = e
            elif c == "[":
                raise Unsupported(f"nested class in {self.text!r}")
            lo = ord(c)
            if self.peek() == "-" and self.text[self.i + 1 : self.i + 2] not in ("]", ""):
                self.i += 1
                hi = self.take()
                if hi == "\\":
                    hi = self.take()
                    if hi.isalnum():
                        raise Unsupported(f"escape in a range in {self.text!r}")
                if ord(hi) < lo:
                    raise Unsupported(f"bad range in {self.text!r}")
                out |= set(range(lo, ord(hi) + 1))
            else:
                out.add(lo)

    def quantified(self, node: Node) -> Node:
        while self.peek() in ("?", "*", "+", "{"):
            c = self.take()
            if c == "{":
                close = self.text.find("}", self.i)
                body = self.text[self.i : close] if close >= 0 else ""
                lo_s, comma, hi_s = body.partition(",")
                if not lo_s.isdigit() or (hi_s and not hi_s.isdigit()):
                    raise Unsupported(f"repetition {{{body}}} in {self.text!r}")
                self.i = close + 1
                lo, hi = int(lo_s), (int(hi_s) if hi_s else None) if comma else int(lo_s)
            else:
                lo, hi = {"?": (0, 1), "*": (0, None), "+": (1, None)}[c]
            if node[0] == "assert":
                raise Unsupported(f"repeated assertion in {self.text!r}")
            if self.peek() == "?":  # lazy: the same language
                self.i += 1
            node = ("rep", node, lo, hi)
        return node


@dataclass
class _Nfa:
    eps: list[list[int]] = field(default_factory=list)
    asserts: list[list[tuple[str, int]]] = field(default_factory=list)
    edges: list[list[tuple[frozenset[int], int]]] = field(default_factory=list)
    accept: dict[int, int] = field(default_factory=dict)  # state -> class bit

    def state(self) -> int:
        self.eps.append([])
        self.asserts.append([])
        self.edges.append([])
        return len(self.eps) - 1

    def build(self, node: Node, start: int) -> int:
        """Add `node` from `start`; return its end state."""
        kind = node[0]
        if kind == "chars":
            chars: Chars = node[1]
            end = self.state()
            self.edges[start].append((chars.ascii, end))
            for seq in chars.sequences:
                at = start
                for byte in seq[:-1]:
                    nxt = self.state()
                    self.edges[at].append((frozenset({byte}), nxt))
                    at = nxt
                self.edges[at].append((frozenset({seq[-1]}), end))
            return end
        if kind == "cat":
            for item in node[1]:
                start = self.build(item, start)
            return start
        if kind == "alt":
            end = self.state()
            for option in node[1]:
                begin = self.state()
                self.eps[start].append(begin)
                self.eps[self.build(option, begin)].append(end)
            return end
        if kind == "assert":
            end = self.state()
            self.asserts[start].append((node[1], end))
            return end
        _, inner, lo, hi = node
        for _ in range(lo):
            start = self.build(inner, start)
        if hi is None:  # a loop: inner*, from a fresh state
            loop = self.state()
            self.eps[start].append(loop)
            self.eps[self.build(inner, loop)].append(loop)
            return loop
        end = self.state()
        self.eps[start].append(end)
        for _ in range(hi - lo):
            start = self.build(inner, start)
            self.eps[start].append(end)
        return end


@dataclass(frozen=True)
class Dfa:
    """`step` (states x 256, int32), `emit` (states x 256, uint32), `final` (uint32)."""

    step: np.ndarray
    emit: np.ndarray
    final: np.ndarray


def cached_classes(patterns: list[str]) -> Dfa:
    """`compile_classes`, kept in the user cache folder ($CEASEFIRE_CACHE_DIR, else
    $XDG_CACHE_HOME/ceasefire or ~/.cache/ceasefire; CEASEFIRE_CACHE_DIR=off: none) under a
    name that hashes the patterns and this module's code; written atomically."""
    path = _cache_path(patterns)
    if path is not None and path.exists():
        try:
            with np.load(path) as saved:
                dfa = Dfa(saved["step"], saved["emit"], saved["final"])
            if _well_formed(dfa):
                return dfa
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            pass  # unreadable or damaged: compiled and written again
    dfa = compile_classes(patterns)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            unique = f"{os.getpid()}.{threading.get_ident()}"
            temporary = path.with_name(f"{path.stem}.{unique}.tmp.npz")
            np.savez(temporary, step=dfa.step, emit=dfa.emit, final=dfa.final)
            temporary.replace(path)
        except OSError:
            pass  # a read-only cache: compiled each time
    return dfa


def _well_formed(dfa: Dfa) -> bool:
    """Whether arrays read back can be run: the compiled loop indexes with them unchecked."""
    step, emit, final = dfa.step, dfa.emit, dfa.final
    if not (
        step.dtype == np.int32
        and emit.dtype == np.uint32
        and final.dtype == np.uint32
        and step.ndim == 2
        and step.shape[1] == 256
        and emit.shape == step.shape
        and final.shape == (len(step),)
        and step.flags["C_CONTIGUOUS"]
        and emit.flags["C_CONTIGUOUS"]
        and len(step) > 0
    ):
        return False
    target = step & np.int32(0x7FFFFFFF)
    return bool((target % 256 == 0).all() and (target < 256 * len(step)).all())


def _cache_path(patterns: list[str]) -> Path | None:
    setting = os.environ.get("CEASEFIRE_CACHE_DIR", "")
    if setting.lower() in ("off", "0", "none"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(setting) if setting else Path(base) / "ceasefire"
    digest = hashlib.sha256("\0".join(patterns).encode())
    digest.update(Path(__file__).read_bytes())
    return folder / f"text_dfa_{digest.hexdigest()[:24]}.npz"


def compile_classes(patterns: list[str]) -> Dfa:
    """One DFA for ordered class patterns (class i: bit i; at most 32 classes)."""
    if len(patterns) > 32:
        raise Unsupported("more than 32 classes")
    nfa = _Nfa()
    start = nfa.state()
    for bit, pattern in enumerate(patterns):
        begin = nfa.state()
        nfa.eps[start].append(begin)
        end = nfa.build(_Parser(pattern).parse(), begin)
        nfa.accept[end] = nfa.accept.get(end, 0) | (1 << bit)
    return _subsets(nfa, start)


def _byte_classes(nfa: _Nfa) -> tuple[np.ndarray, list[int]]:
    """Bytes that every edge treats alike (and alike for word boundaries): class per byte and
    one byte per class."""
    sets = sorted({s for edges in nfa.edges for s, _ in edges}, key=sorted)
    signature = [(b in WORD, *(b in s for s in sets)) for b in range(256)]
    index: dict[tuple[bool, ...], int] = {}
    of_byte = np.array([index.setdefault(sig, len(index)) for sig in signature], dtype=np.int64)
    first = [int(np.flatnonzero(of_byte == c)[0]) for c in range(len(index))]
    return of_byte, first


def _subsets(nfa: _Nfa, start: int) -> Dfa:
    """Subset construction. A state is (NFA states after a byte, whether that byte was a word
    byte); at the next byte (or the end) its closure follows \\b or \\B as the pair of bytes
    decides, collects the accepts, steps, and restarts the search (adds `start`). Closures
    and steps are per NFA state, and those of `start` (in every state) are computed once."""
    of_byte, representative = _byte_classes(nfa)
    words = [byte in WORD for byte in representative]
    closures: dict[tuple[int, bool], tuple[frozenset[int], int]] = {}

    def closure(state: int, boundary: bool) -> tuple[frozenset[int], int]:
        key = (state, boundary)
        if key not in closures:
            seen, todo, bits = {state}, [state], 0
            while todo:
                s = todo.pop()
                bits |= nfa.accept.get(s, 0)
                nexts = list(nfa.eps[s])
                nexts += [t for kind, t in nfa.asserts[s] if (kind == "b") == boundary]
                for t in nexts:
                    if t not in seen:
                        seen.add(t)
                        todo.append(t)
            closures[key] = (frozenset(seen), bits)
        return closures[key]

    moves: dict[int, list[tuple[int, int]]] = {}  # NFA state -> (byte class, target)

    def moves_of(state: int) -> list[tuple[int, int]]:
        if state not in moves:
            moves[state] = [
                (c, t)
                for chars, t in nfa.edges[state]
                for c, byte in enumerate(representative)
                if byte in chars
            ]
        return moves[state]

    def advance(states: frozenset[int], boundary: bool) -> tuple[list[set[int]], int]:
        """The targets per byte class whose boundary test is `boundary` from the closure."""
        closed: set[int] = set()
        bits = 0
        for s in states:
            found, b = closure(s, boundary)
            closed |= found
            bits |= b
        out: list[set[int]] = [set() for _ in representative]
        for s in closed:
            for c, t in moves_of(s):
                out[c].add(t)
        return out, bits

    base = {b: advance(frozenset({start}), b) for b in (False, True)}
    first_key: tuple[frozenset[int], bool] = (
        frozenset(),
        False,
    )  # kernels hold the states besides `start`
    ids = {first_key: 0}
    keys = [first_key]
    steps: list[list[int]] = []
    emits: list[list[int]] = []
    finals: list[int] = []
    while len(steps) < len(keys):
        kernel, was_word = keys[len(steps)]
        extra = {b: advance(kernel, b) for b in (False, True)}
        row_step, row_emit = [], []
        for c, word in enumerate(words):
            boundary = word != was_word
            (base_to, base_bits), (extra_to, extra_bits) = base[boundary], extra[boundary]
            nxt = frozenset((base_to[c] | extra_to[c]) - {start})
            key = (nxt, word)
            if key not in ids:
                if len(keys) >= MAX_STATES:
                    raise Unsupported(f"more than {MAX_STATES} DFA states")
                ids[key] = len(keys)
                keys.append(key)
            row_step.append(ids[key])
            row_emit.append(base_bits | extra_bits)
        steps.append(row_step)
        emits.append(row_emit)
        finals.append(base[was_word][1] | extra[was_word][1])  # the end is not a word
    step_c = np.array(steps, dtype=np.int64)[:, of_byte]
    emit = np.ascontiguousarray(np.array(emits, dtype=np.uint32)[:, of_byte])
    step = np.ascontiguousarray(step_c * 256, dtype=np.int32)
    step[emit != 0] |= EMITS
    return Dfa(step, emit, np.array(finals, dtype=np.uint32))
