"""Execute lesson notebooks headless, one kernel each, and report each one's wall time; write them as HTML
pages that work offline, with a course index page.

    python scripts/run_notebooks.py --html build/lessons notebooks/*.ipynb               # make lessons
    python scripts/run_notebooks.py --inplace notebooks/*.ipynb                          # make execute
    python scripts/run_notebooks.py --no-execute --html build/lessons notebooks/*.ipynb  # make html

Wall time includes kernel start. An executed notebook records it in its metadata (run_notebooks.seconds),
so --no-execute, which converts the notebooks as they were last executed, can show it. Exit status is 1 if
any notebook raised (with --no-execute: if any holds an error output).

The pages need no network. MathJax 2.7 (bundled by the jupyter-server-mathjax package) is copied once into
DIR/mathjax/ and every page loads it by a relative URL; require.js, which no lesson uses, is left out; and
the Font Awesome stylesheet that matplotlib's to_jshtml() animations load from a CDN is replaced by Unicode
button icons. DIR/index.html shows each lesson's title, idea, a thumbnail, its run time and its check cell.
"""

import argparse
import base64
import dataclasses
import filecmp
import html
import importlib.util
import pathlib
import re
import shutil
import sys
import time

import jinja2
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter
from nbconvert.filters import markdown2html_mistune

COURSE_TITLE = "GAN lessons in Keras 3"
COURSE_INTRO = (
    "Seven lessons on generative adversarial networks, each a Jupyter notebook that runs on a laptop CPU in "
    "minutes. Every lesson reproduces a result from the literature on a small problem you can see whole, a "
    "few points on a line or a ring of Gaussians or 8×8 digits, and its last cell checks the claims it made "
    "with numbers, each against a baseline that fails. Start with 00, which checks the set-up, then go in "
    "order: each lesson builds on the one before."
)

# MathJax 2.7 as jupyter-server-mathjax ships it: the HTML-CSS output with STIX web fonts (no CommonHTML
# output and no TeX fonts, so nbconvert's default TeX-AMS_CHTML config would not load). config/local/offline.js
# picks those fonts and turns on $...$ for pages that lack nbconvert's inline configuration (the index).
MATHJAX_PACKAGE = "jupyter_server_mathjax"
MATHJAX_DIR = "mathjax"
MATHJAX_CONFIGS = ("TeX-AMS-MML_HTMLorMML-full", "Safe", "local/offline")
MATHJAX_URL = f"{MATHJAX_DIR}/MathJax.js?config={','.join(MATHJAX_CONFIGS)}"
MATHJAX_OFFLINE_CONFIG = """\
MathJax.Hub.Config({
  "HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null},
  tex2jax: {inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]], processEscapes: true},
  messageStyle: "none"
});
MathJax.Ajax.loadComplete("[MathJax]/config/local/offline.js");
"""

# Font Awesome icons of matplotlib's animation buttons, as Unicode (text presentation, not emoji).
ANIMATION_ICONS_CSS = r"""
.animation .fa { font-style: normal; font-family: "DejaVu Sans", "Segoe UI Symbol", sans-serif; }
.animation .fa-play::before { content: "\25B6\FE0E"; }
.animation .fa-pause::before { content: "\275A\275A"; }
.animation .fa-step-forward::before { content: "\25B6\FE0E\2759"; }
.animation .fa-step-backward::before { content: "\2759\25C0\FE0E"; }
.animation .fa-fast-forward::before { content: "\25B6\FE0E\25B6\FE0E\2759"; }
.animation .fa-fast-backward::before { content: "\2759\25C0\FE0E\25C0\FE0E"; }
.animation .fa-plus::before { content: "+"; }
.animation .fa-minus::before { content: "\2212"; }
.animation .fa-flip-horizontal { display: inline-block; transform: scaleX(-1); }
"""
FONT_AWESOME_LINK = re.compile(r"<link\b[^>]*font-awesome[^>]*>\s*")

# nbconvert's lab template, less require.js (a CDN script no lesson uses), plus the animation icons.
PAGE_TEMPLATE = (
    "{%- extends 'index.html.j2' -%}\n"
    "{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}\n"
    "{%- block extra_css -%}<style>" + ANIMATION_ICONS_CSS + "</style>{%- endblock extra_css -%}\n"
)

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z\"“‘(]|\s*$)")
ASSERT = re.compile(r"^\s*assert\b", re.MULTILINE)
EMBEDDED_PNG = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=\\\s]+)")  # to_jshtml wraps lines with '\'


# --- running or reading a notebook ---------------------------------------------------------------------


def execute(path, timeout):
    """Run the notebook at ``path``; return (executed notebook, seconds, error text or None).

    Outputs are cleared first, so the cells after one that raised show that they did not run rather than
    the outputs they were saved with. The seconds are also recorded in the notebook's metadata, for
    --no-execute to show after --inplace.
    """
    nb = nbformat.read(path, as_version=4)
    for cell in code_cells(nb):
        cell.outputs, cell.execution_count = [], None
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    error = None
    try:
        client.execute()
    except CellExecutionError as err:
        error = ANSI.sub("", str(err)).strip().splitlines()[-1]
    seconds = time.perf_counter() - start
    nb.metadata["run_notebooks"] = {"seconds": round(seconds, 1)}
    return nb, seconds, error


def read_executed(path):
    """The notebook at ``path`` as last executed: (notebook, recorded seconds or None, first error or None)."""
    nb = nbformat.read(path, as_version=4)
    seconds = nb.metadata.get("run_notebooks", {}).get("seconds")
    errors = (error_line(o) for c in code_cells(nb) for o in c.get("outputs", []) if o.output_type == "error")
    return nb, seconds, next(errors, None)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def tagged(cells, tag):
    return [c for c in cells if tag in c.metadata.get("tags", [])]


def error_line(output):
    """One line for an error output: 'AssertionError: the message's first line'."""
    message = ANSI.sub("", output.get("evalue", "")).strip()
    return f"{output.ename}: {message.splitlines()[0]}" if message else output.ename


# --- lesson pages ----------------------------------------------------------------------------------------


def install_mathjax(out_dir):
    """Copy MathJax into ``out_dir/mathjax/`` unless the same copy is there; write its offline config."""
    spec = importlib.util.find_spec(MATHJAX_PACKAGE)
    if spec is None:
        sys.exit("MathJax for offline pages comes from jupyter-server-mathjax: pip install -e '.[lab]'")
    source = pathlib.Path(spec.submodule_search_locations[0]) / "static"
    target = out_dir / MATHJAX_DIR
    current = (target / "MathJax.js").exists() and filecmp.cmp(source / "MathJax.js", target / "MathJax.js", False)
    if not current:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target)
    config = target / "config" / "local" / "offline.js"
    config.parent.mkdir(exist_ok=True)
    config.write_text(MATHJAX_OFFLINE_CONFIG, encoding="utf-8")


def page_exporter():
    """An HTMLExporter whose pages load MathJax from DIR/mathjax/ and nothing from the network."""
    return HTMLExporter(
        extra_loaders=[jinja2.DictLoader({"offline.html.j2": PAGE_TEMPLATE})],
        template_file="offline.html.j2",
        mathjax_url=MATHJAX_URL,
    )


def write_page(exporter, nb, path):
    """Write the notebook as one HTML page, animations' CDN stylesheet removed (their icons are inline)."""
    body, _ = exporter.from_notebook_node(nb)
    path.write_text(FONT_AWESOME_LINK.sub("", body), encoding="utf-8")


# --- the index page --------------------------------------------------------------------------------------


@dataclasses.dataclass
class Check:
    """A lesson's check cell: state is 'held', 'failed', 'not run' or 'missing'; error is its error line
    ('failed') or that of the earlier cell that stopped the notebook ('not run'); printed is its stdout."""

    state: str
    error: str | None = None
    printed: str = ""


@dataclasses.dataclass
class Card:
    """What the index shows of one lesson (title and idea are Markdown)."""

    stem: str
    title: str
    idea: str
    thumbnail: str | None
    seconds: float | None
    check: Check


def lesson_card(nb, stem, seconds, error, out_dir):
    """The index card of one notebook; saves its thumbnail as ``out_dir/thumbs/<stem>.png``.

    ``error`` is the notebook's error line, shown when it stopped the notebook before its check cell.
    """
    title, idea = title_and_idea(nb)
    png = thumbnail_png(nb)
    thumbnail = None
    if png is not None:
        thumbnail = f"thumbs/{stem}.png"
        (out_dir / "thumbs").mkdir(exist_ok=True)
        (out_dir / thumbnail).write_bytes(png)
    check = check_result(check_cell(nb))
    if check.state == "not run":
        check.error = error
    return Card(stem, title or stem, idea, thumbnail, seconds, check)


def title_and_idea(nb):
    """The first '# ' heading, and the first sentence of the first Markdown paragraph after it."""
    lines = [line for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines() + [""]]
    start = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    if start is None:
        return None, ""
    paragraphs = re.split(r"\n\s*\n", "\n".join(lines[start + 1:]))
    text = next((p.strip() for p in paragraphs if p.strip() and not p.strip().startswith("#")), "")
    return lines[start][2:].strip(), first_sentence(text)


def first_sentence(paragraph):
    """Up to the first '.', '!' or '?' that ends the text or is followed by a capital (so not 'e.g. the')."""
    text = " ".join(paragraph.split())
    end = SENTENCE_END.search(text)
    return text[: end.end()] if end else text


def thumbnail_png(nb):
    """PNG bytes of the image output of the cell tagged 'thumbnail', else the notebook's first; or None."""
    cells = tagged(code_cells(nb), "thumbnail") + code_cells(nb)
    pngs = (output_png(o) for c in cells for o in c.get("outputs", []))
    png = next((p for p in pngs if p), None)
    return None if png is None else base64.b64decode(png)


def output_png(output):
    """Base64 PNG of an image output, or of the first frame of an HTML animation (to_jshtml); else None."""
    data = output.get("data", {})
    if "image/png" in data:
        return data["image/png"]
    frame = EMBEDDED_PNG.search(data.get("text/html", ""))
    return re.sub(r"[\\\s]", "", frame.group(1)) if frame else None


def check_cell(nb):
    """The cell tagged 'check', else the last code cell with an assert statement; None if neither."""
    code = code_cells(nb)
    candidates = tagged(code, "check") or [c for c in code if ASSERT.search(c.source)]
    return candidates[-1] if candidates else None


def check_result(cell):
    """Whether the check cell held, failed (with its error line) or did not run, and what it printed."""
    if cell is None:
        return Check("missing")
    outputs = cell.get("outputs", [])
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream" and o.name == "stdout")
    errors = [error_line(o) for o in outputs if o.output_type == "error"]
    if errors:
        return Check("failed", errors[0], printed.strip())
    if cell.get("execution_count") is None:
        return Check("not run")
    return Check("held", None, printed.strip())


def inline_markdown(text):
    """Markdown of one line as HTML without the paragraph tags; $...$ is kept for MathJax."""
    rendered = markdown2html_mistune(text).strip()
    return re.sub(r"^<p>(.*)</p>$", r"\1", rendered, flags=re.DOTALL)


def duration(seconds):
    """'48 s' or '3 min 05 s'."""
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def check_badge(check):
    """The check cell's result in a word or a line, coloured."""
    label = {
        "held": "claims held",
        "failed": f"FAILED: {check.error}",
        "not run": "not run" if check.error is None else f"not run: an earlier cell raised {check.error}",
        "missing": "no check cell",
    }[check.state]
    return f'<span class="badge {check.state.replace(" ", "-")}">{html.escape(label)}</span>'


def check_details(check):
    """What the check cell printed (its claims table), folded unless the check failed."""
    if not check.printed:
        return ""
    opened = " open" if check.state == "failed" else ""
    return (f"<details{opened}><summary>what the check cell printed</summary>"
            f"<pre>{html.escape(check.printed)}</pre></details>")


def card_html(card):
    """One lesson's card: thumbnail, title linking to its page, idea, run time and check, then the claims."""
    page = html.escape(f"{card.stem}.html")
    thumb = (f'<a href="{page}"><img src="{html.escape(card.thumbnail)}" alt=""></a>' if card.thumbnail
             else '<div class="no-thumb"></div>')
    run_time = f'<span class="time">run time {duration(card.seconds)}</span>' if card.seconds is not None else ""
    return f"""<li class="card">{thumb}<div>
<h2><a href="{page}">{inline_markdown(card.title)}</a></h2>
<p class="idea">{inline_markdown(card.idea)}</p>
<div class="meta">{check_badge(card.check)}{run_time}</div>
</div>{check_details(card.check)}</li>"""


INDEX_CSS = """
body { font: 20px/1.45 system-ui, "Segoe UI", "DejaVu Sans", sans-serif; color: #111; background: #fafafa;
       max-width: 1150px; margin: 0 auto; padding: 1.5em; }
h1 { font-size: 2.2em; margin: 0.2em 0; }
.intro { font-size: 1.05em; max-width: 50em; }
ol { list-style: none; padding: 0; }
.card { display: grid; grid-template-columns: 300px minmax(0, 1fr); gap: 0.6em 1.2em; align-items: start;
        background: #fff; border: 1px solid #ccc; border-radius: 8px; padding: 1em; margin: 1em 0; }
.card img, .no-thumb { width: 300px; height: 200px; object-fit: contain; background: #fff; display: block; }
.no-thumb { background: #eee; }
h2 { font-size: 1.35em; margin: 0 0 0.3em; }
a { color: #0645ad; text-decoration: none; }
.idea { margin: 0 0 0.6em; }
.meta { margin: 0; display: flex; flex-wrap: wrap; gap: 0.6em; align-items: baseline; }
.time { color: #333; }
.badge { font-weight: 600; padding: 0.05em 0.5em; border-radius: 4px; color: #fff; }
.held { background: #1a7f37; } .failed { background: #b3261e; } .not-run, .missing { background: #666; }
details { grid-column: 1 / -1; }
summary { cursor: pointer; color: #333; }
pre { font-size: 0.75em; background: #f3f3f3; padding: 0.6em; overflow-x: auto; }
footer { color: #333; }
"""


def write_index(out_dir, cards):
    """``out_dir/index.html``: the course title, its introduction and one card per lesson."""
    times = [c.seconds for c in cards]
    total = f"<footer>All lessons together: {duration(sum(times))}.</footer>" if None not in times else ""
    items = "\n".join(card_html(c) for c in cards)
    (out_dir / "index.html").write_text(f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(COURSE_TITLE)}</title>
<style>{INDEX_CSS}</style>
<script src="{html.escape(MATHJAX_URL)}"></script>
</head><body>
<h1>{html.escape(COURSE_TITLE)}</h1>
<p class="intro">{html.escape(COURSE_INTRO)}</p>
<ol>
{items}
</ol>
{total}
</body></html>
""", encoding="utf-8")


# --- command line ----------------------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", type=pathlib.Path)
    parser.add_argument("--html", type=pathlib.Path, help="write one HTML page per notebook and an index here")
    parser.add_argument("--inplace", action="store_true", help="save the executed notebooks over the originals")
    parser.add_argument("--no-execute", action="store_true",
                        help="do not run the notebooks: convert them as last executed (with --html)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    args = parser.parse_args(argv)
    if args.no_execute and args.inplace:
        parser.error("--inplace saves executed notebooks; with --no-execute nothing is executed")
    return args


def report(path, seconds, error):
    """One console line per notebook, and its error line if it failed."""
    status = "ok" if error is None else "FAILED"
    took = "" if seconds is None else f" in {seconds:6.1f} s"
    print(f"{path.name:40s} {status}{took}", flush=True)
    if error is not None:
        print(f"    {error}", flush=True)


def main(argv=None):
    args = parse_args(argv)
    if args.html:
        args.html.mkdir(parents=True, exist_ok=True)
        install_mathjax(args.html)
        exporter = page_exporter()

    results, cards = [], []
    for path in args.notebooks:
        nb, seconds, error = read_executed(path) if args.no_execute else execute(path, args.timeout)
        results.append((seconds, error))
        report(path, seconds, error)
        if args.inplace and error is None:
            nbformat.write(nb, path)
        if args.html:
            write_page(exporter, nb, args.html / f"{path.stem}.html")
            cards.append(lesson_card(nb, path.stem, seconds, error, args.html))

    if args.html:
        write_index(args.html, cards)
        print(f"HTML in {args.html}/index.html")
    known = [s for s, _ in results if s is not None]
    if known:
        print(f"total {sum(known):.1f} s")
    return 1 if any(e is not None for _, e in results) else 0


if __name__ == "__main__":
    sys.exit(main())
