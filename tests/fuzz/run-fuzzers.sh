#!/usr/bin/env bash
# The long fuzz run (README, "Fuzzing"): every libFuzzer target for SECONDS each, JOBS at a
# time, from the seed corpus into the build's growing corpus; prints executions and findings
# per target. Build first (Clang):
#   CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DSALESPIPE_BUILD_EXAMPLES=OFF \
#     -DCMAKE_CXX_FLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
#     -DSALESPIPE_BUILD_FUZZERS=ON && cmake --build build-fuzz -j2 --target fuzz_model fuzz_levers \
#     fuzz_opportunity_csv fuzz_stage_history_csv
# Usage: tests/fuzz/run-fuzzers.sh [BUILD_DIR] [SECONDS] [JOBS]
set -euo pipefail
build=${1:-build-fuzz}
seconds=${2:-600}
jobs=${3:-2}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$build/tests/fuzz"
status=0
run() {
  local t=$1 dict=()
  [[ $t == model || $t == levers ]] && dict=(-dict="$here/model.dict")
  mkdir -p "$dir/corpus/$t" "$dir/findings/$t"
  "$dir/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -max_len=8192 \
    -print_final_stats=1 -artifact_prefix="$dir/findings/$t/" "${dict[@]}" \
    "$dir/corpus/$t" "$dir/seeds/$t" >"$dir/$t.log" 2>&1 || true
  local execs findings
  execs=$(grep -a 'stat::number_of_executed_units' "$dir/$t.log" | awk '{print $2}')
  findings=$(find "$dir/findings/$t" -type f | wc -l)
  echo "fuzz_$t: ${execs:-0} executions in ${seconds} s, $findings findings (crash/timeout/oom in $dir/findings/$t)"
}
targets=(model levers opportunity_csv stage_history_csv)
for ((i = 0; i < ${#targets[@]}; i += jobs)); do
  for t in "${targets[@]:i:jobs}"; do run "$t" & done
  wait
done
find "$dir/findings" -type f | grep -q . && status=1
exit $status
