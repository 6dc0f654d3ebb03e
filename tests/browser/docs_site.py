#!/usr/bin/env python3
"""The site `oex docs` writes, in a real browser: headless Chromium over the DevTools protocol.

Usage: docs_site.py OEX DEFS_DIR ARTIFACT_DIR

Writes a site for the built-in catalog plus DEFS_DIR, loads it from file:// and checks that
every event type is in the rendered DOM as one unbroken string, that typing in the search box
narrows the list (and moves nothing above it), that Enter opens the first match, that an event
page renders at phone width without horizontal scrolling, in light and dark, and that no page
logs a console error or throws. Screenshots go to ARTIFACT_DIR. Exits 77 (skipped) when
Chromium is not installed.

The DevTools protocol runs over --remote-debugging-pipe (fd 3: commands in, fd 4: replies and
events out, each a JSON message ending in NUL), so no port is opened and no WebDriver is needed.
Every wait is bounded; Chromium is killed at the end whatever happens.
"""

import base64
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77
WAIT_SECONDS = 60


class Browser:
    def __init__(self, chromium, profile):
        # The ends Chromium gets are moved above 9, clear of the 3 and 4 they become.
        cmd_read, self.cmd_write = os.pipe()
        self.reply_read, reply_write = os.pipe()
        for name in ("cmd_read", "reply_write"):
            fd = locals()[name]
            high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
            os.close(fd)
            if name == "cmd_read":
                cmd_read = high
            else:
                reply_write = high

        # bash (dash takes one-digit fds only) puts the two pipe ends at fds 3 and 4, where Chromium looks for them.
        script = 'exec "$0" "$@" 3<&%d 4>&%d %d<&- %d>&-' % (cmd_read, reply_write, cmd_read,
                                                              reply_write)
        self.process = subprocess.Popen(
            ["/bin/bash", "-c", script, chromium, "--headless=new", "--no-sandbox",
             "--disable-gpu", "--disable-quic", "--no-first-run", "--no-default-browser-check",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-extensions", "--disable-dev-shm-usage", "--hide-scrollbars",
             "--mute-audio", "--user-data-dir=" + profile, "--remote-debugging-pipe",
             "about:blank"],
            pass_fds=(cmd_read, reply_write), start_new_session=True,  # a group to kill
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open("/tmp/chr.log", "w"))
        os.close(cmd_read)
        os.close(reply_write)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def close(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=WAIT_SECONDS)
        os.close(self.cmd_write)
        os.close(self.reply_read)

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from Chromium in %d s" % WAIT_SECONDS)
            ready, _, _ = select.select([self.reply_read], [], [], left)
            if ready:
                chunk = os.read(self.reply_read, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.cmd_write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method):
        deadline = time.monotonic() + WAIT_SECONDS
        for i, event in enumerate(self.events):
            if event.get("method") == method:
                del self.events[: i + 1]
                return event
        while True:
            event = self._read_message(deadline)
            if event.get("method") == method:
                return event
            self.events.append(event)

    def open_page(self):
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = self.call("Target.attachToTarget",
                             {"targetId": target["targetId"], "flatten": True}, session=False)
        self.session = attached["sessionId"]
        for domain in ("Page.enable", "Runtime.enable", "Log.enable"):
            self.call(domain)

    def navigate(self, url):
        self.events = [e for e in self.events if e.get("method") != "Page.loadEventFired"]
        self.call("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError("%s: %s" % (expression, result["exceptionDetails"]))
        return result["result"].get("value")

    def viewport(self, width, height, mobile=False):
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def color_scheme(self, scheme):
        self.call("Emulation.setEmulatedMedia",
                  {"features": [{"name": "prefers-color-scheme", "value": scheme}]})

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))

    def key(self, key, code, key_code, text=None):
        for kind in ("keyDown", "keyUp"):
            params = {"type": kind, "key": key, "code": code, "windowsVirtualKeyCode": key_code}
            if text and kind == "keyDown":
                params["text"] = text
            self.call("Input.dispatchKeyEvent", params)

    def console_errors(self):
        """Errors seen so far: exceptions, console.error, and errors the browser logged."""
        self.evaluate("1")  # drains the events that arrived before this point
        errors = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                errors.append(json.dumps(params["exceptionDetails"]))
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                errors.append(json.dumps(params.get("args")))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                errors.append(params["entry"].get("text", ""))
        return errors


failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL: " + message)
    return condition


VISIBLE = ("Array.from(document.querySelectorAll('#events li[data-search]'))"
           ".filter(li => li.offsetParent !== null)")


# A phone's viewport widens to fit a page wider than the screen, so the page is measured against
# the screen's 390 px: null when it fits, else its width and the elements that stick out (code
# blocks scroll inside themselves, and do not count).
WIDER_THAN_PHONE = (
    "document.documentElement.scrollWidth <= 390 ? null : "
    "[document.documentElement.scrollWidth].concat("
    "Array.from(document.querySelectorAll('body *'))"
    ".filter(e => !e.closest('pre') && e.getBoundingClientRect().right > 391)"
    ".slice(0, 5)"
    ".map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 40)))")


def run(oex, defs, artifacts, chromium):
    work = tempfile.mkdtemp(prefix="oex-docs-browser-")
    browser = None
    try:
        site = os.path.join(work, "site")
        env = dict(os.environ)
        env.pop("OEX_DEFS_PATH", None)
        subprocess.run([oex, "--defs", defs, "docs", "--out", site, "--title", "Event catalog"],
                       check=True, env=env, timeout=WAIT_SECONDS, stdout=subprocess.DEVNULL)
        types = subprocess.run([oex, "--defs", defs, "list", "--names"], check=True, env=env,
                               timeout=WAIT_SECONDS, capture_output=True,
                               text=True).stdout.splitlines()
        check(len(types) >= 77, "expected the 75 built-in event types and the --defs ones, got %d"
              % len(types))

        browser = Browser(chromium, os.path.join(work, "profile"))
        browser.open_page()
        browser.viewport(1200, 900)
        browser.color_scheme("light")
        index = "file://" + os.path.join(site, "index.html")
        browser.navigate(index)

        # Every event type, whole, as the text of one element (the browser's find sees it).
        texts = set(browser.evaluate(
            "Array.from(document.querySelectorAll('#events code.type'), e => e.textContent)"))
        missing = [t for t in types if t not in texts]
        check(not missing, "event types missing from the index DOM: %s" % missing[:5])
        body_text = browser.evaluate("document.body.innerText")
        check(all(t in body_text for t in types), "an event type is not in the page's text")
        total = browser.evaluate(VISIBLE + ".length")
        check(total == len(types), "%d events visible before searching, expected %d"
              % (total, len(types)))
        check(browser.evaluate("document.querySelectorAll('script:not([src])').length") == 0,
              "the index holds an inline script")
        browser.screenshot(os.path.join(artifacts, "docs-index.png"))

        # Typing narrows the list; nothing above the list moves.
        before = browser.evaluate("JSON.stringify([document.getElementById('q')"
                                  ".getBoundingClientRect().top, document.getElementById('q-status')"
                                  ".getBoundingClientRect().height])")
        browser.evaluate("document.getElementById('q').focus()")
        browser.call("Input.insertText", {"text": "enrollment"})
        shown = browser.evaluate(VISIBLE + ".map(li => li.querySelector('code.type').textContent)")
        check(0 < len(shown) < total, "'enrollment' shows %d of %d events" % (len(shown), total))
        check("org.openedx.learning.course.enrollment.created.v1" in shown,
              "'enrollment' does not show course.enrollment.created")
        check(browser.evaluate("document.getElementById('q-status').textContent")
              == "%d of %d event types match" % (len(shown), total), "the status line is wrong")
        after = browser.evaluate("JSON.stringify([document.getElementById('q')"
                                 ".getBoundingClientRect().top, document.getElementById('q-status')"
                                 ".getBoundingClientRect().height])")
        check(before == after, "the search box or status moved while searching: %s -> %s"
              % (before, after))
        browser.screenshot(os.path.join(artifacts, "docs-index-search.png"))

        # By field name and data class too; the --defs class used across subdomains.
        browser.evaluate("var q = document.getElementById('q'); q.value = '';"
                         "q.dispatchEvent(new Event('input'))")
        browser.call("Input.insertText", {"text": "acme.badgedata"})
        shown = browser.evaluate(VISIBLE + ".map(li => li.querySelector('code.type').textContent)")
        check(sorted(shown) == sorted(t for t in types if t.startswith("org.acme.")),
              "'acme.badgedata' shows %s" % shown)
        browser.key("Escape", "Escape", 27)
        check(browser.evaluate(VISIBLE + ".length") == total, "Escape does not clear the search")

        # Keyboard: '/' focuses the search box from anywhere, arrows walk the visible results.
        browser.evaluate("document.activeElement.blur()")
        browser.key("/", "Slash", 191, "/")
        check(browser.evaluate("document.activeElement.id") == "q", "'/' does not focus the search")
        check(browser.evaluate("document.getElementById('q').value") == "",
              "'/' was typed into the search box")
        browser.call("Input.insertText", {"text": "certificate"})
        links = browser.evaluate(VISIBLE + ".map(li => li.querySelector('a').href)")
        browser.key("ArrowDown", "ArrowDown", 40)
        browser.key("ArrowDown", "ArrowDown", 40)
        check(browser.evaluate("document.activeElement.href") == links[1],
              "two arrows down do not reach the second result")
        browser.key("ArrowUp", "ArrowUp", 38)
        browser.key("ArrowUp", "ArrowUp", 38)
        check(browser.evaluate("document.activeElement.id") == "q", "arrow up does not return to search")
        browser.key("Escape", "Escape", 27)

        # Enter opens the first match.
        browser.call("Input.insertText", {"text": "enrollment.created"})
        browser.events = [e for e in browser.events if e.get("method") != "Page.loadEventFired"]
        browser.key("Enter", "Enter", 13, "\r")
        browser.wait_event("Page.loadEventFired")
        url = browser.evaluate("location.href")
        check(url.endswith("/events/org.openedx.learning.course.enrollment.created.v1.html"),
              "Enter opened %s" % url)
        check(browser.evaluate("document.querySelector('h1').textContent")
              == "org.openedx.learning.course.enrollment.created.v1", "the event page's heading")
        sample = browser.evaluate("document.querySelector('#sample ~ pre code').textContent")
        check("enrollment" in json.loads(sample), "the sample payload is not the event's")
        check(browser.evaluate("document.querySelectorAll('ul.tree a[href]').length") > 0,
              "the data tree has no class links")
        browser.screenshot(os.path.join(artifacts, "docs-event.png"))

        # Phone width, dark: nothing wider than the screen but the code blocks, which scroll.
        browser.viewport(390, 844, mobile=True)
        browser.color_scheme("dark")
        browser.navigate("file://" + os.path.join(
            site, "events", "org.openedx.learning.course.enrollment.created.v1.html"))
        wide = browser.evaluate(WIDER_THAN_PHONE)
        check(not wide, "the event page scrolls sideways at phone width: %s" % wide)
        background = browser.evaluate("getComputedStyle(document.body).backgroundColor")
        check(background == "rgb(15, 20, 25)", "dark background not used: %s" % background)
        browser.screenshot(os.path.join(artifacts, "docs-event-phone-dark.png"))
        browser.navigate(index)
        wide = browser.evaluate(WIDER_THAN_PHONE)
        check(not wide, "the index scrolls sideways at phone width: %s" % wide)
        browser.screenshot(os.path.join(artifacts, "docs-index-phone-dark.png"))

        # The --defs event with HTML in its type and description, and a class page.
        odd = [t for t in types if "<b>" in t]
        check(len(odd) == 1, "the fixture's odd event type is missing")
        browser.color_scheme("light")
        browser.viewport(1200, 900)
        browser.navigate(index)
        href = browser.evaluate(
            "Array.from(document.querySelectorAll('#events li a')).find(a => "
            "a.textContent === %s).href" % json.dumps(odd[0]))
        browser.navigate(href)
        check(browser.evaluate("document.querySelector('h1').textContent") == odd[0],
              "the odd event's page heading")
        check(browser.evaluate("document.querySelectorAll('main script, main img, main b').length")
              == 0, "markup from the definitions was not escaped")
        browser.navigate("file://" + os.path.join(site, "classes", "acme.BadgeData.html"))
        users = browser.evaluate("Array.from(document.querySelectorAll('ul.uses code'), "
                                 "e => e.textContent)")
        check(sorted(users) == sorted(t for t in types if t.startswith("org.acme.")),
              "acme.BadgeData's page lists %s" % users)
        link = browser.evaluate("Array.from(document.querySelectorAll('table a'))"
                                ".map(a => a.getAttribute('href'))")
        check("../classes/learning.UserData.html" in link,
              "acme.BadgeData does not link learning.UserData: %s" % link)
        browser.navigate("file://" + os.path.join(site, "classes", "learning.UserData.html"))
        users = browser.evaluate("Array.from(document.querySelectorAll('ul.uses code'), "
                                 "e => e.textContent)")
        check("org.acme.badge.awarded.v1" in users, "learning.UserData does not list the acme event")

        errors = browser.console_errors()
        check(not errors, "console errors: %s" % errors[:3])
    finally:
        if browser:
            browser.close()
        shutil.rmtree(work, ignore_errors=True)


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    oex, defs, artifacts = sys.argv[1:]
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") \
        or shutil.which("chromium-browser")
    if not chromium:
        print("SKIPPED: Chromium is not installed (Debian: apt-get install chromium)")
        return SKIP
    os.makedirs(artifacts, exist_ok=True)
    run(oex, defs, artifacts, chromium)
    if failures:
        print("%d checks failed" % len(failures))
        return 1
    print("ok: screenshots in " + artifacts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
