#!/usr/bin/env bash
# Asks the real Claude Code CLI what it charges: for each model, five calls that each report
# 1,000,000 tokens in one bucket (input, output, 5-minute cache write, 1-hour cache write,
# cache read), printing the model the CLI billed and its costUSD. planscribe's built-in price
# table (Sources/PlanScribe/Cost/PriceTable.swift) is checked against this output.
# Usage: probe_prices.sh CLAUDE_BINARY [MODEL...]
set -euo pipefail
claude=$1; shift
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(default opus sonnet haiku fable)
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home" "$scratch/cwd"
echo '{}' > "$scratch/usage.json"
python3 "$here/scripted_model.py" probe "$scratch/port" "$scratch/usage.json" &
server=$!
for _ in $(seq 50); do [ -s "$scratch/port" ] && break; sleep 0.1; done
port=$(cat "$scratch/port")
buckets=(input output cache_write_5m cache_write_1h cache_read)
for model in "${models[@]}"; do
  row="$model"
  for bucket in "${buckets[@]}"; do
    case $bucket in
      input) u='{"input_tokens":1000000,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}';;
      output) u='{"input_tokens":0,"output_tokens":1000000,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}';;
      cache_write_5m) u='{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":1000000,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":1000000,"ephemeral_1h_input_tokens":0}}';;
      cache_write_1h) u='{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":1000000,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":1000000}}';;
      cache_read) u='{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":1000000}';;
    esac
    echo "$u" > "$scratch/usage.json"
    flag=(); [ "$model" = default ] || flag=(--model "$model")
    out=$(cd "$scratch/cwd" && env CLAUDE_CONFIG_DIR="$scratch/home" ANTHROPIC_API_KEY=probe \
      ANTHROPIC_BASE_URL="http://127.0.0.1:$port" CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 \
      timeout 60 "$claude" -p probe --output-format json "${flag[@]}" --no-session-persistence || true)
    row="$row $(printf '%s' "$out" | python3 -c 'import json,sys
o=json.load(sys.stdin)
o=[e for e in o if e.get("type")=="result"][-1] if isinstance(o,list) else o
print(",".join("%s=%s"%(k,v["costUSD"]) for k,v in o.get("modelUsage",{}).items()) or "none")')"
  done
  echo "$row"
done
