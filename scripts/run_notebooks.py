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
import io
import os
import pathlib
import re
import shutil
import sys
import time

import jinja2
import nbformat
import zmq
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter
from nbconvert.filters import markdown2html_mistune
from PIL import Image
from traitlets.config import Config

COURSE_TITLE = "GAN lessons in Keras 3"
NUMBER_WORDS = ("No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve")


def course_intro(lessons):
    """The index's introduction for `lessons` lessons (the setup check 00 not counted)."""
    count = NUMBER_WORDS[lessons] if lessons < len(NUMBER_WORDS) else str(lessons)
    return (
        f"{count} lessons on generative adversarial networks, each a Jupyter notebook that runs on a laptop CPU "
        "in minutes. Every lesson reproduces a result from the literature on a small problem you can see whole, "
        "a few points on a line or a ring of Gaussians or 8×8 digits, and its last cell checks the claims it "
        "made with numbers, each against a baseline that fails. Start with 00, which checks the set-up, then go "
        "in order: each lesson builds on the one before."
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
  "HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null,
               styles: {"@font-face": {"font-family": "MathJax_Blank", src: "local('MathJax_Blank')"}}},
  tex2jax: {inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]], processEscapes: true},
  messageStyle: "none"
});
MathJax.Ajax.loadComplete("[MathJax]/config/local/offline.js");
"""
# MathJax_Blank, the font MathJax measures against while web fonts load, is declared with url('about:blank'),
# which a page opened from file:// may not load (a CORS error in the console); local() names no file.
# The hidden MathML MathJax adds for screen readers (AssistiveMML) uses the NativeMML styles, which declare
# TeX web fonts in otf that jupyter-server-mathjax does not ship (Chromium asks for them on pages with
# \mathbb, \mathcal, \mathfrak): the STIX files with those glyphs stand in under those names (nothing
# drawn with them is visible).
TEX_OTF_STAND_INS = {
    "MathJax_AMS-Regular.otf": "STIXMathJax_DoubleStruck-Regular.woff",
    "MathJax_Caligraphic-Regular.otf": "STIXMathJax_Script-Regular.woff",
    "MathJax_Caligraphic-Bold.otf": "STIXMathJax_Script-BoldItalic.woff",
    "MathJax_Fraktur-Regular.otf": "STIXMathJax_Fraktur-Regular.woff",
    "MathJax_Fraktur-Bold.otf": "STIXMathJax_Fraktur-Bold.woff",
    "MathJax_Script-Regular.otf": "STIXMathJax_Script-Regular.woff",
}

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

NAV_CSS = """
.course-nav { display: flex; flex-wrap: wrap; gap: 0.4em 1.4em; font: 16px/1.4 system-ui, "DejaVu Sans", sans-serif;
              padding: 0.6em 0; margin: 0 0 0.8em; border-bottom: 1px solid #ccc; }
.course-nav.bottom { border-bottom: 0; border-top: 1px solid #ccc; margin: 1.5em 0 0; }
.course-nav a { color: #0645ad; text-decoration: none; }
"""

# nbconvert's lab template, less require.js (a CDN script no lesson uses), plus the animation icons and the
# course navigation (resources["course_nav"]) above and below the notebook.
PAGE_TEMPLATE = (
    "{%- extends 'index.html.j2' -%}\n"
    "{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}\n"
    "{%- block extra_css -%}<style>" + ANIMATION_ICONS_CSS + NAV_CSS + "</style>{%- endblock extra_css -%}\n"
    "{%- block body_header -%}{{ super() }}{{ resources.get('course_nav', '') }}{%- endblock body_header -%}\n"
    "{%- block body_footer -%}{{ resources.get('course_nav', '').replace('course-nav', 'course-nav bottom') }}"
    "{{ super() }}{%- endblock body_footer -%}\n"
)
# nbval's comment markers: the pages leave the line out (scripts/normalize_notebooks.py makes them tags).
MARKER_LINE = re.compile(r"^[ \t]*#+[ \t]*(NBVAL_[A-Z_]+|PYTEST_VALIDATE_IGNORE_OUTPUT)[ \t]*\n?", re.MULTILINE)
NOTEBOOK_LINK = re.compile(r'href="(?:\.\./(?:notebooks|solutions)/)?([0-9][^"/]*)\.ipynb"')

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z\"“‘(]|\s*$)")
ASSERT = re.compile(r"^\s*assert\b", re.MULTILINE)
EMBEDDED_PNG = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=\\\s]+)")  # to_jshtml wraps lines with '\'
EMBEDDED_GIF = re.compile(r"data:image/gif;base64,([A-Za-z0-9+/=]+)")  # gk.plots.animate's movie


# --- running or reading a notebook ---------------------------------------------------------------------


def execute(path, timeout):
    """Run the notebook at `path`; return (executed notebook, seconds, error text or None).

    Outputs are cleared first, so the cells after one that raised show that they did not run rather than
    the outputs they were saved with. A cell that runs past `timeout` seconds, or a kernel that dies, is an error
    of the run like a cell that raised. The seconds are also recorded in the notebook's metadata, for
    --no-execute to show after --inplace.
    """
    nb = nbformat.read(path, as_version=4)
    for cell in code_cells(nb):
        cell.outputs, cell.execution_count = [], None
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": str(path.parent)}}, config=kernel_config(),
    )
    start = time.perf_counter()
    error = None
    try:
        client.execute()
    except CellExecutionError as err:
        error = ANSI.sub("", str(err)).strip().splitlines()[-1]
    except (CellTimeoutError, DeadKernelError) as err:     # a failed run too, not a crash of the whole batch
        error = f"{type(err).__name__}: " + str(err).strip().splitlines()[0]
    seconds = time.perf_counter() - start
    recorded = round(seconds, 1)   # a whole number as an int: JupyterLab would rewrite 52.0 as 52 on saving
    nb.metadata["run_notebooks"] = {"seconds": int(recorded) if recorded.is_integer() else recorded}
    return nb, seconds, error


def kernel_config():
    """Kernels whose messages are not sent in plain text over TCP (ipykernel warns about that, once per
    lesson): CurveZMQ encryption where pyzmq has it, else a local socket (ipc) where there are such."""
    if zmq.has("curve"):
        return Config({"KernelManager": {"transport_encryption": "auto"}})
    if os.name == "posix":
        return Config({"KernelManager": {"transport": "ipc"}})
    return Config()


def read_executed(path):
    """The notebook at `path` as last executed: (notebook, recorded seconds or None, first error or None)."""
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
    """Copy MathJax into `out_dir/mathjax/` unless the same copy is there; write its offline config."""
    spec = importlib.util.find_spec(MATHJAX_PACKAGE)
    if spec is None:
        sys.exit("MathJax for offline pages comes from jupyter-server-mathjax: pip install -e '.[lab]'")
    source = pathlib.Path(spec.submodule_search_locations[0]) / "static"
    target = out_dir / MATHJAX_DIR
    current = (target / "MathJax.js").exists() and filecmp.cmp(source / "MathJax.js", target / "MathJax.js", False)
    if not current:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target)
    stix, tex_otf = target / "fonts" / "HTML-CSS" / "STIX-Web" / "woff", target / "fonts" / "HTML-CSS" / "TeX" / "otf"
    tex_otf.mkdir(parents=True, exist_ok=True)
    for name, stand_in in TEX_OTF_STAND_INS.items():
        if (stix / stand_in).is_file() and not (tex_otf / name).is_file():
            shutil.copyfile(stix / stand_in, tex_otf / name)
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


def write_page(exporter, nb, path, title=None, nav="", pages=()):
    """Write the notebook as one HTML page titled `title`, with `nav` above and below it: animations' CDN
    stylesheet removed (their icons are inline), nbval's comment markers left out, and links to notebooks
    whose pages are in `pages` (stems) pointing to those pages."""
    nb = nbformat.from_dict(nb)   # a copy: the markers stay in the notebook itself
    for cell in code_cells(nb):
        cell.source = MARKER_LINE.sub("", cell.source)
    resources = {"metadata": {"name": title or path.stem}, "course_nav": nav}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    body = NOTEBOOK_LINK.sub(lambda m: f'href="{m.group(1)}.html"' if m.group(1) in pages else m.group(0), body)
    path.write_text(FONT_AWESOME_LINK.sub("", body), encoding="utf-8")


def page_title(title, stem):
    """The <title> of a page: the notebook's title in plain text, and the course's."""
    return f"{plain_title(title, stem)} · {COURSE_TITLE}"


def nav_html(links):
    """The navigation bar: (href, text) pairs."""
    items = "".join(f'<a href="{html.escape(href)}">{html.escape(text)}</a>' for href, text in links)
    return f'<nav class="course-nav">{items}</nav>'


def lesson_nav(k, stems, titles, solution):
    """Links from lesson k: the index, the previous and next lessons, its worked solutions."""
    links = [("index.html", "↑ course index")]
    if k > 0:
        links.append((f"{stems[k - 1]}.html", f"← {plain_title(titles[k - 1], stems[k - 1])}"))
    if k + 1 < len(stems):
        links.append((f"{stems[k + 1]}.html", f"{plain_title(titles[k + 1], stems[k + 1])} →"))
    if solution:
        links.append((solution, "worked solutions"))
    return nav_html(links)


def plain_title(title, stem):
    return re.sub(r"[$*`_]", "", title) if title else stem


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
    solutions: str | None = None


def lesson_card(nb, stem, seconds, error, out_dir, solutions=None):
    """The index card of one notebook; saves its thumbnail as `out_dir/thumbs/<stem>.png`.

    `error` is the notebook's error line, shown when it stopped the notebook before its check cell.
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
    return Card(stem, title or stem, idea, thumbnail, seconds, check, solutions)


def title_and_idea(nb):
    """The first '# ' heading, and what the lesson is about: the notebook's metadata "summary" (one sentence:
    what the student will learn and see) if set, else the first sentence of the first paragraph after it."""
    title, first = title_and_first_sentence(nb)
    summary = nb.metadata.get("summary")
    return title, (" ".join(summary.split()) if isinstance(summary, str) and summary.strip() else first)


def title_and_first_sentence(nb):
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
    """PNG bytes of the image output of the cell tagged 'thumbnail', else the notebook's first, cut to its
    first panel where it has several side by side (legible on the index); or None."""
    cells = tagged(code_cells(nb), "thumbnail") + code_cells(nb)
    pngs = (output_png(o) for c in cells for o in c.get("outputs", []))
    png = next((p for p in pngs if p), None)
    return None if png is None else first_panel(base64.b64decode(png))


def first_panel(png):
    """The left panel of a figure whose panels stand side by side: cut at the first of the widest blank column
    gaps in the middle 30-70 % of the width while there is one, then trim the blank margins (PNG bytes)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    ink = image.convert("L").point(lambda v: 255 if v < 235 else 0)   # white where something is drawn
    for _ in range(4):   # a row of up to 5 panels
        width, height = image.size
        blank = [ink.crop((x, 0, x + 1, height)).getbbox() is None for x in range(width)]
        gaps, run_start = [], None   # (start, length) of each run of blank columns in the middle
        for x in range(int(0.3 * width), int(0.7 * width) + 1):
            if x < width and blank[x]:
                run_start = x if run_start is None else run_start
            elif run_start is not None:
                gaps.append((run_start, x - run_start))
                run_start = None
        wide = [g for g in gaps if g[1] >= max(3, 0.5 * max(length for _, length in gaps))] if gaps else []
        if not wide or wide[0][0] < 180:   # not a panel a reader could read on its own
            break
        image, ink = image.crop((0, 0, wide[0][0], height)), ink.crop((0, 0, wide[0][0], height))
    box = ink.getbbox()
    if box:
        pad = 4
        image = image.crop((max(box[0] - pad, 0), max(box[1] - pad, 0), min(box[2] + pad, image.width),
                            min(box[3] + pad, image.height)))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def output_png(output):
    """Base64 PNG of an image output, or a frame of an HTML animation (the last of gk.plots.animate's GIF:
    the trained state; the first of matplotlib's to_jshtml); else None."""
    data = output.get("data", {})
    if "image/png" in data:
        return data["image/png"]
    text = data.get("text/html", "")
    if isinstance(text, list):
        text = "".join(text)
    gif = EMBEDDED_GIF.search(text)
    if gif:
        return gif_last_frame_png(gif.group(1))
    frame = EMBEDDED_PNG.search(text)
    return re.sub(r"[\\\s]", "", frame.group(1)) if frame else None


def gif_last_frame_png(encoded):
    """The last frame of a base64 GIF as base64 PNG."""
    image = Image.open(io.BytesIO(base64.b64decode(encoded)))
    image.seek(image.n_frames - 1)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


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
    if card.solutions:
        run_time += f'<a class="solutions" href="{html.escape(card.solutions)}">worked solutions</a>'

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
.card { display: grid; grid-template-columns: 320px minmax(0, 1fr); gap: 0.6em 1.2em; align-items: start;
        background: #fff; border: 1px solid #ccc; border-radius: 8px; padding: 1em; margin: 1em 0; }
.card img, .no-thumb { width: 320px; height: 240px; object-fit: contain; background: #fff; display: block; }
.no-thumb { background: #eee; }
h2 { font-size: 1.35em; margin: 0 0 0.3em; }
a { color: #0645ad; text-decoration: none; }
.idea { margin: 0 0 0.6em; }
.meta { margin: 0; display: flex; flex-wrap: wrap; gap: 0.6em; align-items: baseline; }
.time { color: #333; }
.solutions { font-size: 0.9em; }
.badge { font-weight: 600; padding: 0.05em 0.5em; border-radius: 4px; color: #fff; }
.held { background: #1a7f37; } .failed { background: #b3261e; } .not-run, .missing { background: #666; }
details { grid-column: 1 / -1; }
summary { cursor: pointer; color: #333; }
pre { font-size: 0.75em; background: #f3f3f3; padding: 0.6em; overflow-x: auto; }
footer { color: #333; }
"""


def write_index(out_dir, cards):
    """`out_dir/index.html`: the course title, its introduction and one card per lesson."""
    times = [c.seconds for c in cards]
    total = f"<footer>All lessons together: {duration(sum(times))}.</footer>" if None not in times else ""
    items = "\n".join(card_html(c) for c in cards)
    lessons = sum(not c.stem.startswith("00") for c in cards)
    (out_dir / "index.html").write_text(f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(COURSE_TITLE)}</title>
<style>{INDEX_CSS}</style>
<script src="{html.escape(MATHJAX_URL)}"></script>
</head><body>
<h1>{html.escape(COURSE_TITLE)}</h1>
<p class="intro">{html.escape(course_intro(lessons))}</p>
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
    parser.add_argument("--solutions", type=pathlib.Path, metavar="DIR",
                        help="with --html: also write DIR/<lesson>_solutions.ipynb, as committed, as a page "
                             "linked from its lesson")
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

    stems = [path.stem for path in args.notebooks]
    titles = [title_and_first_sentence(nbformat.read(path, as_version=4))[0] for path in args.notebooks]
    solutions = {}   # lesson stem: its solutions notebook
    if args.html and args.solutions:
        solutions = {stem: args.solutions / f"{stem}_solutions.ipynb" for stem in stems
                     if (args.solutions / f"{stem}_solutions.ipynb").is_file()}
    pages = set(stems) | {path.stem for path in solutions.values()}
    results, cards = [], []
    for k, path in enumerate(args.notebooks):
        nb, seconds, error = read_executed(path) if args.no_execute else execute(path, args.timeout)
        results.append((seconds, error))
        report(path, seconds, error)
        if args.inplace and error is None:
            nbformat.write(nb, path)
        if args.html:
            solution = solutions.get(path.stem)
            solution_page = f"{solution.stem}.html" if solution else None
            write_page(exporter, nb, args.html / f"{path.stem}.html", page_title(titles[k], path.stem),
                       lesson_nav(k, stems, titles, solution_page), pages)
            cards.append(lesson_card(nb, path.stem, seconds, error, args.html, solution_page))
            if solution:
                solution_nb = read_executed(solution)[0]
                back = [("index.html", "↑ course index"),
                        (f"{path.stem}.html", f"← back to {plain_title(titles[k], path.stem)}")]
                write_page(exporter, solution_nb, args.html / solution_page,
                           page_title(title_and_first_sentence(solution_nb)[0], solution.stem), nav_html(back), pages)

    if args.html:
        write_index(args.html, cards)
        print(f"HTML in {args.html}/index.html")
    known = [s for s, _ in results if s is not None]
    if known:
        print(f"total {sum(known):.1f} s")
    return 1 if any(e is not None for _, e in results) else 0


if __name__ == "__main__":
    sys.exit(main())
