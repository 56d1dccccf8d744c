#!/usr/bin/env python3
"""Generates a large, valid WebAssembly 2.0 module for decoder/validator benchmarks.

    python3 bench/gen_large_module.py -o big.wasm --size 50M [--seed N]

The code is varied and type-correct by construction: every function body is grown from a
random typed expression/statement grammar (i32/i64/f32/f64 arithmetic, comparisons and
conversions, locals and globals, loads and stores with natural alignment, block/loop/if
with br/br_if/br_table, direct and indirect calls, select, multi-value blocks and calls),
so the module exercises the validator broadly instead of repeating one instruction.

It is meant for decoding and validation: it is valid, but nothing guarantees it terminates
or avoids traps when run. The output is deterministic for a given seed and size.
"""

import argparse
import random
import struct
import sys

I32, I64, F32, F64 = 0x7F, 0x7E, 0x7D, 0x7C
NUM_TYPES = (I32, I64, F32, F64)


def uleb(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def sleb(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        done = (v == 0 and not b & 0x40) or (v == -1 and b & 0x40)
        out.append(b if done else b | 0x80)
        if done:
            return bytes(out)


def name(s):
    b = s.encode()
    return uleb(len(b)) + b


def vec(items):
    return uleb(len(items)) + b"".join(items)


def section(sid, payload):
    return bytes([sid]) + uleb(len(payload)) + payload


# Function types: (params, results). Type 0 is () -> (); the multi-value ones exercise
# block types by index and calls with several results.
TYPES = [
    ((), ()),
    ((I32,), (I32,)),
    ((I32, I32), (I32,)),
    ((I64, I32), (I64,)),
    ((F64, F64), (F64,)),
    ((I32,), ()),
    ((F32, I32), (F32,)),
    ((I32, I64, F64), (I64,)),
    ((I32, I32), (I32, I32)),
    ((), (I32, I64)),
]
MV_BLOCK_TYPE = 8  # (i32 i32) -> (i32 i32), used as a block type

BINOPS = {
    I32: [0x6A, 0x6B, 0x6C, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x6E, 0x70],
    I64: [0x7C, 0x7D, 0x7E, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A],
    F32: [0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98],
    F64: [0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6],
}
UNOPS = {
    I32: [0x67, 0x68, 0x69, 0xC0, 0xC1],
    I64: [0x79, 0x7A, 0x7B, 0xC2, 0xC3, 0xC4],
    F32: [0x8B, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x91],
    F64: [0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F],
}
# Comparisons producing i32, by operand type.
CMPOPS = {
    I32: [0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F],
    I64: [0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A],
    F32: [0x5B, 0x5C, 0x5D, 0x5E, 0x5F, 0x60],
    F64: [0x61, 0x62, 0x63, 0x64, 0x65, 0x66],
}
# Conversions: result type -> [(opcode bytes, operand type)].
CONVERSIONS = {
    I32: [(b"\xA7", I64), (b"\xFC\x00", F32), (b"\xFC\x03", F64), (b"\xBC", F32), (b"\x50", I64)],
    I64: [(b"\xAC", I32), (b"\xAD", I32), (b"\xFC\x06", F64), (b"\xBD", F64)],
    F32: [(b"\xB2", I32), (b"\xB4", I64), (b"\xB6", F64), (b"\xBE", I32)],
    F64: [(b"\xB7", I32), (b"\xBA", I64), (b"\xBB", F32), (b"\xBF", I64)],
}
# Loads: result type -> [(opcode, natural alignment log2)]; stores by value type.
LOADS = {
    I32: [(0x28, 2), (0x2C, 0), (0x2D, 0), (0x2E, 1), (0x2F, 1)],
    I64: [(0x29, 3), (0x30, 0), (0x31, 0), (0x32, 1), (0x33, 1), (0x34, 2), (0x35, 2)],
    F32: [(0x2A, 2)],
    F64: [(0x2B, 3)],
}
STORES = {
    I32: [(0x36, 2), (0x3A, 0), (0x3B, 1)],
    I64: [(0x37, 3), (0x3C, 0), (0x3D, 1), (0x3E, 2)],
    F32: [(0x38, 2)],
    F64: [(0x39, 3)],
}


class FuncGen:
    """Generates one function body; `labels` is the stack of enclosing branch targets,
    each the list of types a branch to it carries."""

    def __init__(self, rng, module, ftype, nfuncs_total):
        self.r = rng
        self.m = module
        params, results = TYPES[ftype]
        self.results = results
        self.locals = list(params)
        self.extra = [rng.choice(NUM_TYPES) for _ in range(rng.randint(2, 12))]
        self.locals += self.extra
        self.labels = [list(results)]
        self.nfuncs_total = nfuncs_total
        self.out = bytearray()

    def local_of(self, t):
        idxs = [i for i, lt in enumerate(self.locals) if lt == t]
        return self.r.choice(idxs) if idxs else None

    def const(self, t):
        # Integer constants as compilers emit them: mostly small, then offsets and masks,
        # a few full-width values.
        r = self.r
        k = r.random()
        if t == I32:
            v = (r.randint(-64, 63) if k < 0.55 else r.randint(0, 2**14) if k < 0.85
                 else r.randint(0, 2**21) if k < 0.95 else r.randint(-2**31, 2**31 - 1))
            return b"\x41" + sleb(v)
        if t == I64:
            v = (r.randint(-64, 63) if k < 0.7 else r.randint(0, 2**20) if k < 0.9
                 else r.randint(-2**63, 2**63 - 1))
            return b"\x42" + sleb(v)
        if t == F32:
            return b"\x43" + struct.pack("<f", r.uniform(-1000, 1000))
        return b"\x44" + struct.pack("<d", r.uniform(-1e6, 1e6))

    def address(self, depth):
        # An i32 address masked into the first 64 KiB.
        return self.expr(I32, depth + 1) + b"\x41" + sleb(0xFFF8) + b"\x71"

    def call_returning(self, t, depth):
        """A direct or indirect call whose (first) result is t; extra results dropped."""
        r = self.r
        cands = [ti for ti, (_, res) in enumerate(TYPES) if res and res[0] == t]
        if not cands:
            return None
        ti = r.choice(cands)
        params, res = TYPES[ti]
        code = b"".join(self.expr(p, depth + 1) for p in params)
        if r.random() < 0.25:
            code += self.expr(I32, depth + 1) + b"\x11" + uleb(ti) + b"\x00"
        else:
            code += b"\x10" + uleb(self.m.func_of_type(ti))
        if len(res) == 2:
            # Keep the first result: stash the second in a local of its type.
            loc = self.local_of(res[1])
            code += (b"\x21" + uleb(loc)) if loc is not None else b"\x1A"
        return code

    def expr(self, t, depth=0):
        """Code that pushes exactly one value of type t."""
        r = self.r
        if depth > 6:
            loc = self.local_of(t)
            return (b"\x20" + uleb(loc)) if loc is not None and r.random() < 0.6 else self.const(t)
        k = r.random()
        if k < 0.22:
            loc = self.local_of(t)
            if loc is not None:
                return b"\x20" + uleb(loc)
            return self.const(t)
        if k < 0.36:
            return self.const(t)
        if k < 0.52:
            return self.expr(t, depth + 1) + self.expr(t, depth + 1) + bytes([r.choice(BINOPS[t])])
        if k < 0.58:
            return self.expr(t, depth + 1) + bytes([r.choice(UNOPS[t])])
        if k < 0.64 and t == I32:
            ot = r.choice(NUM_TYPES)
            return self.expr(ot, depth + 1) + self.expr(ot, depth + 1) + bytes([r.choice(CMPOPS[ot])])
        if k < 0.70:
            op, from_t = r.choice(CONVERSIONS[t])
            return self.expr(from_t, depth + 1) + op
        if k < 0.77:
            op, nat = r.choice(LOADS[t])
            return (self.address(depth) + bytes([op]) + uleb(r.randint(0, nat)) +
                    uleb(r.choice([0, 4, 8, 64, 1000])))
        if k < 0.81:
            g = self.m.global_of(t)
            return b"\x23" + uleb(g)
        if k < 0.85:
            c = self.call_returning(t, depth)
            if c:
                return c
            return self.const(t)
        if k < 0.88:
            return (self.expr(t, depth + 1) + self.expr(t, depth + 1) + self.expr(I32, depth + 1) +
                    (b"\x1B" if r.random() < 0.7 else b"\x1C\x01" + bytes([t])))
        if k < 0.92:
            loc = self.local_of(t)
            if loc is not None:
                return self.expr(t, depth + 1) + b"\x22" + uleb(loc)
            return self.const(t)
        if k < 0.96:
            # if/else producing t.
            cond = self.expr(I32, depth + 1)
            self.labels.append([t])
            a = self.stmts(depth + 1, r.randint(0, 2)) + self.expr(t, depth + 1)
            b = self.stmts(depth + 1, r.randint(0, 2)) + self.expr(t, depth + 1)
            self.labels.pop()
            return cond + b"\x04" + bytes([t]) + a + b"\x05" + b + b"\x0B"
        # block (result t) with an early exit by br_if.
        self.labels.append([t])
        body = self.stmts(depth + 1, r.randint(0, 2))
        body += self.expr(t, depth + 1) + self.expr(I32, depth + 1) + b"\x0D\x00"
        body += b"\x1A" + self.expr(t, depth + 1)
        self.labels.pop()
        return b"\x02" + bytes([t]) + body + b"\x0B"

    def stmt(self, depth):
        """Code that leaves the stack as it found it."""
        r = self.r
        k = r.random()
        if depth > 5 or k < 0.30:
            loc = r.randrange(len(self.locals))
            return self.expr(self.locals[loc], depth + 1) + b"\x21" + uleb(loc)
        if k < 0.42:
            t = r.choice(NUM_TYPES)
            op, nat = r.choice(STORES[t])
            return (self.address(depth) + self.expr(t, depth + 1) + bytes([op]) +
                    uleb(r.randint(0, nat)) + uleb(r.choice([0, 8, 16, 512])))
        if k < 0.47:
            t = r.choice((I32, I64))
            return self.expr(t, depth + 1) + b"\x24" + uleb(self.m.global_of(t))
        if k < 0.55:
            cond = self.expr(I32, depth + 1)
            self.labels.append([])
            a = self.stmts(depth + 1, r.randint(1, 3))
            b = self.stmts(depth + 1, r.randint(0, 3))
            self.labels.pop()
            return cond + b"\x04\x40" + a + (b"\x05" + b if b else b"") + b"\x0B"
        if k < 0.63:
            # A counted loop on an i32 local.
            i = self.local_of(I32)
            if i is None:
                return b"\x01"
            self.labels.append([])
            inner = self.stmts(depth + 1, r.randint(1, 3))
            self.labels.pop()
            return (b"\x41\x00\x21" + uleb(i) + b"\x03\x40" + inner +
                    b"\x20" + uleb(i) + b"\x41\x01\x6A\x22" + uleb(i) +
                    b"\x41" + sleb(r.randint(2, 100)) + b"\x49\x0D\x00\x0B")
        if k < 0.70:
            # block ... br_if to this or an outer void label.
            self.labels.append([])
            inner = self.stmts(depth + 1, r.randint(0, 2))
            void = [d for d, lab in enumerate(reversed(self.labels)) if not lab]
            inner += self.expr(I32, depth + 1) + b"\x0D" + uleb(r.choice(void))
            inner += self.stmts(depth + 1, r.randint(0, 2))
            self.labels.pop()
            return b"\x02\x40" + inner + b"\x0B"
        if k < 0.75:
            # br_table over nested blocks.
            n = r.randint(2, 5)
            code = b"\x02\x40" * n
            for _ in range(n):
                self.labels.append([])
            targets = [uleb(r.randrange(n)) for _ in range(r.randint(1, 8))]
            code += self.expr(I32, depth + 1) + b"\x0E" + vec(targets) + uleb(r.randrange(n))
            for _ in range(n):
                self.labels.pop()
                code += b"\x0B" + self.stmts(depth + 1, r.randint(0, 1))
            return code
        if k < 0.82:
            # A call whose results are dropped.
            ti = r.randrange(len(TYPES))
            params, res = TYPES[ti]
            code = b"".join(self.expr(p, depth + 1) for p in params)
            code += b"\x10" + uleb(self.m.func_of_type(ti))
            return code + b"\x1A" * len(res)
        if k < 0.87:
            # Multi-value block: (i32 i32) -> (i32 i32), then both results dropped.
            self.labels.append([I32, I32])
            inner = b"\x6A" + self.expr(I32, depth + 1)  # add the two, push another
            self.labels.pop()
            return (self.expr(I32, depth + 1) + self.expr(I32, depth + 1) + b"\x02" +
                    sleb(MV_BLOCK_TYPE) + inner + b"\x0B\x1A\x1A")
        if k < 0.92:
            return self.expr(r.choice(NUM_TYPES), depth + 1) + b"\x1A"
        if k < 0.95:
            return b"\x01"
        # Memory size/grow and bulk memory.
        if r.random() < 0.5:
            return b"\x3F\x00\x1A"
        return (self.address(depth) + self.expr(I32, depth + 1) + b"\x41" + sleb(r.randint(0, 64)) +
                b"\xFC\x0B\x00")

    def stmts(self, depth, n):
        return b"".join(self.stmt(depth) for _ in range(n))

    def body(self, target_size):
        code = bytearray()
        while len(code) < target_size:
            code += self.stmt(0)
        code += b"".join(self.expr(t) for t in self.results)
        groups = [uleb(1) + bytes([t]) for t in self.extra]
        return vec(groups) + bytes(code) + b"\x0B"


class ModuleGen:
    def __init__(self, seed, size):
        self.r = random.Random(seed)
        self.size = size
        self.funcs = []          # type index of each defined function
        self.by_type = {}
        self.globals = []        # (type, init bytes)

    def func_of_type(self, ti):
        return self.r.choice(self.by_type[ti])

    def global_of(self, t):
        idxs = [i for i, (gt, _) in enumerate(self.globals) if gt == t]
        return self.r.choice(idxs)

    def build(self):
        r = self.r
        # Estimate the function count from the size: bodies average ~2 KiB.
        nfuncs = max(len(TYPES) * 2, self.size // 2048)
        for i in range(nfuncs):
            ti = i % len(TYPES) if i < len(TYPES) * 2 else r.randrange(len(TYPES))
            self.funcs.append(ti)
            self.by_type.setdefault(ti, []).append(i)
        for t in NUM_TYPES:
            for _ in range(3):
                self.globals.append((t, FuncGen(r, self, 0, 0).const(t)))

        bodies = []
        total = 0
        for ti in self.funcs:
            target = r.choice([64, 256, 1024, 2048, 4096]) if total < self.size else 0
            body = FuncGen(r, self, ti, len(self.funcs)).body(target)
            bodies.append(body)
            total += len(body)
        # Regrow bodies, first to last, until the code reaches the size.
        i = 0
        while total < self.size:
            body = FuncGen(r, self, self.funcs[i], len(self.funcs)).body(
                min(65536, self.size - total + len(bodies[i])))
            total += len(body) - len(bodies[i])
            bodies[i] = body
            i += 1
        bodies = [uleb(len(b)) + b for b in bodies]

        types = vec([b"\x60" + vec([bytes([p]) for p in ps]) + vec([bytes([q]) for q in rs])
                     for ps, rs in TYPES])
        funcsec = vec([uleb(ti) for ti in self.funcs])
        table = vec([b"\x70\x00" + uleb(len(self.funcs))])
        memory = vec([b"\x01\x01\x10"])
        globs = vec([bytes([t, 1]) + init + b"\x0B" for t, init in self.globals])
        exports = vec([name("memory") + b"\x02\x00"] +
                      [name("f%d" % i) + b"\x00" + uleb(i) for i in range(0, len(self.funcs), 97)])
        elems = vec([b"\x00\x41\x00\x0B" + vec([uleb(i) for i in range(len(self.funcs))])])
        data = vec([b"\x00\x41" + sleb(r.randint(0, 60000)) + b"\x0B" +
                    vec([bytes([r.randrange(256)]) for _ in range(r.randint(1, 64))])
                    for _ in range(8)])
        names = b"\x01" + vec_bytes(vec([uleb(i) + name("func_%d" % i) for i in range(len(self.funcs))]))
        out = bytearray(b"\x00asm\x01\x00\x00\x00")
        out += section(1, types)
        out += section(3, funcsec)
        out += section(4, table)
        out += section(5, memory)
        out += section(6, globs)
        out += section(7, exports)
        out += section(9, elems)
        out += section(12, uleb(8))
        out += section(10, vec(bodies))
        out += section(11, data)
        out += section(0, name("name") + names)
        return bytes(out)


def vec_bytes(b):
    return uleb(len(b)) + b


def parse_size(s):
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    if s[-1].upper() in mult:
        return int(float(s[:-1]) * mult[s[-1].upper()])
    return int(s)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--size", default="50M", help="approximate code size (e.g. 50M, 512K)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    sys.setrecursionlimit(10000)
    data = ModuleGen(args.seed, parse_size(args.size)).build()
    with open(args.output, "wb") as f:
        f.write(data)
    print("%s: %d bytes" % (args.output, len(data)))


if __name__ == "__main__":
    main()
