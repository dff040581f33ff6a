#!/usr/bin/env bash
# Records the four-phase planning fixture with the real Claude Code CLI against the scripted
# model (scripted_model.py planning). Each phase is a fresh `claude -p "/<phase> <description>"`
# and each canned reply a `--resume <session>` call, the way `planscribe run` drives them.
# Usage: record_planning.sh CLAUDE_BINARY OUT_DIR
# Leaves OUT_DIR/projects/ (the transcripts the CLI wrote) and OUT_DIR/stream/ (its stdout).
set -euo pipefail
claude=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/planscribe-fixture/todo-app
rm -rf /tmp/planscribe-fixture "$out"
mkdir -p "$work" /tmp/planscribe-fixture/home "$out/stream"
python3 "$here/scripted_model.py" planning /tmp/planscribe-fixture/port &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s /tmp/planscribe-fixture/port ] && break; sleep 0.1; done
port=$(cat /tmp/planscribe-fixture/port)
description="A shared todo app for small teams"
system_prompt="You are a planning agent for the project todo-app. End every turn with exactly one line: PHASE_STATUS: ready_to_advance or PHASE_STATUS: needs_input."
n=0
invoke() { # name args...
  local name=$1; shift
  n=$((n + 1))
  (cd "$work" && env CLAUDE_CONFIG_DIR=/tmp/planscribe-fixture/home ANTHROPIC_API_KEY=fixture \
    ANTHROPIC_BASE_URL="http://127.0.0.1:$port" CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 IS_SANDBOX=1 \
    timeout 120 "$claude" "$@" --output-format stream-json --verbose --max-turns 20 \
    --dangerously-skip-permissions) > "$out/stream/$(printf %02d $n)-$name.jsonl" || true
}
session_of() { python3 -c 'import json,sys
ids=[json.loads(l).get("session_id") for l in open(sys.argv[1]) if l.strip()]
print([i for i in ids if i][-1])' "$out/stream/$(printf %02d $n)-$1.jsonl"; }
reply() { printf '[EXTERNAL CONTENT]\n%s\n[END EXTERNAL CONTENT]' "$1"; }

invoke office-hours -p "/office-hours $description" --system-prompt "$system_prompt"
s=$(session_of office-hours)
invoke office-hours-reply1 -p "$(reply 'Small teams of 3-10 people.')" --resume "$s"
invoke office-hours-reply2 -p "$(reply 'Under $50 a month.')" --resume "$s"

invoke plan-ceo-review -p "/plan-ceo-review $description" --system-prompt "$system_prompt"
s=$(session_of plan-ceo-review)
invoke plan-ceo-review-nudge -p "$(reply 'End your turn with the PHASE_STATUS line.')" --resume "$s"
invoke plan-ceo-review-reply1 -p "$(reply 'Yes, a flat price per team.')" --resume "$s"

invoke plan-eng-review -p "/plan-eng-review $description" --system-prompt "$system_prompt" --model claude-sonnet-4-6
s=$(session_of plan-eng-review)
invoke plan-eng-review-reply1 -p "$(reply 'Postgres.')" --resume "$s" --model claude-sonnet-4-6

invoke plan-design-review -p "/plan-design-review $description" --system-prompt "$system_prompt"
cp -r /tmp/planscribe-fixture/home/projects "$out/projects"
ls -R "$out"
