#!/usr/bin/env python3
"""A scripted stand-in for the Messages API, used to record planscribe's fixtures with the
real Claude Code CLI (no network, no credentials).

Usage:
  scripted_model.py planning PORT_FILE      the four-phase planning conversation
  scripted_model.py probe PORT_FILE USAGE_FILE   every call reports the usage held in USAGE_FILE (JSON),
                                                 read anew for each call (to probe the CLI's prices);
                                                 a prompt holding "RUN: command" first gets a Bash call,
                                                 one holding "DELEGATE: task" an Agent call,
                                                 one holding "ASK: question" an AskUserQuestion call,
                                                 one holding "WRITE: path" a Write call,
                                                 one holding "WEB: url | query" ToolSearch, then a
                                                 WebFetch and a WebSearch call;
                                                 once any prompt held "LOOP: command", every answer runs it

It listens on 127.0.0.1 at a free port, writes the port to PORT_FILE and serves until killed.
Each answer is decided from the request alone (stateless), so resumed sessions work.
"""
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODE = sys.argv[1]
PORT_FILE = sys.argv[2]
PROBE_USAGE_FILE = sys.argv[3] if MODE == "probe" else None
COUNTER = [0]
# Ids differ from one server start to the next, as the API's do: planscribe counts a message id
# once across sessions, so recordings made by two starts must not share ids.
RUN = os.urandom(3).hex()
LOCK = threading.Lock()


def next_id():
    with LOCK:
        COUNTER[0] += 1
        return COUNTER[0]


def texts_of(message):
    content = message.get("content")
    if isinstance(content, str):
        return [content]
    out = []
    for block in content or []:
        if block.get("type") == "text":
            out.append(block.get("text", ""))
        elif block.get("type") == "tool_result":
            c = block.get("content")
            if isinstance(c, str):
                out.append(c)
            elif isinstance(c, list):
                out.extend(b.get("text", "") for b in c if b.get("type") == "text")
    return out


def is_tool_result(message):
    content = message.get("content")
    return isinstance(content, list) and any(b.get("type") == "tool_result" for b in content)


PHASES = ["/office-hours", "/plan-ceo-review", "/plan-eng-review", "/plan-design-review"]


def usage(step, phase_index):
    # Distinct, easy-to-check figures for every call.
    return {
        "input_tokens": 1000 + 100 * phase_index + step,
        "output_tokens": 40 + 10 * step,
        "cache_creation_input_tokens": 2000,
        "cache_read_input_tokens": 3000 * (step + 1),
        "cache_creation": {"ephemeral_5m_input_tokens": 1500, "ephemeral_1h_input_tokens": 500},
    }


def text(t):
    return {"type": "text", "text": t}


def thinking(t):
    return {"type": "thinking", "thinking": t, "signature": "c2lnbmF0dXJl"}


def tool(name, inp):
    return {"type": "tool_use", "id": "toolu_scripted%s%04d" % (RUN, next_id()), "name": name, "input": inp}


def planning_answer(body):
    messages = body.get("messages", [])
    all_text = "\n".join(t for m in messages for t in texts_of(m))
    first_user = "\n".join(texts_of(messages[0])) if messages else ""
    if "SUBAGENT-TASK" in first_user:
        # The subagent started by the CEO review.
        if is_tool_result(messages[-1]):
            return [text("Market scan: three direct competitors, all priced per seat above $5.")], 3, 9
        return [tool("Bash", {"command": "echo competitors: 3", "description": "Count competitors"})], 2, 9
    phase_index = next((i for i, p in enumerate(PHASES) if p in first_user), 0)
    phase = PHASES[phase_index]
    # Replies so far: user turns that are prompts, not tool results.
    replies = sum(1 for m in messages if m.get("role") == "user" and "[EXTERNAL CONTENT]" in "\n".join(texts_of(m)))
    last = messages[-1]
    after_tool = is_tool_result(last)
    step = len(messages)
    if phase == "/office-hours":
        if replies == 0:
            return [thinking("The user wants a todo app. First I need to know who it is for."),
                    text("Let's start with the basics.\n\n**Who are the users**, and how many people share one list?\n\nPHASE_STATUS: needs_input")], step, phase_index
        if replies == 1 and not after_tool:
            return [text("Good: small teams. I'll write down what we know so far."),
                    tool("Write", {"file_path": "office-hours.md", "content": "# Office hours\n\n- Users: small teams of 3-10 people\n- Shared lists, assignees, due dates\n"})], step, phase_index
        if replies == 1 and after_tool:
            return [text("Saved `office-hours.md`.\n\nWhat is the **budget** for hosting, per month?\n\n`PHASE_STATUS: needs_input`")], step, phase_index
        return [text("| Decision | Value |\n|---|---|\n| Users | 3-10 per team |\n| Budget | under $50/month |\n\nThat settles office hours.\n\n**PHASE_STATUS: ready_to_advance**")], step, phase_index
    if phase == "/plan-ceo-review":
        if replies == 0 and not after_tool:
            return [text("Before the review I'll have a subagent scan the market."),
                    tool("Agent", {"description": "Scan the market", "prompt": "SUBAGENT-TASK: list competing todo apps for small teams", "subagent_type": "general-purpose", "run_in_background": False})], step, phase_index
        if replies == 0 and after_tool:
            # Protocol slip: no marker at the end of this turn.
            return [text("The market has three competitors, all priced per seat. I recommend a flat team price.")], step, phase_index
        if replies == 1:
            return [text("Do you accept a flat price of $4 per team per month?\n\nPHASE_STATUS: needs_input")], step, phase_index
        return [text("CEO review done: flat pricing, small-team focus.\n\nPHASE_STATUS: ready_to_advance.")], step, phase_index
    if phase == "/plan-eng-review":
        if replies == 0:
            return [thinking("Stack choice: keep it boring."),
                    text("The protocol line looks like this:\n\n```\nPHASE_STATUS: ready_to_advance\n```\n\nBut first: **SQLite or Postgres**?\n\nPHASE_STATUS: needs_input")], step, phase_index
        return [text("Postgres it is. Architecture: one service, one database, server-rendered pages.\n\nPHASE_STATUS: ready_to_advance")], step, phase_index
    return [text("Design review: a single list view with inline editing; dark mode from day one.\n\nPHASE_STATUS: ready_to_advance")], step, phase_index


def probe_answer(body):
    """"probe", or, when the newest prompt asks "RUN: command" and no tool result came back yet,
    a Bash call running that command (to record an invocation killed while a tool runs); "DELEGATE:
    task" likewise gets an Agent call that hands the task to a subagent."""
    users = [m for m in body.get("messages") or [] if m.get("role") == "user"]
    last = users[-1] if users else {}
    for m in users:
        for t in texts_of(m):
            if "LOOP: " in t:
                return [tool("Bash", {"command": t.split("LOOP: ", 1)[1].split("\n")[0].split("<")[0].strip(), "description": "again"})]
    # "WEB: url | query": ToolSearch loads the deferred web tools, then one WebFetch and one
    # WebSearch call, then the answer.
    for at in range(len(users) - 1, -1, -1):
        web = [t for t in texts_of(users[at]) if "WEB: " in t and not is_tool_result(users[at])]
        if web:
            url, query = [x.strip() for x in web[0].split("WEB: ", 1)[1].split("\n")[0].split("<")[0].split("|", 1)]
            results = sum(1 for m in users[at + 1:] if is_tool_result(m))
            if results == 0:
                return [tool("ToolSearch", {"query": "select:WebFetch,WebSearch", "max_results": 2})]
            if results == 1:
                return [tool("WebFetch", {"url": url, "prompt": "What does the page say about pricing?"}), tool("WebSearch", {"query": query})]
            return [text("probe")]
    if not is_tool_result(last):
        for t in texts_of(last):
            if "RUN: " in t:
                return [tool("Bash", {"command": t.split("RUN: ", 1)[1].split("\n")[0].strip(), "description": "probe"})]
            if "WRITE: " in t:
                return [tool("Write", {"file_path": t.split("WRITE: ", 1)[1].split("\n")[0].split("<")[0].strip(), "content": "# Notes\n"})]
            if "ASK: " in t:
                return [tool("AskUserQuestion", {"questions": [{"question": t.split("ASK: ", 1)[1].split("\n")[0].split("<")[0].strip(), "header": "Pricing", "multiSelect": False,
                    "options": [{"label": "Flat per team", "description": "$4 per team per month"}, {"label": "Per seat", "description": "$1 per user per month"}]}]})]
            if "DELEGATE: " in t:
                return [tool("Agent", {"description": "Probe task", "prompt": t.split("DELEGATE: ", 1)[1].split("\n")[0].strip(), "subagent_type": "general-purpose", "run_in_background": False})]
    return [text("probe")]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, code, obj):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.send_json(200, {})

    def do_POST(self):
        length = int(self.headers.get("content-length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        if not self.path.startswith("/v1/messages") or "count_tokens" in self.path:
            self.send_json(200, {"input_tokens": 10})
            return
        model = body.get("model", "claude-sonnet-4-5")
        if os.environ.get("SCRIPTED_MODEL_LOG"):
            with open(os.environ["SCRIPTED_MODEL_LOG"], "a") as log:
                log.write(json.dumps(body) + "\n")
        if MODE == "probe":
            with open(PROBE_USAGE_FILE) as f:
                use = json.load(f)
            blocks = probe_answer(body)
        else:
            blocks, step, phase_index = planning_answer(body)
            use = usage(step, phase_index)
        n = next_id()
        stop = "tool_use" if any(b["type"] == "tool_use" for b in blocks) else "end_turn"
        start_usage = {k: v for k, v in use.items()}
        start_usage["output_tokens"] = 1
        events = [("message_start", {"type": "message_start", "message": {
            "id": "msg_scripted%s%04d" % (RUN, n), "type": "message", "role": "assistant", "model": model,
            "content": [], "stop_reason": None, "stop_sequence": None, "usage": start_usage}})]
        for i, b in enumerate(blocks):
            if b["type"] == "text":
                events.append(("content_block_start", {"type": "content_block_start", "index": i, "content_block": {"type": "text", "text": ""}}))
                events.append(("content_block_delta", {"type": "content_block_delta", "index": i, "delta": {"type": "text_delta", "text": b["text"]}}))
            elif b["type"] == "thinking":
                events.append(("content_block_start", {"type": "content_block_start", "index": i, "content_block": {"type": "thinking", "thinking": ""}}))
                events.append(("content_block_delta", {"type": "content_block_delta", "index": i, "delta": {"type": "thinking_delta", "thinking": b["thinking"]}}))
                events.append(("content_block_delta", {"type": "content_block_delta", "index": i, "delta": {"type": "signature_delta", "signature": b["signature"]}}))
            else:
                events.append(("content_block_start", {"type": "content_block_start", "index": i, "content_block": {"type": "tool_use", "id": b["id"], "name": b["name"], "input": {}}}))
                events.append(("content_block_delta", {"type": "content_block_delta", "index": i, "delta": {"type": "input_json_delta", "partial_json": json.dumps(b["input"])}}))
            events.append(("content_block_stop", {"type": "content_block_stop", "index": i}))
        events.append(("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None}, "usage": {"output_tokens": use["output_tokens"]}}))
        events.append(("message_stop", {"type": "message_stop"}))
        payload = "".join("event: %s\ndata: %s\n\n" % (name, json.dumps(data)) for name, data in events).encode()
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("request-id", "req_scripted%s%04d" % (RUN, n))
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORT_FILE, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
