#!/usr/bin/env python3
"""Checks a report's search in headless Chromium (DevTools protocol, cdp.py), from file://:
that the script runs under the page's CSP (no violation, no error), what a query finds, and,
with --shots DIR, screenshots in light, dark and at 390 px.
Usage: search_check.py INDEX.html QUERY [--shots DIR]
Prints the search box's state, the status line and each result (link and snippet)."""
import base64, json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Browser

page, query = os.path.abspath(sys.argv[1]), sys.argv[2]
shots = sys.argv[sys.argv.index("--shots") + 1] if "--shots" in sys.argv else None
b = Browser()
for domain in ("Page", "Runtime", "Log"):
    b.call(domain + ".enable")
b.call("Page.navigate", {"url": "file://" + page})
b.wait_for("Page.loadEventFired")
print("search box shown:", b.evaluate("!document.getElementById('search').hidden"))
b.evaluate("var i = document.getElementById('search-input'); i.value = %s; i.dispatchEvent(new Event('input'));" % json.dumps(query))
result = b.evaluate("JSON.stringify({status: document.getElementById('search-status').textContent, "
                    "hits: Array.from(document.querySelectorAll('#search-results li')).map(li => [li.querySelector('a').getAttribute('href'), li.querySelector('a').textContent, li.querySelector('.snippet').textContent])})")
result = json.loads(result)
print("status:", result["status"])
for href, where, snippet in result["hits"]:
    print(f"  {where}  ({href})\n    {snippet}")
problems = [e for e in b.events if e.get("method") in ("Runtime.exceptionThrown", "Log.entryAdded", "Runtime.consoleAPICalled", "Page.javascriptDialogOpening")]
print("console and CSP problems:", len(problems))
for e in problems:
    print("  ", json.dumps(e["params"])[:300])
if shots:
    os.makedirs(shots, exist_ok=True)
    b.evaluate("document.getElementById('search').scrollIntoView()")
    for name, dark, width in (("light", False, 1200), ("dark", True, 1200), ("phone", False, 390)):
        b.call("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})
        b.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500})
        b.evaluate("document.getElementById('search').scrollIntoView()")
        png = b.call("Page.captureScreenshot", {"format": "png"})["result"]["data"]
        open(os.path.join(shots, f"search-{name}.png"), "wb").write(base64.b64decode(png))
    print("screenshots in", shots)
b.close()
