#!/usr/bin/env bash
# Records the conformance sessions (Tests/PlanScribeTests/Fixtures/conformance) with the real
# Claude Code CLI against scripted_model.py probe: one `claude -p` per case, whose one API call
# reports the case's usage, so the CLI's own cost-state line says what it charged for exactly
# that usage. Strings longer than 1,200 characters (system prompts, tool schemas) are cut to 200.
# Usage: record_conformance.sh CLAUDE_BINARY OUT_FOLDER [CASE_NUMBER...]
set -euo pipefail
claude=$1 out=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
scratch=/tmp/conf  # the folder name is part of the fixture's project folder (-tmp-conf-cwd)
rm -rf "$scratch"; mkdir -p "$scratch/home" "$scratch/cwd" "$out"
echo '{}' > "$scratch/usage.json"
python3 "$here/scripted_model.py" probe "$scratch/port" "$scratch/usage.json" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$scratch/port" ] && break; sleep 0.1; done
port=$(cat "$scratch/port")

t='"input_tokens":1000,"output_tokens":37,"cache_creation_input_tokens":2048,"cache_read_input_tokens":3000'
zero='"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0}'
# number | model | prompt | usage
cases=(
  "1|claude-sonnet-5-5|cache write, zero breakdown|{$t,$zero}"
  "2|claude-sonnet-5-5|cache write, partial 1h breakdown|{$t,\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":500}}"
  "3|claude-sonnet-5-5|cache write, breakdown above the total|{$t,\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":5000}}"
  "4|claude-opus-5-5|1h writes only|{$t,\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":2048}}"
  "5|claude-haiku-5-5|haiku short prompt|{\"input_tokens\":94952,\"output_tokens\":37,\"cache_creation_input_tokens\":2048,\"cache_read_input_tokens\":3000,$zero}"
  "6|claude-haiku-5-5|haiku long prompt|{\"input_tokens\":94953,\"output_tokens\":37,\"cache_creation_input_tokens\":2048,\"cache_read_input_tokens\":3000,$zero}"
  "7|claude-sonnet-5|sonnet 5|{$t,$zero}"
  "8|claude-opus-5|opus 5|{$t,$zero}"
  "9|claude-sonnet-5-5|served in the US|{$t,$zero,\"inference_geo\":\"us\",\"speed\":\"standard\"}"
  "10|claude-sonnet-5-5|three web searches|{$t,$zero,\"server_tool_use\":{\"web_search_requests\":3,\"web_fetch_requests\":1},\"inference_geo\":\"\"}"
  "11|claude-opus-5-5|fast mode|{$t,$zero,\"speed\":\"fast\"}"
  "12|claude-opus-5-5|fast, in the US, two web searches|{$t,\"cache_creation\":{\"ephemeral_5m_input_tokens\":1048,\"ephemeral_1h_input_tokens\":1000},\"speed\":\"fast\",\"inference_geo\":\"us\",\"server_tool_use\":{\"web_search_requests\":2,\"web_fetch_requests\":0}}"
  "13|claude-haiku-5-5|haiku long prompt in the US|{\"input_tokens\":200000,\"output_tokens\":37,\"cache_creation_input_tokens\":2048,\"cache_read_input_tokens\":3000,$zero,\"inference_geo\":\"us\"}"
  "14|claude-opus-4-6|fast mode at six times|{$t,$zero,\"speed\":\"fast\"}"
)
# Runs the CLI once in the scratch project: cli PROMPT ARGS…; prints its total_cost_usd (an
# invocation that ends in error, such as error_max_turns, prints one too).
cli() {
  local prompt=$1; shift
  (cd "$scratch/cwd" && { env CLAUDE_CONFIG_DIR="$scratch/home" ANTHROPIC_API_KEY=probe \
    ANTHROPIC_BASE_URL="http://127.0.0.1:$port" CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 \
    timeout 60 "$claude" -p "$prompt" --output-format json "$@" || true; } |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["total_cost_usd"])')
}
wanted() { [ $# -eq 1 ] || printf '%s\n' "${@:2}" | grep -qx "$1"; }
session() { printf 'c0000000-0000-4000-8000-%012d' "$1"; }
# Copies a recorded session (and its subagents' files) into OUT, long strings cut.
keep() {
  local from="$scratch/home/projects/-tmp-conf-cwd"
  if [ -d "$from/$1" ]; then
    (cd "$from" && find "$1" -type f) | while read -r f; do
      mkdir -p "$out/$(dirname "$f")"
      case $f in *.jsonl) cut_long "$from/$f" "$out/$f";; *) cp "$from/$f" "$out/$f";; esac
    done
  fi
  cut_long "$from/$1.jsonl" "$out/$1.jsonl"
}
cut_long() {
  python3 - "$1" "$2" <<'PY'
import json, sys
def cut(v):
    if isinstance(v, str): return v[:200] if len(v) > 1200 else v
    if isinstance(v, list): return [cut(x) for x in v]
    if isinstance(v, dict): return {k: cut(x) for k, x in v.items()}
    return v
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as o:
    for line in f:
        o.write(json.dumps(cut(json.loads(line)), ensure_ascii=False, separators=(",", ":")) + "\n")
PY
}

for row in "${cases[@]}"; do
  IFS='|' read -r n model prompt usage <<<"$row"
  wanted "$n" "$@" || continue
  id=$(session "$n")
  echo "$usage" > "$scratch/usage.json"
  reported=$(cli "$prompt" --model "$model" --session-id "$id")
  keep "$id"
  echo "$n $model $prompt: total_cost_usd $reported"
done

# Sessions of several invocations, each call reporting the same usage.
echo '{"input_tokens":1000,"output_tokens":37,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}' > "$scratch/usage.json"
model=claude-sonnet-5
# 15: an invocation killed while its Bash call runs, then resumed: the CLI's figure leaves the
# killed invocation's call out.
if wanted 15 "$@"; then
  id=$(session 15)
  cli "first invocation" --model $model --session-id "$id" >/dev/null
  (cd "$scratch/cwd" && env CLAUDE_CONFIG_DIR="$scratch/home" ANTHROPIC_API_KEY=probe \
    ANTHROPIC_BASE_URL="http://127.0.0.1:$port" CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 \
    "$claude" -p "RUN: python3 -c 'import time; time.sleep(60)'" --output-format json --model $model \
    --resume "$id" --allowedTools Bash >/dev/null 2>&1) &
  killed=$!
  for _ in $(seq 100); do grep -q 'time.sleep(60)' "$scratch/home/projects/-tmp-conf-cwd/$id.jsonl" 2>/dev/null && grep -q '"tool_use"' "$scratch/home/projects/-tmp-conf-cwd/$id.jsonl" && break; sleep 0.1; done
  sleep 1
  pkill -9 -f "RUN: python3 -c 'import time; time.sleep\(60\)'" || true
  pkill -f "time.sleep\(60\)" || true
  wait "$killed" || true
  echo "15 $model killed and resumed: total_cost_usd $(cli "after the kill" --model $model --resume "$id")"
  keep "$id"
fi
# 17: a phase run in two invocations, then forked twice (--resume --fork-session): once with a
# prompt that hands a task to a subagent, once with a plain prompt. Each fork's cost-state goes on
# from the parent's total at the fork; its calls belong to the parent's phase.
if wanted 17 "$@"; then
  id=$(session 17)
  cli "/office-hours plan a todo app" --model $model --session-id "$id" >/dev/null
  cli "second prompt" --model $model --resume "$id" >/dev/null
  fork_cost() { cli "$1" --model $model --resume "$id" --fork-session; }
  with=$(fork_cost "forked prompt DELEGATE: look around")
  without=$(fork_cost "a plain forked prompt")
  echo "17 $model parent: total_cost_usd $(cli "third prompt in the parent" --model $model --resume "$id"); forks $with (with a subagent), $without"
  keep "$id"
  for f in "$scratch/home/projects/-tmp-conf-cwd"/*.jsonl; do
    fork=$(basename "$f" .jsonl)
    case $fork in c0000000-*) ;; *) keep "$fork";; esac
  done
fi
# 18: a skill (.claude/skills/office-hours) and a custom command (.claude/commands/
# plan-ceo-review.md) run as phases, with and without arguments; the command's prompt makes the
# agent call AskUserQuestion, which the CLI refuses in -p mode.
if wanted 18 "$@"; then
  id=$(session 18)
  mkdir -p "$scratch/cwd/.claude/skills/office-hours" "$scratch/cwd/.claude/commands"
  printf '%s\n' '---' 'name: office-hours' 'description: Office hours for a product idea; asks about users and scope.' '---' \
    'Ask the user about their users and the scope, one question at a time.' > "$scratch/cwd/.claude/skills/office-hours/SKILL.md"
  printf '%s\n' '---' 'description: Review the plan as a CEO would.' '---' \
    'Review the plan as a CEO would: market, pricing, scope. $ARGUMENTS' > "$scratch/cwd/.claude/commands/plan-ceo-review.md"
  cli "/office-hours A todo app" --model $model --session-id "$id" >/dev/null
  cli "/plan-ceo-review ASK: Do you accept a flat price of \$4 per team per month?" --model $model --resume "$id" >/dev/null
  echo "18 $model skill and command: total_cost_usd $(cli "/plan-ceo-review" --model $model --resume "$id")"
  rm -rf "$scratch/cwd/.claude"
  keep "$id"
fi
# 19: a prompt edited and re-sent (--resume-session-at the first answer) after two more
# prompts: those two exchanges are an abandoned branch, billed all the same.
if wanted 19 "$@"; then
  id=$(session 19)
  cli "/office-hours plan a todo app" --model $model --session-id "$id" >/dev/null
  at=$(python3 -c 'import json,sys
print([json.loads(l)["uuid"] for l in open(sys.argv[1]) if json.loads(l).get("type") == "assistant"][-1])' "$scratch/home/projects/-tmp-conf-cwd/$id.jsonl")
  cli "second prompt, to be abandoned" --model $model --resume "$id" >/dev/null
  cli "third prompt, to be abandoned" --model $model --resume "$id" >/dev/null
  echo "19 $model edited and re-sent: total_cost_usd $(cli "the edited second prompt" --model $model --resume "$id" --resume-session-at "$at")"
  keep "$id"
fi
# 20: a looping phase: the agent runs Bash again and again until the CLI's turn limit stops it
# (error_max_turns), then once more after a retry prompt.
if wanted 20 "$@"; then
  id=$(session 20)
  cli "/office-hours LOOP: true" --model $model --session-id "$id" --max-turns 3 --allowedTools Bash >/dev/null
  echo "20 $model looping: total_cost_usd $(cli "You ran out of turns. Continue the phase from where you stopped." --model $model --resume "$id" --max-turns 2 --allowedTools Bash)"
  keep "$id"
fi
# 21: a phase whose Write call the CLI refuses (no permission was granted in -p mode).
if wanted 21 "$@"; then
  id=$(session 21)
  echo "21 $model denied write: total_cost_usd $(cli "/office-hours WRITE: notes.md" --model $model --session-id "$id")"
  keep "$id"
fi
# 22: the web tools: the agent loads them (ToolSearch), then fetches a page and searches, both
# allowed; with no network here, what the CLI records for each is its failure.
if wanted 22 "$@"; then
  id=$(session 22)
  echo "22 $model web tools: total_cost_usd $(cli "/office-hours WEB: https://example.com/pricing | todo app pricing for small teams" --model $model --session-id "$id" --allowedTools WebFetch,WebSearch,ToolSearch)"
  keep "$id"
fi
# 16: a compaction (/compact) between two prompts: the CLI bills its calls, which write no
# transcript line.
if wanted 16 "$@"; then
  id=$(session 16)
  cli "before compaction" --model $model --session-id "$id" >/dev/null
  cli "/compact" --model $model --resume "$id" >/dev/null
  echo "16 $model compacted: total_cost_usd $(cli "after compaction" --model $model --resume "$id")"
  keep "$id"
fi
