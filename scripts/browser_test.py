"""Open the course the way its readers do, in a real browser (headless Chromium), and check what they see.

    python scripts/browser_test.py --pages build/lessons --lab            # make browser-test

--pages DIR: every page in DIR (the lessons, the solutions, the index) from file://, and asserts that
  - no request leaves the machine (only file:, data: and blob: URLs) and nothing fails to load (MathJax's
    fonts included), no script error;
  - every math node is typeset (as many MathJax renderings as TeX sources) with no MathJax error;
  - every animation draws its first frame and shows another frame after play;
  and, with scripts off (as GitHub shows a notebook), that each animation is its GIF.
--lab: starts JupyterLab as `make lab` does (its settings, the notebooks trusted) on a loopback port, on a
  copy of notebooks/ (opening a notebook must not touch the committed one), opens lesson 03 and asserts that
  its animation plays, that no "Jupyter news" prompt shows, that LESSON_QUICK=1 given to make lab reaches
  the server its kernels inherit from, and that saving the lesson (Ctrl+S) leaves it byte-identical.

Screenshots go to build/browser-test/. Chromium is driven through its DevTools protocol (websocket-client,
which Jupyter already installs). Exit status 1 if any check failed.
"""

import argparse
import base64
import json
import os
import pathlib
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import websocket

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHOTS = ROOT / "build" / "browser-test"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--hide-scrollbars", "--window-size=1280,1000",
]
LOCAL_SCHEMES = {"file", "data", "blob", "about", "chrome", "devtools"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Chromium:
    """A headless Chromium with a fresh profile, one tab, driven over the DevTools protocol."""

    def __init__(self):
        binary = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        if binary is None:
            sys.exit("browser_test: no chromium on PATH (Debian: apt-get install -y chromium; make browser-test "
                     "does it)")
        self.profile = tempfile.mkdtemp(prefix="browser-test-profile-")
        port = free_port()
        self.process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", f"--remote-debugging-port={port}",
             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while True:
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=2))
                page = next(t for t in targets if t["type"] == "page")
                break
            except (OSError, StopIteration, ValueError):
                if time.time() > deadline or self.process.poll() is not None:
                    raise RuntimeError("Chromium did not start")
                time.sleep(0.2)
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], suppress_origin=True, timeout=60)
        self.next_id = 0
        self.events = []
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable")

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:60]}...: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def wait_for(self, expression, timeout, poll=0.25):
        """Poll a JavaScript expression until it is truthy; its value, or None after `timeout` s."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(poll)
        return None

    def open(self, url, timeout=60):
        self.events.clear()
        self.call("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete'", timeout)

    def drain(self):
        """Read the events that arrived since the last call (a no-op call flushes them)."""
        self.evaluate("0")
        events, self.events = self.events, []
        return events

    def screenshot(self, path, selector=None):
        """A PNG of the viewport, scrolled so `selector`'s first match is at the top if given."""
        if selector:
            self.evaluate(f"(e => e && e.scrollIntoView())(document.querySelector({json.dumps(selector)}))")
            time.sleep(0.3)
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self):
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            shutil.rmtree(self.profile, ignore_errors=True)


def problems_in(events, allowed_hosts=()):
    """Requests that leave the machine, loads that failed, console errors and uncaught exceptions."""
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            parts = urllib.parse.urlsplit(url)
            if parts.scheme not in LOCAL_SCHEMES and parts.hostname not in allowed_hosts:
                found.append(f"request leaves the machine: {url[:120]}")
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            found.append(f"failed to load ({params.get('errorText')}): request {params.get('requestId')}")
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            entry = params["entry"]
            found.append(f"console error: {entry.get('text', '')[:160]} {entry.get('url', '')[:120]}")
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            found.append(f"script error: {str(text)[:200]}")
    return found


# Counted on the page: TeX sources MathJax 2 found (script elements), their renderings, errors.
MATH_STATE = """(() => {
  if (!window.MathJax || !MathJax.Hub) return {mathjax: false};
  const sources = document.querySelectorAll('script[type^="math/tex"]').length;
  const rendered = MathJax.Hub.getAllJax().filter(j => j.SourceElement().previousSibling &&
      /MathJax/.test(j.SourceElement().previousSibling.className || '')).length;
  const errors = document.querySelectorAll('.MathJax_Error, .merror, merror, .noError').length;
  const pending = MathJax.Hub.queue.pending || MathJax.Hub.queue.running;
  return {mathjax: true, sources, rendered, errors, pending};
})()"""

# MathJax 2 has loaded, finished its start-up typesetting and has nothing queued.
MATH_IDLE = """(() => !window.MathJax || (MathJax.isReady === true && MathJax.Hub && !MathJax.Hub.queue.pending &&
  !MathJax.Hub.queue.running))()"""

# Each animation on the page: gk.plots.animate's player (a canvas over the GIF's frames) or matplotlib's
# to_jshtml player (an <img> whose src changes). Returns a list of per-animation states.
ANIMATIONS = """(() => Array.from(document.querySelectorAll('.gk-animation, .animation')).map(root => {
  if (root.classList.contains('gk-animation')) {
    const canvas = root.querySelector('canvas');
    if (!canvas) return {kind: 'gk', player: false, gif: !!root.querySelector('img[src^="data:image/gif"]')};
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let hash = 0, distinct = new Set();
    for (let k = 0; k < data.length; k += 97) { hash = (hash * 31 + data[k]) >>> 0; distinct.add(data[k]); }
    return {kind: 'gk', player: true, width: canvas.width, frame: Number(root.getAttribute('data-frame')),
            frames: Number(root.getAttribute('data-frames')), playing: root.getAttribute('data-playing'),
            hash, drawn: distinct.size > 2};
  }
  const img = root.querySelector('img');
  return {kind: 'jshtml', player: true, width: img ? img.naturalWidth : 0,
          frame: Number((root.querySelector('input[type=range]') || {}).value), hash: img ? img.src.length + ':' +
          img.src.slice(-40) : '', drawn: !!(img && img.naturalWidth > 0)};
}))()"""

# Pause every animation at its first frame; then press play.
FIRST_FRAME = """document.querySelectorAll('.gk-animation').forEach(root => {
  const buttons = root.querySelectorAll('button');
  if (buttons.length) { buttons[0].click(); }
});
document.querySelectorAll('.animation').forEach(root => {
  const pause = root.querySelector('button[title="Pause"]'), first = root.querySelector('button[title="First frame"]');
  if (pause) pause.click(); if (first) first.click();
});"""
PLAY = """document.querySelectorAll('.gk-animation').forEach(root => {
  const toggle = root.querySelectorAll('button')[2];
  if (toggle && root.getAttribute('data-playing') !== '1') toggle.click();
});
document.querySelectorAll('.animation').forEach(root => {
  const play = root.querySelector('button[title="Play"]'); if (play) play.click();
});"""


def check_animations(browser, name, require_player=True):
    """Every animation: a player, its first frame drawn, another frame after play. Returns problems."""
    problems = []
    browser.wait_for("document.querySelectorAll('.gk-animation:not(:has(canvas))').length === 0", 20)
    browser.evaluate(FIRST_FRAME)
    time.sleep(0.3)
    first = browser.evaluate(ANIMATIONS)
    browser.evaluate(PLAY)
    time.sleep(1.5)
    later = browser.evaluate(ANIMATIONS)
    for k, (a, b) in enumerate(zip(first, later)):
        label = f"{name}: animation {k + 1}"
        if not a["player"]:
            if require_player or not a.get("gif"):
                problems.append(f"{label}: no player" + (" (only its GIF)" if a.get("gif") else ""))
            continue
        if not a["drawn"]:
            problems.append(f"{label}: first frame not drawn")
        if a.get("frame") not in (0, None):
            problems.append(f"{label}: not at the first frame after 'first frame' ({a.get('frame')})")
        if b["hash"] == a["hash"]:
            problems.append(f"{label}: the picture did not change after play")
        if a["width"] < 600:
            problems.append(f"{label}: {a['width']} px wide (< 600)")
    return problems, first


def check_pages(browser, pages_dir):
    """Every page of the built site. Returns (problems, one summary line per page)."""
    problems, lines = [], []
    pages = sorted(pages_dir.glob("*.html"))
    if not pages:
        return [f"no pages in {pages_dir}"], lines
    for page in pages:
        start = time.time()
        browser.open(page.resolve().as_uri())
        page_problems = []
        if not browser.wait_for(MATH_IDLE, 60):
            page_problems.append("MathJax still busy after 60 s")
        math = browser.evaluate(MATH_STATE)
        if math["mathjax"]:
            if math["rendered"] != math["sources"]:
                page_problems.append(f"{math['rendered']} of {math['sources']} math nodes typeset")
            if math["errors"]:
                page_problems.append(f"{math['errors']} MathJax errors")
        elif page.name != "index.html" and browser.evaluate("document.body.innerText.includes('$')"):
            page_problems.append("MathJax did not load")
        animation_problems, animations = check_animations(browser, page.stem)
        page_problems += animation_problems
        time.sleep(0.5)
        page_problems += problems_in(browser.drain())
        title = browser.evaluate("document.title")
        if not title or title.lower() in ("notebook", "untitled"):
            page_problems.append(f"no real <title> ({title!r})")
        browser.screenshot(SHOTS / f"{page.stem}.png")
        if animations:
            browser.screenshot(SHOTS / f"{page.stem}-animation.png", ".gk-animation, .animation")
        problems += [f"{page.name}: {p}" for p in page_problems]
        lines.append(f"{page.name:45s} {'ok' if not page_problems else 'FAILED':6s} math {math.get('rendered', '-')}/"
                     f"{math.get('sources', '-')}  animations {len(animations)}  {time.time() - start:4.1f} s")
    return problems, lines


def server_environment_has(argument, variable):
    """Whether the process started with `argument` on its command line has `variable` (NAME=value) in its
    environment (Linux /proc): the kernels JupyterLab starts inherit the server's environment."""
    for proc in pathlib.Path("/proc").glob("[0-9]*"):
        try:
            if argument.encode() in (proc / "cmdline").read_bytes().split(b"\0"):
                return variable.encode() in (proc / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
    return False


def saved_unchanged(browser, path):
    """Save the open notebook (Ctrl+S) as a student would, and compare it with what was committed."""
    before, saved_at = path.read_bytes(), path.stat().st_mtime_ns
    time.sleep(0.05)
    browser.evaluate("document.querySelector('.jp-Notebook').focus()")
    for kind in ("rawKeyDown", "keyUp"):
        browser.call("Input.dispatchKeyEvent", type=kind, modifiers=2, key="s", code="KeyS",
                     windowsVirtualKeyCode=83, nativeVirtualKeyCode=83)
    deadline = time.time() + 15
    while time.time() < deadline and path.stat().st_mtime_ns == saved_at:
        time.sleep(0.5)
    if path.stat().st_mtime_ns == saved_at:
        return [f"JupyterLab: Ctrl+S did not save {path.name}"]
    time.sleep(0.5)
    after = path.read_bytes()
    if after == before:
        return []
    old, new = json.loads(before), json.loads(after)
    changed = sorted(k for k in set(old["metadata"]) | set(new["metadata"]) if old["metadata"].get(k) != new["metadata"].get(k))
    cells = sum(a != b for a, b in zip(old["cells"], new["cells"]))
    return [f"JupyterLab: saving {path.name} unchanged rewrites it (metadata {changed}, {cells} cells; "
            "scripts/normalize_notebooks.py writes what JupyterLab does)"]


def check_without_scripts(browser, pages_dir):
    """A viewer that runs no script (GitHub, an untrusted notebook): each gk.plots.animate movie is its GIF."""
    problems, checked = [], 0
    browser.call("Emulation.setScriptExecutionDisabled", value=True)
    try:
        for page in sorted(pages_dir.glob("*.html")):
            if "gk-animation" not in page.read_text(encoding="utf-8"):
                continue
            browser.open(page.resolve().as_uri())
            images = browser.evaluate("""Array.from(document.querySelectorAll('.gk-animation img')).map(i =>
                ({gif: i.src.startsWith('data:image/gif'), width: i.naturalWidth, canvas: !!i.parentNode.querySelector('canvas')}))""")
            for k, image in enumerate(images):
                checked += 1
                if not image["gif"] or image["width"] == 0 or image["canvas"]:
                    problems.append(f"{page.name} without scripts: animation {k + 1} shows no GIF ({image})")
    finally:
        browser.call("Emulation.setScriptExecutionDisabled", value=False)
    return problems, checked


def check_lab(browser, notebook="03_gradient_vanishing.ipynb"):
    """JupyterLab as `make lab` starts it, on a copy of notebooks/: lesson 03's animation plays, no prompt."""
    problems = []
    port, token = free_port(), secrets.token_hex(16)
    copy = pathlib.Path(tempfile.mkdtemp(prefix="browser-test-lab-"))
    shutil.copytree(ROOT / "notebooks", copy / "notebooks")
    args = (f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={token} "
            "--ServerApp.open_browser=False")
    env = dict(os.environ, LAB_DIR=str(copy / "notebooks"), LAB_ARGS=args, LESSON_QUICK="1")
    log = open(SHOTS / "jupyterlab.log", "w")
    server = subprocess.Popen(["make", "--no-print-directory", "-C", str(ROOT), "lab"], env=env, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    return [f"JupyterLab did not start (see {SHOTS / 'jupyterlab.log'})"]
                time.sleep(0.5)
        if not server_environment_has(f"--port={port}", "LESSON_QUICK=1"):
            problems.append("JupyterLab: LESSON_QUICK=1 given to make lab did not reach the server (its kernels)")
        browser.open(f"{base}/lab/tree/{notebook}?token={token}")
        if not browser.wait_for("document.querySelector('.jp-Notebook .jp-OutputArea-output') !== null", 90):
            problems.append("JupyterLab: the notebook's outputs did not show")
        # JupyterLab renders only the cells near the viewport: scroll down until the animation is there
        found = "document.querySelector('.jp-Notebook .gk-animation, .jp-Notebook .animation') !== null"
        scroll = """(() => { const s = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
          if (!s) return true; s.scrollBy(0, 0.7 * s.clientHeight);
          return s.scrollTop + s.clientHeight >= s.scrollHeight - 2; })()"""
        for _ in range(200):
            if browser.evaluate(found) or browser.evaluate(scroll):
                break
            time.sleep(0.3)
        browser.wait_for(found, 10)
        browser.wait_for("document.querySelectorAll('.jp-Notebook .gk-animation:not(:has(canvas))').length === 0", 20)
        time.sleep(4)   # the news prompt, if any, shows a few seconds after start
        prompt = browser.evaluate("document.body.innerText.includes('Jupyter news') || "
                                  "document.querySelectorAll('.jp-Notification-Toast, .Toastify__toast').length")
        if prompt:
            problems.append("JupyterLab: a notification shows (the 'Jupyter news' prompt?)")
        animation_problems, animations = check_animations(browser, f"JupyterLab {notebook}")
        if not animations:
            problems.append(f"JupyterLab {notebook}: no animation found")
        problems += animation_problems
        browser.screenshot(SHOTS / f"jupyterlab-{notebook[:2]}.png", ".jp-Notebook .gk-animation, .jp-Notebook .animation")
        problems += saved_unchanged(browser, copy / "notebooks" / notebook)
        problems += problems_in(browser.drain(), allowed_hosts=("127.0.0.1", "localhost"))
        return problems
    finally:
        os.killpg(server.pid, 15)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
        log.close()
        shutil.rmtree(copy, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=pathlib.Path, help="the built site (make html): check every page")
    parser.add_argument("--lab", action="store_true", help="check JupyterLab as make lab starts it")
    parser.add_argument("--lab-notebook", default="03_gradient_vanishing.ipynb", help="the lesson it opens there")
    args = parser.parse_args(argv)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):   # this run's screenshots only
        old.unlink()
    start = time.time()
    browser = Chromium()
    problems = []
    try:
        if args.pages:
            try:
                page_problems, lines = check_pages(browser, args.pages)
            except Exception as error:   # a hung or crashed page: report it, go on to JupyterLab
                page_problems, lines = [f"pages: {type(error).__name__}: {error}"], []
            print("\n".join(lines))
            problems += page_problems
            try:
                still_problems, checked = check_without_scripts(browser, args.pages)
            except Exception as error:
                still_problems, checked = [f"pages without scripts: {type(error).__name__}: {error}"], 0
            print(f"{'pages without scripts (GitHub, untrusted)':45s} {'ok' if not still_problems else 'FAILED':6s} "
                  f"{checked} GIFs")
            problems += still_problems
        if args.lab:
            lab_start = time.time()
            try:
                lab_problems = check_lab(browser, args.lab_notebook)
            except Exception as error:
                lab_problems = [f"JupyterLab: {type(error).__name__}: {error}"]
            print(f"{'JupyterLab (make lab), ' + args.lab_notebook[:2]:45s} {'ok' if not lab_problems else 'FAILED':6s} "
                  f"{time.time() - lab_start:4.1f} s")
            problems += lab_problems
    finally:
        browser.close()
    for problem in problems:
        print(f"  {problem}")
    print(f"browser test: {'FAILED' if problems else 'passed'} in {time.time() - start:.0f} s; screenshots in "
          f"{SHOTS.relative_to(ROOT)}/")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
