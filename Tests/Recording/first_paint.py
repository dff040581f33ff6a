#!/usr/bin/env python3
"""First paint of a report page in headless Chromium, through the DevTools protocol (no
libraries: a minimal WebSocket client). Usage: first_paint.py PAGE.html
Prints the page, its size, and [first-paint, first-contentful-paint, domContentLoaded, load] in
milliseconds from navigation start."""
import base64, json, os, socket, subprocess, sys, time, urllib.request
page = sys.argv[1]
port = 9333
proc = subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--remote-debugging-port={port}", "--window-size=1200,900", "about:blank"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(100):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=1); break
    except Exception: time.sleep(0.1)
req = urllib.request.Request(f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT")
target = json.load(urllib.request.urlopen(req))
ws_url = target["webSocketDebuggerUrl"]
host, path = ws_url[len("ws://"):].split("/", 1)
h, p = host.split(":")
s = socket.create_connection((h, int(p)))
key = base64.b64encode(os.urandom(16)).decode()
s.send(f"GET /{path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
buf = b""
while b"\r\n\r\n" not in buf: buf += s.recv(4096)
rest = buf.split(b"\r\n\r\n", 1)[1]
def send(obj):
    data = json.dumps(obj).encode()
    header = bytearray([0x81])
    n = len(data)
    if n < 126: header.append(0x80 | n)
    elif n < 65536: header += bytes([0x80 | 126]) + n.to_bytes(2, "big")
    else: header += bytes([0x80 | 127]) + n.to_bytes(8, "big")
    mask = os.urandom(4)
    s.send(bytes(header) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))
pending = [rest]
def recv():
    global pending
    data = pending[0] if pending else b""
    pending = []
    def need(k):
        nonlocal data
        while len(data) < k: data += s.recv(65536)
    need(2)
    n = data[1] & 0x7F; off = 2
    if n == 126: need(4); n = int.from_bytes(data[2:4], "big"); off = 4
    elif n == 127: need(10); n = int.from_bytes(data[2:10], "big"); off = 10
    need(off + n)
    msg = data[off:off + n]; pending = [data[off + n:]]
    return json.loads(msg)
mid = [0]
def call(method, params=None):
    mid[0] += 1; send({"id": mid[0], "method": method, "params": params or {}})
    while True:
        m = recv()
        if m.get("id") == mid[0]: return m
call("Page.enable")
t0 = time.time()
call("Page.navigate", {"url": "file://" + page})
while True:
    m = recv()
    if m.get("method") == "Page.loadEventFired": break
load = time.time() - t0
r = call("Runtime.evaluate", {"expression": "JSON.stringify(performance.getEntriesByType('paint').map(e => [e.name, Math.round(e.startTime)]).concat([['domContentLoaded', Math.round(performance.timing.domContentLoadedEventEnd - performance.timing.navigationStart)], ['load', Math.round(performance.timing.loadEventEnd - performance.timing.navigationStart)]]))", "returnByValue": True})
print(os.path.basename(page), os.path.getsize(page), r["result"]["result"]["value"], f"wall load {load:.2f}s")
proc.terminate()
