#!/usr/bin/env bash
# scripts/fuzz.sh SECONDS [HARNESS...]
# Builds the libFuzzer harnesses of tests/fuzz/ with clang, ASan and UBSan in
# build-fuzz/ (BUILD_DIR picks another folder; further CMake arguments go in
# FUZZ_CMAKE_ARGS) and runs each (all of them, or those named: idxfile modelfile
# attributetable imageio ...) for SECONDS, one after the other, niced. SECONDS 0 only
# builds. The committed corpus (tests/fuzz/corpus/NAME) is read, never written: new
# inputs go to build-fuzz/corpus/NAME, crashing ones (crash-*, leak-*, oom-*,
# timeout-*) to build-fuzz/findings/. Generated inputs stay under 64 KiB (FUZZ_MAX_LEN):
# a regression file of 800 KB made the model harness mutate inputs that large, at
# 47 exec/s; ctest replays such files whole, the fuzzer sees their start. Prints per harness the executions, exec/s and
# peak memory, and exits non-zero when any harness found a crash, a leak, an
# allocation past 2 GB or an input taking over 25 s. Not part of .ci/run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -lt 1 ] || ! [[ "$1" =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/fuzz.sh SECONDS [HARNESS...]   (SECONDS per harness; 0 only builds)" >&2
  exit 2
fi
SECONDS_EACH="$1"; shift
export BUILD_DIR="${BUILD_DIR:-$ROOT/build-fuzz}"
HARNESSES=("$@")
if [ "${#HARNESSES[@]}" -eq 0 ]; then
  for source in "$ROOT"/tests/fuzz/fuzz_*.cpp; do
    name="$(basename "$source" .cpp)"; HARNESSES+=("${name#fuzz_}")
  done
fi

targets=""
for h in "${HARNESSES[@]}"; do
  [ -f "$ROOT/tests/fuzz/fuzz_$h.cpp" ] || { echo "fuzz: no harness tests/fuzz/fuzz_$h.cpp" >&2; exit 2; }
  targets+="fuzz_$h "
done
# Only the libraries and the harnesses: no window, no Qt Test suite.
# shellcheck disable=SC2086
# clang and its sanitizer and libFuzzer runtimes, on top of what setup.sh installs.
LATENTLAB_EXTRA_PACKAGES="clang libclang-rt-14-dev" LATENTLAB_BUILD_TARGETS="${targets% }" "$ROOT/scripts/setup.sh" \
  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLATENTLAB_FUZZ=ON -DLATENTLAB_GUI=OFF -DLATENTLAB_TESTS=OFF ${FUZZ_CMAKE_ARGS:-}
[ "$SECONDS_EACH" -eq 0 ] && { echo "fuzz: built ${targets% }" >&2; exit 0; }

# Leaks and undefined behaviour inside the libraries we link are theirs (see sanitize.sh).
export ASAN_OPTIONS="detect_stack_use_after_return=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$ROOT/scripts/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$ROOT/scripts/ubsan.supp"
FINDINGS="$BUILD_DIR/findings"
mkdir -p "$FINDINGS" "$BUILD_DIR/fuzz-logs"

failed=0
summary=()
for h in "${HARNESSES[@]}"; do
  corpus="$BUILD_DIR/corpus/$h"
  log="$BUILD_DIR/fuzz-logs/$h.log"
  mkdir -p "$corpus"
  echo "fuzz: $h for ${SECONDS_EACH}s (log: $log)" >&2
  set +e
  nice -n 10 "$BUILD_DIR/bin/fuzz_$h" -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
    -rss_limit_mb=2048 -timeout=25 -max_len="${FUZZ_MAX_LEN:-65536}" -artifact_prefix="$FINDINGS/$h-" \
    "$corpus" "$ROOT/tests/fuzz/corpus/$h" >"$log" 2>&1 &
  pid=$!
  wait "$pid"
  rc=$?
  set -e
  rm -rf "/dev/shm/latentlab-fuzz-$pid" # the harness's scratch folder, left by a crash
  final_stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
  executions="$(final_stat number_of_executed_units)"; speed="$(final_stat average_exec_per_sec)"; rss="$(final_stat peak_rss_mb)"
  verdict="ok"
  if [ "$rc" -ne 0 ]; then
    failed=1
    verdict="FAILED (exit $rc): $(grep -m1 -E '^==[0-9]+==ERROR|runtime error|deadly signal|out-of-memory|timeout after|terminate called' "$log" || tail -1 "$log")"
    grep -h -m1 'Test unit written to' "$log" >&2 || true
  fi
  summary+=("$(printf '%-16s %12s execs %8s exec/s %6s MB peak  %s' "$h" "${executions:-?}" "${speed:-?}" "${rss:-?}" "$verdict")")
done

echo "fuzz: ${SECONDS_EACH}s per harness" >&2
printf '%s\n' "${summary[@]}" >&2
if [ "$failed" -ne 0 ]; then
  echo "fuzz: findings in $FINDINGS (replay one: $BUILD_DIR/bin/fuzz_NAME FILE)" >&2
  exit 1
fi
