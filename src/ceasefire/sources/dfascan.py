"""Run a class DFA (sources/dfa.py) over Arrow strings: a compiled loop over each text's UTF-8
bytes that ORs the class bits of every match, on two threads (the GIL released).

The loop is a dozen LLVM instructions, built with llvmlite (Numba's code generator, already
installed with it) and compiled in about 10 ms; loading Numba itself would cost about a CPU
second per process. Without llvmlite (or if it fails) `kernel()` is None and callers search
with RE2 instead."""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa

from ceasefire.sources.dfa import Dfa

Kernel = Callable[..., None]
_ENGINES: list[Any] = []  # the compiled code lives as long as its engine
_LOCK = threading.Lock()


def _build_ir() -> str:
    """scan(data, offsets, rows, step, emit, final, out): per row r, out[r] = the OR of the
    emitted bits over bytes data[offsets[r]:offsets[r + 1]] and the final bits."""
    from llvmlite import ir  # type: ignore[import-untyped]

    i8, i32, i64 = ir.IntType(8), ir.IntType(32), ir.IntType(64)
    p8, p32 = ir.PointerType(i8), ir.PointerType(i32)
    module = ir.Module(name="ceasefire_dfa")
    fn = ir.Function(
        module, ir.FunctionType(ir.VoidType(), [p8, p32, i64, p32, p32, p32, p32]), "scan"
    )
    data, offsets, rows, step, emit, final, out = fn.args
    entry, row_head, row_body, byte_head, byte_body, emitting, byte_next, row_end, done = (
        fn.append_basic_block(name)
        for name in ("entry", "rh", "rb", "bh", "bb", "em", "bn", "re", "done")
    )
    b = ir.IRBuilder(entry)
    b.branch(row_head)

    b.position_at_end(row_head)
    r = b.phi(i64, "r")
    r.add_incoming(ir.Constant(i64, 0), entry)
    b.cbranch(b.icmp_signed("<", r, rows), row_body, done)

    b.position_at_end(row_body)
    lo = b.sext(b.load(b.gep(offsets, [r])), i64)
    hi = b.sext(b.load(b.gep(offsets, [b.add(r, ir.Constant(i64, 1))])), i64)
    b.branch(byte_head)

    b.position_at_end(byte_head)
    i = b.phi(i64, "i")
    s = b.phi(i32, "s")
    m = b.phi(i32, "m")
    i.add_incoming(lo, row_body)
    s.add_incoming(ir.Constant(i32, 0), row_body)
    m.add_incoming(ir.Constant(i32, 0), row_body)
    b.cbranch(b.icmp_signed("<", i, hi), byte_body, row_end)

    b.position_at_end(byte_body)
    byte = b.zext(b.load(b.gep(data, [i])), i32)
    at = b.sext(b.add(s, byte), i64)
    v = b.load(b.gep(step, [at]))
    b.cbranch(b.icmp_signed("<", v, ir.Constant(i32, 0)), emitting, byte_next)

    b.position_at_end(emitting)
    m_emit = b.or_(m, b.load(b.gep(emit, [at])))
    v_emit = b.and_(v, ir.Constant(i32, 0x7FFFFFFF))
    b.branch(byte_next)

    b.position_at_end(byte_next)
    m_next = b.phi(i32)
    m_next.add_incoming(m, byte_body)
    m_next.add_incoming(m_emit, emitting)
    s_next = b.phi(i32)
    s_next.add_incoming(v, byte_body)
    s_next.add_incoming(v_emit, emitting)
    i_next = b.add(i, ir.Constant(i64, 1))
    i.add_incoming(i_next, byte_next)
    s.add_incoming(s_next, byte_next)
    m.add_incoming(m_next, byte_next)
    b.branch(byte_head)

    b.position_at_end(row_end)
    last = b.load(b.gep(final, [b.sext(b.ashr(s, ir.Constant(i32, 8)), i64)]))
    b.store(b.or_(m, last), b.gep(out, [r]))
    r.add_incoming(b.add(r, ir.Constant(i64, 1)), row_end)
    b.branch(row_head)

    b.position_at_end(done)
    b.ret_void()
    return str(module)


@cache
def kernel() -> Kernel | None:
    """The compiled scan (ctypes releases the GIL while it runs), or None without llvmlite."""
    try:
        import llvmlite.binding as llvm  # type: ignore[import-untyped]

        with _LOCK:
            llvm.initialize_native_target()
            llvm.initialize_native_asmprinter()
            module = llvm.parse_assembly(_build_ir())
            module.verify()
            machine = llvm.Target.from_default_triple().create_target_machine(opt=3)
            engine = llvm.create_mcjit_compiler(module, machine)
            engine.finalize_object()
            _ENGINES.append(engine)
            address = engine.get_function_address("scan")
    except Exception:  # any failure: the RE2 search instead
        return None
    pointer = ctypes.c_void_p
    prototype = ctypes.CFUNCTYPE(
        None, pointer, pointer, ctypes.c_int64, pointer, pointer, pointer, pointer
    )
    scan: Kernel = prototype(address)
    return scan


_EMPTY = np.zeros(1, dtype=np.uint8)


def _scan_chunk(scan: Kernel, chunk: pa.Array, dfa: Dfa, out: np.ndarray) -> None:
    n = len(chunk)
    if n == 0:
        return
    _, offsets_buffer, data_buffer = chunk.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[chunk.offset : chunk.offset + n + 1]
    data = (
        _EMPTY
        if data_buffer is None or data_buffer.size == 0
        else np.frombuffer(data_buffer, dtype=np.uint8)
    )
    scan(
        data.ctypes.data,
        offsets.ctypes.data,
        n,
        dfa.step.ctypes.data,
        dfa.emit.ctypes.data,
        dfa.final.ctypes.data,
        out.ctypes.data,
    )


def class_bits(text: pa.Array | pa.ChunkedArray, dfa: Dfa, scan: Kernel) -> np.ndarray:
    """Per text, the bits of the classes it matches (uint32; a null text: 0)."""
    chunks = text.chunks if isinstance(text, pa.ChunkedArray) else [text]
    chunks = [c if c.type == pa.string() else c.cast(pa.string()) for c in chunks]
    out = np.zeros(len(text), dtype=np.uint32)
    parts, start = [], 0
    for chunk in chunks:
        parts.append((chunk, out[start : start + len(chunk)]))
        start += len(chunk)
    if len(parts) == 1 and len(text) >= 100_000:  # one long chunk: two halves
        half = len(text) // 2
        parts = [(chunks[0].slice(0, half), out[:half]), (chunks[0].slice(half), out[half:])]
    sizes = np.cumsum([_bytes(c) for c, _ in parts])
    if len(parts) < 2 or sizes[-1] < (1 << 20):
        for chunk, part in parts:
            _scan_chunk(scan, chunk, dfa, part)
        return out
    cut = int(np.searchsorted(sizes, sizes[-1] / 2)) + 1  # the same bytes for each thread

    def run(group: list[tuple[pa.Array, np.ndarray]]) -> None:
        for chunk, part in group:
            _scan_chunk(scan, chunk, dfa, part)

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(run, [parts[:cut], parts[cut:]]))
    return out


def _bytes(chunk: pa.Array) -> int:
    offsets = chunk.buffers()[1]
    if offsets is None or len(chunk) == 0:
        return 0
    view = np.frombuffer(offsets, dtype=np.int32)
    return int(view[chunk.offset + len(chunk)] - view[chunk.offset])
