#!/usr/bin/env bash
# Builds planscribe's libFuzzer harnesses (Swift, -sanitize=fuzzer,address) and runs each for
# SECONDS (default 60), seeded with the test fixtures. Leak detection is off: LeakSanitizer
# reports a one-time 1,110-byte runtime allocation on every input, even an empty one. A crash or a failed check stops with the
# reproducer under .build/fuzz/; the figures (executions, coverage) are printed per harness.
# Usage: bash Tests/Fuzz/run.sh [SECONDS] [HARNESS...]     harnesses: transcript stream marker markdown
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}; shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(transcript stream marker markdown)
out=.build/fuzz
mkdir -p "$out"
lib=(Sources/PlanScribe/Transcript/*.swift Sources/PlanScribe/Support/*.swift Sources/PlanScribe/Cost/*.swift Sources/PlanScribe/Phases/*.swift)
for h in "${harnesses[@]}"; do
  extra=()
  case $h in
    stream) extra=(Sources/PlanScribe/Runner/StreamEvent.swift Sources/PlanScribe/Runner/InvocationOutcome.swift) ;;
    markdown) extra=(Sources/PlanScribe/Report/Markdown.swift -I Sources/CMarkGFM -lcmark-gfm -lcmark-gfm-extensions) ;;
  esac
  echo "== building $h" >&2
  swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name PlanScribe \
    "${lib[@]}" "${extra[@]}" "Tests/Fuzz/$h.swift" -o "$out/fuzz-$h"
  corpus="$out/corpus-$h"
  mkdir -p "$corpus"
  case $h in
    transcript) find Tests/PlanScribeTests/Fixtures -name '*.jsonl' -size -300k -exec cp {} "$corpus/" \; ;;
    stream) cp Tests/PlanScribeTests/Fixtures/stream-json/* Tests/PlanScribeTests/Fixtures/planning-run/stream/* "$corpus/" ;;
    *) cp Tests/PlanScribeTests/Fixtures/hostile/payloads.txt "$corpus/"; cp Tests/PlanScribeTests/Golden/demo/phases/*.md "$corpus/" ;;
  esac
  echo "== fuzzing $h for $seconds s" >&2
  (cd "$out" && ASAN_OPTIONS=detect_leaks=0 ./"fuzz-$h" -max_total_time="$seconds" -max_len=262144 -rss_limit_mb=4096 -detect_leaks=0 -print_final_stats=1 "corpus-$h" 2>&1 | tail -12 | grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov:|ERROR|SUMMARY|crash-" || true)
done
