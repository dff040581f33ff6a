#!/usr/bin/env python3
"""Writes Tests/PlanScribeTests/Fixtures/hostile/: a session whose every field that reaches a
report is full of script-injection payloads (payloads.txt, one per line).
Run from the repository root: python3 Tests/Recording/make_hostile_fixture.py"""
import json
import os

payloads = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<svg onload=alert(1)>',
    '[click](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '<a href="javascript:alert(1)">a</a>',
    '"><script>alert(2)</script>',
    "'><img src=x onerror=alert(3)>",
    '<iframe src="javascript:alert(4)"></iframe>',
    '![img](javascript:alert(5))',
    '<details open ontoggle=alert(6)>',
    '[d](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==)',
    '[v](vbscript:msgbox(8))',
    '<style>body{display:none}</style>',
    '![remote](https://example.invalid/tracker.png)',
    '<a href="&#106;avascript:alert(9)">entity</a>',
    '<body onload=alert(10)>',
    '<input autofocus onfocus=alert(11)>',
    '<select autofocus onfocus=alert(12)>',
    '<textarea autofocus onfocus=alert(13)>',
    '<video><source onerror=alert(14)>',
    '<audio src=x onerror=alert(15)>',
    '<marquee onstart=alert(16)>',
    '<object data="javascript:alert(17)">',
    '<embed src="javascript:alert(18)">',
    '<form action="javascript:alert(19)"><button>go</button></form>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(20)>',
    '<base href="javascript:alert(21)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(22)">',
    '<link rel=stylesheet href="https://example.invalid/x.css">',
    '<div style="background:url(javascript:alert(23))">',
    '<a href=" javascript:alert(24)">space</a>',
    '<a href="java\tscript:alert(25)">tab</a>',
    '[nl](java\nscript:alert(26))',
    '<scr<script>ipt>alert(27)</scr</script>ipt>',
    '</textarea><script>alert(28)</script>',
    '</title><script>alert(29)</script>',
    '<!--<img src="--><img src=x onerror=alert(30)//">',
    '<svg><script>alert(31)</script></svg>',
    '<svg><a xlink:href="javascript:alert(32)"><text x="20" y="20">X</text></a></svg>',
    '<isindex type=image src=1 onerror=alert(33)>',
    '<table background="javascript:alert(34)">',
    '<img src="x:gif" onerror="window[\'al\'+\'ert\'](35)">',
    '<a href="data:text/html,<script>alert(36)</script>">data</a>',
    '`<script>alert(37)</script>`',
    '```html\n<script>alert(38)</script>\n```',
    '<<script>alert(39);//<</script>',
    '<img """><script>alert(40)</script>">',
    '<IMG SRC=javascript:alert(41)>',
    '<a onmouseover="alert(42)">hover</a>',
    '{{constructor.constructor(\'alert(43)\')()}}',
    '{{{raw}}} {{#x}} mustache {{/x}}',
]
P = "\n\n".join(payloads)
sid = "e0000000-0000-4000-8000-00000000000e"
cwd = "/tmp/evil\"'<script>alert(0)</script>"
model = "claude-x\"'<script>alert(10)</script>"
lines = []


def base(uuid, parent, typ, ts):
    return {"type": typ, "uuid": uuid, "parentUuid": parent, "sessionId": sid, "cwd": cwd,
            "version": "9.9.9\"<script>", "timestamp": "2026-11-25T10:00:%02dZ" % ts}


def assistant(uuid, parent, ts, msg, req, content):
    a = base(uuid, parent, "assistant", ts)
    a["requestId"] = req
    a["message"] = {"id": msg, "role": "assistant", "model": model, "content": content,
                    "usage": {"input_tokens": 10, "output_tokens": 5}}
    return a


u = base("h1", None, "user", 1)
u["message"] = {"role": "user", "content": "/office-hours " + P}
lines.append(u)
lines.append(assistant("h2", "h1", 2, "msg_h2", "req_h2", [{"type": "thinking", "thinking": P, "signature": ""}]))
lines.append(assistant("h3", "h2", 3, "msg_h2", "req_h2", [{"type": "text", "text": P + "\n\nPHASE_STATUS: needs_input"}]))
lines.append(assistant("h4", "h3", 4, "msg_h2", "req_h2", [{"type": "tool_use", "id": "toolu_h1", "name": "Write<script>alert(11)</script>", "input": {"file_path": "<img src=x onerror=alert(12)>.md", "content": P}}]))
lines.append(assistant("h5", "h4", 5, "msg_h2", "req_h2", [{"type": "tool_use", "id": "toolu_h2", "name": "Write", "input": {"file_path": "notes\"<script>alert(13)</script>.md", "content": P}}]))
r = base("h6", "h5", "user", 6)
r["message"] = {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_h1", "content": P},
                                            {"type": "tool_result", "tool_use_id": "toolu_h2", "content": [{"type": "text", "text": P}], "is_error": True}]}
lines.append(r)
u = base("h7", "h6", "user", 7)
u["message"] = {"role": "user", "content": "[EXTERNAL CONTENT]\n" + P + "\n[END EXTERNAL CONTENT]"}
lines.append(u)
lines.append(assistant("h8", "h7", 8, "msg_h8", "req_h8", [{"type": "text", "text": "Done: " + P + "\n\n**PHASE_STATUS: ready_to_advance**"}]))
m = base("h9", "h8", "user", 9)
m["isMeta"] = True
m["message"] = {"role": "user", "content": "<system-reminder>" + P + "</system-reminder>"}
lines.append(m)
s = base("h10", "h9", "system", 10)
s["subtype"] = "stop_hook_summary\"<script>"
s["content"] = P
lines.append(s)
lines.append({"type": "custom-title", "customTitle": "title <script>alert(44)</script>", "sessionId": sid})
folder = "Tests/PlanScribeTests/Fixtures/hostile"
os.makedirs(folder + "/-tmp-evil", exist_ok=True)
with open(f"{folder}/-tmp-evil/{sid}.jsonl", "w") as f:
    for line in lines:
        f.write(json.dumps(line) + "\n")
with open(f"{folder}/payloads.txt", "w") as f:
    f.write("\n".join(p.replace("\n", "\\n").replace("\t", "\\t") for p in payloads) + "\n")
print(len(payloads), "payloads")
