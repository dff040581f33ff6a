#!/usr/bin/env python3
"""First paint of a report page in headless Chromium, through the DevTools protocol (cdp.py).
Usage: first_paint.py PAGE.html
Prints the page, its size, and [first-paint, first-contentful-paint, domContentLoaded, load] in
milliseconds from navigation start."""
import os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Browser

page = sys.argv[1]
b = Browser()
b.call("Page.enable")
t0 = time.time()
b.call("Page.navigate", {"url": "file://" + page})
b.wait_for("Page.loadEventFired")
load = time.time() - t0
value = b.evaluate("JSON.stringify(performance.getEntriesByType('paint').map(e => [e.name, Math.round(e.startTime)]).concat([['domContentLoaded', Math.round(performance.timing.domContentLoadedEventEnd - performance.timing.navigationStart)], ['load', Math.round(performance.timing.loadEventEnd - performance.timing.navigationStart)]]))")
print(os.path.basename(page), os.path.getsize(page), value, f"wall load {load:.2f}s")
b.close()
