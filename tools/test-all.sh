#!/usr/bin/env bash
# Installs the test dependencies that are missing (Debian/Ubuntu, apt-get), builds skua and
# runs every test: the README's test command, and exactly what CI (.ci/run) runs.
#
#   bash tools/test-all.sh            # everything
#   SKUA_JOBS=4 bash tools/test-all.sh
#
# Build folders: build/ (release with asserts), build-asan/ (ASan+UBSan, unit and spec tests),
# build-tsan/ (ThreadSanitizer, the multi-threaded compile test), build-aarch64/ (runtime
# tests cross-built, run under qemu-aarch64), build-fuzz/ (clang libFuzzer targets and the
# differential fuzzer under ASan). The test data in ../shared is found by default;
# see README.md for SKUA_SPEC_TESTSUITE, SKUA_WASI_TESTSUITE and SKUA_SIGHTGLASS.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${SKUA_JOBS:-$(nproc)}

# ---- dependencies -------------------------------------------------------------------------
pkgs=(build-essential cmake ninja-build clang pkg-config wabt binaryen libcapstone-dev
      gcc-aarch64-linux-gnu qemu-user python3
      wasi-libc lld libclang-rt-14-dev-wasm32)  # the C test programs (tests/programs)
missing=()
for p in "${pkgs[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "== installing: ${missing[*]}"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

t0=$(date +%s)
step() { echo; echo "== $* (at $(( $(date +%s) - t0 )) s)"; }

# ---- main build: every test ---------------------------------------------------------------
step "build (build/)"
cmake -S . -B build -G Ninja -DSKUA_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
step "ctest (build/)"
ctest --test-dir build -j "$jobs" --output-on-failure

# ---- sanitizers: unit tests and the whole spec run under ASan + UBSan ---------------------
step "build (build-asan/, AddressSanitizer + UndefinedBehaviorSanitizer)"
cmake -S . -B build-asan -G Ninja -DSKUA_WERROR=ON -DSKUA_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-asan -j "$jobs"
step "ctest -L 'unit|spec' (build-asan/)"
ctest --test-dir build-asan -j "$jobs" -L 'unit|spec' --output-on-failure

# ---- ThreadSanitizer: one module compiled on 8 threads at once (tests/tsan) ----------------
step "build (build-tsan/, ThreadSanitizer)"
cmake -S . -B build-tsan -G Ninja -DSKUA_WERROR=ON -DSKUA_TSAN=ON >/dev/null
cmake --build build-tsan -j "$jobs" --target test_threads_compile
step "ctest -L tsan (build-tsan/)"
ctest --test-dir build-tsan -j "$jobs" -L tsan --output-on-failure

# ---- aarch64: the runtime cross-built, its tests under qemu-aarch64 -------------------------------
step "build (build-aarch64/, runtime tests cross-built for aarch64)"
cmake -S . -B build-aarch64 -G Ninja -DSKUA_WERROR=ON \
    -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake >/dev/null
cmake --build build-aarch64 -j "$jobs" --target skua_runtime_tests
step "ctest -L runtime (build-aarch64/, under qemu-aarch64)"
ctest --test-dir build-aarch64 -j "$jobs" -L runtime --output-on-failure

# ---- fuzzing ------------------------------------------------------------------------------------
if [ -f tests/fuzz/CMakeLists.txt ]; then
    step "build (build-fuzz/, clang libFuzzer)"
    CC=clang cmake -S . -B build-fuzz -G Ninja -DSKUA_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build build-fuzz -j "$jobs"
    step "fuzz (60 s per target)"
    ctest --test-dir build-fuzz -L fuzz --output-on-failure
fi

echo
echo "== all tests passed in $(( $(date +%s) - t0 )) s"
