#!/usr/bin/env bash
# Builds planscribe's libFuzzer harnesses (Swift, -sanitize=fuzzer,address) and runs each for
# SECONDS (default 60), seeded with the test fixtures. Leak detection is off: LeakSanitizer
# reports a one-time 1,110-byte runtime allocation on every input, even an empty one. A crash or a failed check stops with the
# reproducer under .build/fuzz/; the figures (executions, coverage) are printed per harness.
# Usage: bash Tests/Fuzz/run.sh [SECONDS] [HARNESS...]     harnesses: transcript stream marker markdown plan
# (plan builds the Yams checkout under .build/checkouts with the same instrumentation; run
# `swift build` once first so that it is there.)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}; shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(transcript stream marker markdown plan)
out=.build/fuzz
mkdir -p "$out"
lib=(Sources/PlanScribe/Transcript/*.swift Sources/PlanScribe/Support/*.swift Sources/PlanScribe/Cost/*.swift Sources/PlanScribe/Phases/*.swift)
for h in "${harnesses[@]}"; do
  extra=()
  case $h in
    stream) extra=(Sources/PlanScribe/Runner/StreamEvent.swift Sources/PlanScribe/Runner/InvocationOutcome.swift) ;;
    markdown) extra=(Sources/PlanScribe/Report/Markdown.swift Sources/PlanScribe/Report/InertMarkdown.swift Sources/PlanScribe/Report/PlainMarkdown.swift -I Sources/CMarkGFM -lcmark-gfm -lcmark-gfm-extensions) ;;
    plan)
      yams=.build/checkouts/Yams/Sources
      [ -d "$yams" ] || { echo "run swift build first: $yams is missing" >&2; exit 1; }
      if [ ! -f "$out/yams/libYams.a" ]; then  # built once: it takes two minutes
        mkdir -p "$out/yams"
        for c in "$yams"/CYaml/src/*.c; do
          clang -O1 -DYAML_DECLARE_STATIC -fsanitize=fuzzer-no-link,address -I "$yams/CYaml/include" -c "$c" -o "$out/yams/$(basename "$c" .c).o"
        done
        swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name Yams -DSWIFT_PACKAGE -Xcc -DYAML_DECLARE_STATIC \
          -I "$yams/CYaml/include" -emit-module -emit-module-path "$out/yams/Yams.swiftmodule" \
          -emit-library -static "$yams"/Yams/*.swift -o "$out/yams/libYams.a"
      fi
      extra=(Sources/PlanScribe/Runner/Plan.swift Sources/PlanScribe/Runner/PlanReader.swift Sources/PlanScribe/Runner/PlanError.swift Sources/PlanScribe/Runner/StarterFiles.swift -I "$out/yams" -I "$yams/CYaml/include" -L "$out/yams" -lYams "$out"/yams/*.o)
      mkdir -p "$out/plan-cwd/prompts"; echo "fuzz" > "$out/plan-cwd/prompts/planning_agent.md" ;;
  esac
  echo "== building $h" >&2
  swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name PlanScribe \
    "${lib[@]}" "${extra[@]}" "Tests/Fuzz/$h.swift" -o "$out/fuzz-$h" 2>"$out/build-$h.log" \
    || { cat "$out/build-$h.log" >&2; exit 1; }
  # gold warns about every ASan register helper when the C objects are linked in; nothing else is hidden
  grep -v "Cannot export local symbol" "$out/build-$h.log" >&2 || true
  corpus="$out/corpus-$h"
  mkdir -p "$corpus"
  case $h in
    transcript) find Tests/PlanScribeTests/Fixtures -name '*.jsonl' -size -300k -exec cp {} "$corpus/" \; ;;
    stream) cp Tests/PlanScribeTests/Fixtures/stream-json/* Tests/PlanScribeTests/Fixtures/planning-run/stream/* "$corpus/" ;;
    plan) cp prompts/*.yaml "$corpus/"; find Tests/PlanScribeTests/Fixtures -name '*.yaml' -exec cp {} "$corpus/" \; ;;
    *) cp Tests/PlanScribeTests/Fixtures/hostile/payloads.txt "$corpus/"; cp Tests/PlanScribeTests/Golden/demo/phases/*.md "$corpus/" ;;
  esac
  echo "== fuzzing $h for $seconds s" >&2
  (cd "$out" && ASAN_OPTIONS=detect_leaks=0 ./"fuzz-$h" -max_total_time="$seconds" -max_len=262144 -rss_limit_mb=4096 -detect_leaks=0 -print_final_stats=1 "corpus-$h" 2>&1 | tail -12 | grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov:|ERROR|SUMMARY|crash-" || true)
done
