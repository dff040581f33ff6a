"""A minimal client of headless Chromium's DevTools protocol (no libraries: a small WebSocket
client), for the recording scripts. `Browser(width, height)` starts Chromium; `call(method,
params)` sends a command and returns its reply; `events` holds what arrived meanwhile."""
import base64, json, os, socket, subprocess, time, urllib.request


class Browser:
    def __init__(self, width=1200, height=900, port=9333):
        self.proc = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--remote-debugging-port={port}", f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        req = urllib.request.Request(f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT")
        ws_url = json.load(urllib.request.urlopen(req))["webSocketDebuggerUrl"]
        host, path = ws_url[len("ws://"):].split("/", 1)
        h, p = host.split(":")
        self.s = socket.create_connection((h, int(p)))
        key = base64.b64encode(os.urandom(16)).decode()
        self.s.send(f"GET /{path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            buf += self.s.recv(4096)
        self.pending = buf.split(b"\r\n\r\n", 1)[1]
        self.mid = 0
        self.events = []

    def send(self, obj):
        data = json.dumps(obj).encode()
        header = bytearray([0x81])
        n = len(data)
        if n < 126: header.append(0x80 | n)
        elif n < 65536: header += bytes([0x80 | 126]) + n.to_bytes(2, "big")
        else: header += bytes([0x80 | 127]) + n.to_bytes(8, "big")
        mask = os.urandom(4)
        self.s.send(bytes(header) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def recv(self):
        data = self.pending
        def need(k):
            nonlocal data
            while len(data) < k: data += self.s.recv(65536)
        need(2)
        n = data[1] & 0x7F; off = 2
        if n == 126: need(4); n = int.from_bytes(data[2:4], "big"); off = 4
        elif n == 127: need(10); n = int.from_bytes(data[2:10], "big"); off = 10
        need(off + n)
        msg = data[off:off + n]
        self.pending = data[off + n:]
        return json.loads(msg)

    def call(self, method, params=None):
        self.mid += 1
        self.send({"id": self.mid, "method": method, "params": params or {}})
        while True:
            m = self.recv()
            if m.get("id") == self.mid: return m
            self.events.append(m)

    def wait_for(self, method):
        for m in self.events:
            if m.get("method") == method:
                self.events.remove(m)
                return m
        while True:
            m = self.recv()
            if m.get("method") == method: return m
            self.events.append(m)

    def evaluate(self, expression):
        return self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})["result"]["result"].get("value")

    def close(self):
        self.proc.terminate()
