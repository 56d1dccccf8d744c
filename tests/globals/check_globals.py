#!/usr/bin/env python3
"""ctest no-mutable-globals: the compiler libraries hold no mutable global state.

STYLE.md section 7: mutable state lives in an explicit context (FeCtx, IrFunc, CgCtx); the
only statics allowed are `static const` tables. Section 1: `_Thread_local` only in the
runtime, whose process-wide signal state and per-thread state are documented where declared.

The symbol table of each static library (objdump -t, which names each symbol's section) is
read and every symbol in a writable data section is reported unless the allowlist names it
with a reason:

    writable:  .data .data.* .bss .bss.* .tdata .tbss COMMON   (nm types d D b B)
    read-only: .data.rel.ro .data.rel.ro.*  -- `static const` tables holding pointers, which
               nm also shows as d/D, are written only by the dynamic loader's relocation
               processing; they are not state.

Thread-local symbols (.tdata/.tbss) in a compiler library fail even if allowlisted. An
allowlist entry that matches nothing fails too, so the list stays true. Symbols that the
sanitizers' instrumentation adds (__odr_asan.*, __asan_*, ...) are not the program's.

    check_globals.py --objdump OBJDUMP --allowlist FILE [--compiler LIB=PATH]...
                     [--runtime LIB=PATH]... [--self-test PATH]

--self-test names a library built from tests/globals/selftest.c, which defines one symbol
of each kind; the check must report exactly its mutable ones before the real libraries are
checked, so that a broken parser cannot make this test pass.
"""
import argparse
import re
import subprocess
import sys

SYMBOL_RE = re.compile(r"^([0-9a-fA-F]+) (.{7}) (\S+)\t([0-9a-fA-F]+) (.*)$")
MEMBER_RE = re.compile(r"^(\S+):\s+file format ")
WRITABLE_RE = re.compile(r"^(\.data|\.bss|\.tdata|\.tbss)(\..*)?$|^\*COM\*$")
READONLY_RE = re.compile(r"^\.data\.rel\.ro(\..*)?$")
TLS_RE = re.compile(r"^\.(tdata|tbss)(\..*)?$")
INSTRUMENTATION_RE = re.compile(r"^(__odr_asan[._]|__asan_|__sancov_|__tsan_|__ubsan_|"
                                r"__msan_|__llvm_|\.L)")
# A function-local static gets a numeric suffix from gcc ("labels.0", changing with the code
# around it) and its function's name as a prefix from clang ("sg_touch.sg_calls"); the
# allowlist names it without either.
LOCAL_SUFFIX_RE = re.compile(r"\.\d+$")


def plain_name(name):
    """A symbol's name without gcc's numeric suffix or clang's function prefix."""
    return LOCAL_SUFFIX_RE.sub("", name).rpartition(".")[2]

# What selftest.c defines that must be reported (and nothing else of it).
SELF_TEST_EXPECTED = {"sg_counter", "sg_hidden", "sg_tls", "sg_calls"}


def writable_symbols(objdump, path):
    """(object, section, symbol) for every symbol of `path` in a writable section."""
    out = subprocess.run([objdump, "-t", path], check=True, capture_output=True,
                         text=True).stdout
    obj = None
    found = []
    for line in out.splitlines():
        m = MEMBER_RE.match(line)
        if m:
            obj = m.group(1)
            continue
        m = SYMBOL_RE.match(line)
        if not m:
            continue
        flags, section, name = m.group(2), m.group(3), m.group(5).strip()
        if flags[6] in "df" or name == section or not name:
            continue  # section, file and debugging symbols
        if READONLY_RE.match(section) or not WRITABLE_RE.match(section):
            continue
        if INSTRUMENTATION_RE.match(name):
            continue
        found.append((obj, section, name))
    return found


def read_allowlist(path):
    """{(library, source, symbol): reason}; a line is `library source symbol reason...`."""
    entries = {}
    problems = []
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 3)
            if len(parts) < 4 or len(parts[3]) < 10:
                problems.append("%s:%d: an entry is `library source symbol reason`, with a "
                                "real reason" % (path, lineno))
                continue
            entries[(parts[0], parts[1], parts[2])] = parts[3]
    return entries, problems


def source_of(obj):
    """The source file an object was built from: CMake names it source.c.o (llvm-objdump
    heads an archive member as `lib.a(source.c.o)`, GNU objdump as `source.c.o`)."""
    m = re.match(r"^.*\(([^()]+)\)$", obj or "")
    if m:
        obj = m.group(1)
    return obj[:-2] if obj and obj.endswith(".o") else (obj or "?")


def check_library(objdump, lib, path, compiler, allow, used, problems):
    n = 0
    for obj, section, name in writable_symbols(objdump, path):
        n += 1
        key = (lib, source_of(obj), plain_name(name))
        where = "%s: %s (%s): %s" % (lib, source_of(obj), section, name)
        if compiler and TLS_RE.match(section):
            problems.append(where + ": thread-local state in a compiler library "
                            "(STYLE.md section 1: _Thread_local only in the runtime)")
        elif key in allow:
            used.add(key)
        else:
            problems.append(where + ": mutable global not in the allowlist (STYLE.md "
                            "section 7: state lives in a context; only static const tables)")
    return n


def self_test(objdump, path):
    got = {plain_name(name) for _, _, name in writable_symbols(objdump, path)}
    ok = got == SELF_TEST_EXPECTED
    print("self-test: %s reports %s (expected %s): %s"
          % (path, sorted(got), sorted(SELF_TEST_EXPECTED), "ok" if ok else "FAILED"))
    return ok


def lib_arg(s):
    name, sep, path = s.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError("expected LIB=PATH")
    return name, path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--objdump", default="objdump")
    ap.add_argument("--allowlist", required=True)
    ap.add_argument("--compiler", type=lib_arg, action="append", default=[])
    ap.add_argument("--runtime", type=lib_arg, action="append", default=[])
    ap.add_argument("--self-test")
    args = ap.parse_args()

    if args.self_test and not self_test(args.objdump, args.self_test):
        return 1
    allow, problems = read_allowlist(args.allowlist)
    used = set()
    checked = set()
    for compiler, libs in ((True, args.compiler), (False, args.runtime)):
        for lib, path in libs:
            checked.add(lib)
            n = check_library(args.objdump, lib, path, compiler, allow, used, problems)
            print("%s: %d writable symbols" % (lib, n))
    for key in sorted(set(allow) - used):
        if key[0] in checked:
            problems.append("allowlist entry matches no symbol (remove it): %s %s %s"
                            % key)
    for p in problems:
        print(p)
    print("no-mutable-globals: %d libraries, %d allowlisted symbols, %d problems"
          % (len(checked), len(used), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
