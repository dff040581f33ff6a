#!/usr/bin/env python3
"""Works out the figures planscribe's tests expect, independently of planscribe's code.

For every session under the given folders: API calls de-duplicated by (message.id, requestId)
keeping the largest output_tokens (main-thread copy preferred, synthetic errors skipped, calls
already counted by an earlier-starting session skipped), token sums, cost with Decimal
arithmetic from the price table below, the CLI's reported cost (last cost-state line), the
conversation's user+assistant messages (parentUuid walk from the last user/assistant line,
split lines merged) and tool calls (main conversation and subagent files).
The results are pasted into Tests/PlanScribeTests; rerun this when a fixture changes.
"""
import glob
import json
import os
import sys
from decimal import Decimal as D

PRICES = {  # USD per million tokens: input, output, 5m write, 1h write, cache read
    "claude-opus-5-5": ("4", "20", "5", "8", "0.2"),
    "claude-sonnet-4-6": ("3", "15", "3.75", "6", "0.3"),
    "claude-sonnet-4-5": ("3", "15", "3.75", "6", "0.3"),
    "claude-opus-4-5": ("5", "25", "6.25", "10", "0.5"),
    "claude-haiku-4-5": ("1", "5", "1.25", "2", "0.1"),
    "claude-sonnet-4": ("3", "15", "3.75", "6", "0.3"),
    "claude-opus-4-6": ("5", "25", "6.25", "10", "0.5"),
    "claude-opus-4": ("15", "75", "18.75", "30", "1.5"),
}


def price(model):
    m = model.split("[")[0]
    parts = m.split("-")
    if len(parts[-1]) == 8 and parts[-1].isdigit():
        m = "-".join(parts[:-1])
    return PRICES.get(m)


def lines(path):
    out = []
    for n, raw in enumerate(open(path, "rb").read().split(b"\n"), 1):
        try:
            out.append((n, json.loads(raw)))
        except Exception:
            pass
    return [(n, o) for n, o in out if isinstance(o, dict)]


def first_ts(path):
    for _, o in lines(path):
        if o.get("timestamp"):
            return o["timestamp"]
    return ""


def main(roots):
    files = []
    for root in roots:
        if root.endswith(".jsonl"):
            files.append(root)
            continue
        files += [f for f in glob.glob(os.path.join(root, "**", "*.jsonl"), recursive=True)
                  if "/subagents/" not in f]
    files.sort(key=lambda f: (first_ts(f), f))
    seen_keys, seen_uuids = set(), set()
    for f in files:
        stem = f[:-6]
        subs = sorted(glob.glob(os.path.join(stem, "subagents", "**", "*.jsonl"), recursive=True))
        main_lines = [(n, o) for n, o in lines(f) if not (o.get("uuid") and o["uuid"] in seen_uuids)]
        calls = {}
        for src, ls in [(f, main_lines)] + [(s, lines(s)) for s in subs]:
            for n, o in ls:
                if o.get("type") != "assistant":
                    continue
                m = o.get("message") or {}
                if m.get("model") == "<synthetic>" or o.get("isApiErrorMessage"):
                    continue
                u = m.get("usage")
                if u is None:
                    continue
                key = (m.get("id"), o.get("requestId"))
                if key in seen_keys:
                    continue
                side = src != f or bool(o.get("isSidechain"))
                cc = u.get("cache_creation") or {}
                if "ephemeral_5m_input_tokens" in cc or "ephemeral_1h_input_tokens" in cc:
                    w5, w1 = cc.get("ephemeral_5m_input_tokens", 0), cc.get("ephemeral_1h_input_tokens", 0)
                else:
                    w5, w1 = u.get("cache_creation_input_tokens", 0), 0
                if not all(isinstance(v, int) for v in (u.get("input_tokens", 0), u.get("output_tokens", 0), w5, w1, u.get("cache_read_input_tokens", 0))):
                    continue  # a malformed line: planscribe reports it and leaves it out
                entry = dict(model=m.get("model"), inp=u.get("input_tokens", 0), out=u.get("output_tokens", 0),
                             w5=w5, w1=w1, cr=u.get("cache_read_input_tokens", 0), side=side)
                old = calls.get(key)
                if old is None or entry["out"] > old["out"] or (old["side"] and not side):
                    calls[key] = entry
        # sidechain copies of main-thread messages (same message id) are not calls
        main_ids = {k[0] for k, e in calls.items() if not e["side"]}
        calls = {k: e for k, e in calls.items() if not (e["side"] and k[0] in main_ids)}
        seen_keys |= set(calls)
        tot = dict(inp=0, out=0, w5=0, w1=0, cr=0)
        cost = D(0)
        for e in calls.values():
            for k in tot:
                tot[k] += e[k]
            p = price(e["model"])
            if p is None:
                print("  no price for", e["model"])
                continue
            cost += (D(e["inp"]) * D(p[0]) + D(e["out"]) * D(p[1]) + D(e["w5"]) * D(p[2]) + D(e["w1"]) * D(p[3]) + D(e["cr"]) * D(p[4])) / D(1000000)
        reported = None
        for _, o in main_lines:
            if o.get("type") == "cost-state":
                reported = o.get("totalCostUSD")
        # conversation walk
        by_uuid = {}
        for n, o in main_lines:
            if o.get("uuid") and o["uuid"] not in by_uuid:
                by_uuid[o["uuid"]] = (n, o)
        leaf = None
        for n, o in main_lines:
            if o.get("type") in ("user", "assistant") and not o.get("isSidechain") and o.get("uuid"):
                leaf = o
        path, cur, guard = [], leaf, set()
        while cur is not None and cur["uuid"] not in guard:
            guard.add(cur["uuid"])
            path.append(cur)
            nxt = cur.get("parentUuid") or cur.get("logicalParentUuid")
            cur = by_uuid.get(nxt, (0, None))[1] if nxt else None
        msgs, merged = 0, set()
        tools = set()
        for o in path:
            if o.get("type") not in ("user", "assistant"):
                continue
            m = o.get("message") or {}
            if o["type"] == "assistant" and m.get("id"):
                k = (m["id"], o.get("requestId"))
                if k in merged:
                    pass
                else:
                    merged.add(k)
                    msgs += 1
            else:
                msgs += 1
            for b in m.get("content") if isinstance(m.get("content"), list) else []:
                if b.get("type") in ("tool_use", "server_tool_use"):
                    tools.add(b.get("id"))
        for s in subs:
            for _, o in lines(s):
                c = (o.get("message") or {}).get("content")
                for b in c if isinstance(c, list) else []:
                    if b.get("type") in ("tool_use", "server_tool_use"):
                        tools.add(b.get("id"))
        for _, o in main_lines:
            if o.get("uuid"):
                seen_uuids.add(o["uuid"])
        q = cost.quantize(D("0.000000000001"))
        print(f"{os.path.basename(stem)[:8]} calls={len(calls)} messages={msgs} tools={len(tools)} "
              f"in={tot['inp']} out={tot['out']} w5={tot['w5']} w1={tot['w1']} read={tot['cr']} "
              f"estimated={q} reported={reported}")


main(sys.argv[1:])
