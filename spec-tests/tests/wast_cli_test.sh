#!/bin/sh
# CLI test of `skua wast` on the hand-written scripts in spec-tests/tests/wast/: the counts
# line, the failure lines, the exit status (0 / 1 / 2), execution through the embedding API
# (exec.wast passes, exec_fail.wast's wrong assertions fail), --validate-only, the
# expected-failures list, .json input, and clear errors for missing files and a missing
# wast2json.
#
#   wast_cli_test.sh SKUA WAST2JSON DIR      (DIR = spec-tests/tests/wast)
#
# Exits 77 (skipped) when wast2json is not installed. SKUA_EMULATOR (e.g. "qemu-aarch64 -L
# /usr/aarch64-linux-gnu") runs a cross-built skua.
set -u
skua=$1
w2j=$2
dir=$3
if ! command -v "$w2j" >/dev/null 2>&1; then
    echo "wast2json ($w2j) not found: install wabt; skipping"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/skua-wast-cli-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# run NAME EXPECTED_EXIT ARGS...: runs skua wast, keeps stdout+stderr in $tmp/NAME.out.
run() {
    name=$1
    want=$2
    shift 2
    ${SKUA_EMULATOR:-} "$skua" wast "$@" >"$tmp/$name.out" 2>&1
    got=$?
    if [ "$got" -ne "$want" ]; then
        fail "$name: exit $got, expected $want"
        sed 's/^/    /' "$tmp/$name.out"
    fi
}

# last NAME LINE: the output's last line must be exactly LINE.
last() {
    got=$(tail -n 1 "$tmp/$1.out")
    [ "$got" = "$2" ] || fail "$1: last line \"$got\", expected \"$2\""
}

# has NAME TEXT: the output must contain the fixed string TEXT.
has() {
    grep -qF -- "$2" "$tmp/$1.out" || fail "$1: output lacks \"$2\""
}

# has_re NAME REGEX: some line of the output must match the extended regular expression.
has_re() {
    grep -qE -- "$2" "$tmp/$1.out" || fail "$1: no line matches /$2/"
}

# lacks NAME TEXT: the output must not contain TEXT.
lacks() {
    if grep -qF -- "$2" "$tmp/$1.out"; then fail "$1: output has \"$2\""; fi
}

# Everything passes (compiled and run through the embedding API); 1 is text-format.
run pass 0 --wast2json "$w2j" "$dir/pass.wast"
last pass "12 passed, 0 failed, 1 skipped"
has pass "not run yet: 0"
has_re pass "^assert_malformed +3 +0 +0 +1 +0$"  # passed failed xfail skipped not-run
has_re pass "^assert_trap +1 +0 +0 +0 +0$"
lacks pass "pass.wast:"

# --validate-only: the 5 commands that need execution are not run, never passed.
run validate 0 --validate-only --wast2json "$w2j" "$dir/pass.wast"
last validate "7 passed, 0 failed, 6 skipped"
has validate "not run yet: 5"

# Execution: every kind of value, traps, exhaustion, linking, instantiation traps.
run exec 0 --wast2json "$w2j" -v "$dir/exec.wast"
last exec "30 passed, 0 failed, 0 skipped"
has exec "42 : i32"  # spectest.print_i32, printed with -v
has exec "exec.wast:47: assert_exhaustion: passed"
has exec "exec.wast:59: assert_uninstantiable: passed"
has exec "exec.wast:68: assert_return: passed"  # the first segment's write stayed

# Wrong execution assertions fail, each saying what happened instead.
run execfail 1 --wast2json "$w2j" "$dir/exec_fail.wast"
last execfail "1 passed, 7 failed, 0 skipped"
has execfail "exec_fail.wast:9: assert_return: \"one\" result 0: got i32:1, expected i32:2"
has execfail "exec_fail.wast:10: assert_trap: \"one\" returned i32:1; expected a trap \"unreachable\""
has execfail "exec_fail.wast:11: assert_trap: \"trap\" trapped with \"unreachable\"; expected \"integer overflow\""
has execfail "exec_fail.wast:12: assert_return: \"trap\" trapped with \"unreachable\"; expected i32:1"
has execfail "exec_fail.wast:13: assert_return: \"nan\" result 0: got f32:0x7fa00000 (nan), expected f32:nan:canonical"
has execfail "exec_fail.wast:14: assert_return: \"nan\" result 0: got f32:0x7fa00000 (nan), expected f32:nan:arithmetic"
has execfail "exec_fail.wast:15: assert_unlinkable: module instantiated; expected unlinkable \"unknown import\""

# Three wrong assertions fail, each on its own line with what went wrong.
run fail 1 --wast2json "$w2j" "$dir/fail.wast"
last fail "3 passed, 3 failed, 0 skipped"
has fail "fail.wast:7: assert_invalid: module accepted; expected it rejected with \"type mismatch\""
has fail "fail.wast:10: assert_malformed: module accepted; expected it rejected with \"unexpected end\""
has fail "fail.wast:15: assert_invalid: wrong message: expected \"unknown local\", got \"type mismatch"
lacks fail "fail.wast:19:"

# Listed failures are expected (exit 0); a listed command that passes is a failure.
run xfail 0 --wast2json "$w2j" --expected-failures "$dir/xfail.txt" "$dir/fail.wast"
last xfail "3 passed, 0 failed, 0 skipped"
has xfail "expected failures: 3"
has xfail "fail.wast:15: assert_invalid: expected failure (wrong message on purpose)"
run xpass 1 --wast2json "$w2j" --expected-failures "$dir/xpass.txt" "$dir/fail.wast"
last xpass "2 passed, 4 failed, 0 skipped"
has xpass "fail.wast:19: assert_invalid: passes, but $dir/xpass.txt:2 lists it"

# .json input (wast2json's output, module files beside it) gives the same results.
"$w2j" "$dir/pass.wast" -o "$tmp/pass.json" || fail "wast2json failed"
run json 0 "$tmp/pass.json"
last json "12 passed, 0 failed, 1 skipped"

# A module command whose module is malformed fails (wast2json never writes one, so the
# JSON is written here): 8 bytes of header, then a type section cut short.
printf '\000asm\001\000\000\000\001\005\001' >"$tmp/bad.wasm"
printf '{"source_filename": "bad.wast", "commands": [\n  {"type": "module", "line": 3, "filename": "bad.wasm"}]}\n' >"$tmp/bad.json"
run badmodule 1 "$tmp/bad.json"
last badmodule "0 passed, 1 failed, 0 skipped"
has badmodule "bad.wast:3: module: module failed to load (rejected): length out of bounds"

# Usage and I/O errors exit 2 with a clear message.
run missing 2 --wast2json "$w2j" "$tmp/no-such.wast"
has missing "no-such.wast: No such file or directory"
run nowast2json 2 --wast2json "$tmp/no-wast2json" "$dir/pass.wast"
has nowast2json "not found: install wabt"
printf '{"commands": [' >"$tmp/broken.json"
run brokenjson 2 "$tmp/broken.json"
has brokenjson "malformed JSON"
run nolist 2 --expected-failures "$tmp/no-list.txt" "$tmp/pass.json"
has nolist "no-list.txt"
run badopt 2 --frobnicate "$dir/pass.wast"
run noargs 2

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
