"""scripts/run_notebooks.py --no-execute --html: offline pages and the course index, from synthetic notebooks.

Nothing is executed: each notebook is built with the outputs an executed one would hold.
"""

import base64
import io
import pathlib
import re
import urllib.parse

import pytest

pytest.importorskip("nbconvert", reason="scripts/run_notebooks.py writes the pages with nbconvert")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import animation  # noqa: E402
from nbclient.exceptions import CellExecutionError, CellTimeoutError  # noqa: E402
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output  # noqa: E402


def tiny_png():
    """A 2×2 PNG, base64 as a notebook stores it."""
    buffer = io.BytesIO()
    plt.imsave(buffer, np.zeros((2, 2, 3)), format="png")
    return base64.b64encode(buffer.getvalue()).decode()


PNG = tiny_png()


@pytest.fixture(scope="module")
def runner(load_by_path):
    """scripts/run_notebooks.py as a module (scripts/ is not a package)."""
    return load_by_path("scripts/run_notebooks.py", "run_notebooks")


def jshtml():
    """A two-frame matplotlib animation as to_jshtml() writes it (inline script, Font Awesome from a CDN)."""
    fig, ax = plt.subplots(figsize=(1, 1), dpi=20)
    (line,) = ax.plot([0, 1], [0, 1])
    html = animation.FuncAnimation(fig, lambda i: (line,), frames=2).to_jshtml()
    plt.close(fig)
    return html


def code(source, outputs=(), count=1, tags=()):
    cell = new_code_cell(source, execution_count=count, outputs=list(outputs))
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def stdout(text):
    return new_output("stream", name="stdout", text=text)


def lesson_held():
    """Title, idea with math, a tagged animation thumbnail, a tagged check cell that held, a recorded run time."""
    nb = new_notebook(cells=[
        new_markdown_cell("# 01 · A held lesson\n\nThe generator $G$ learns **pairs**, e.g. these. Second sentence."),
        new_markdown_cell("## Math\n\nInline $x^2$ and display $$\\int_0^1 x\\,dx = \\tfrac12.$$"),
        code("plt.show()", [new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"})]),
        code("HTML(anim.to_jshtml())", [new_output("display_data", data={"text/html": jshtml()})], tags=["thumbnail"]),
        code("print(table)\nassert ok", [stdout("claim      measured\nit works   1.0\n")], count=3, tags=["check"]),
    ])
    nb.metadata["run_notebooks"] = {"seconds": 125.4}
    return nb


def lesson_failed():
    """No tags: the check cell is the last one that asserts, and it raised."""
    error = new_output("error", ename="AssertionError", evalue="KS 0.31 > 0.05\nmore detail", traceback=[])
    return new_notebook(cells=[
        new_markdown_cell("# 02 · A failed lesson\n\nIt fails."),
        code("plt.show()", [new_output("display_data", data={"image/png": PNG})]),
        code("print('partial')\nassert ks < 0.05", [stdout("partial\n"), error]),
        code("print('done')", [stdout("done\n")]),
    ])


def lesson_not_run():
    return new_notebook(cells=[
        new_markdown_cell("# 03 · Not run yet\n\nNever executed."),
        code("assert True", count=None),
    ])


def lesson_stopped():
    """An earlier cell raised, so the check cell never ran."""
    error = new_output("error", ename="ValueError", evalue="bad shape", traceback=[])
    return new_notebook(cells=[
        new_markdown_cell("# 04 · Stopped early\n\nIt stops."),
        code("x = load()", [error]),
        code("assert x", count=None),
    ])


@pytest.fixture(scope="module")
def site(runner, tmp_path_factory):
    """The lessons converted into one folder; (folder, exit status)."""
    tmp = tmp_path_factory.mktemp("lessons")
    paths = []
    for name, nb in [("01_held", lesson_held()), ("02_failed", lesson_failed()), ("03_not_run", lesson_not_run()),
                     ("04_stopped", lesson_stopped())]:
        paths.append(tmp / f"{name}.ipynb")
        nbformat.write(nb, paths[-1])
    out = tmp / "html"
    status = runner.main(["--no-execute", "--html", str(out), *map(str, paths)])
    return out, status


def same_pixels(png_a, png_b):
    from PIL import Image

    a, b = (Image.open(io.BytesIO(p)).convert("RGB") for p in (png_a, png_b))
    return a.size == b.size and a.tobytes() == b.tobytes()


def cards(index_html):
    """The index page's cards, in order."""
    return re.findall(r'<li class="card">(.*?)</li>', index_html, re.DOTALL)


def remote_resources(page):
    """src/href of every <script> and <link> element that points off the machine."""
    tags = re.findall(r"<(?:script|link)\b[^>]*>", page)
    return [t for t in tags if re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", t)]


def test_exit_status_reports_the_failed_lesson(site):
    assert site[1] == 1


def test_pages_load_mathjax_from_the_build_folder_and_nothing_remote(site):
    out, _ = site
    for page_path in [out / "index.html", *sorted(out.glob("0*.html"))]:
        page = page_path.read_text(encoding="utf-8")
        assert remote_resources(page) == [], page_path.name
        url = urllib.parse.urlsplit(re.search(r'<script src="([^"]*MathJax\.js[^"]*)"', page).group(1))
        assert not url.scheme and not url.path.startswith("/")
        assert (out / url.path).is_file()
        for config in urllib.parse.parse_qs(url.query)["config"][0].split(","):
            assert (out / pathlib.Path(url.path).parent / "config" / f"{config}.js").is_file(), config


def test_lesson_page_keeps_math_and_a_playable_animation(site):
    page = (site[0] / "01_held.html").read_text(encoding="utf-8")
    assert "$x^2$" in page and "$$\\int_0^1 x\\,dx = \\tfrac12.$$" in page
    assert "new Animation(frames" in page and "anim-buttons" in page  # the animation's own script survives
    assert "font-awesome" not in page and ".fa-play::before" in page  # icons are inline, not from a CDN


def test_card_of_a_lesson_that_held(site):
    out, _ = site
    card = cards((out / "index.html").read_text(encoding="utf-8"))[0]
    assert '<a href="01_held.html">01 · A held lesson</a>' in card
    assert "The generator $G$ learns <strong>pairs</strong>, e.g. these." in card
    assert "Second sentence" not in card
    assert "run time 2 min 05 s" in card
    assert "claims held" in card and "it works   1.0" in card
    thumbnail = re.search(r'<img src="([^"]+)"', card).group(1)
    assert thumbnail == "thumbs/01_held.png"
    assert (out / thumbnail).read_bytes().startswith(b"\x89PNG")
    assert not same_pixels((out / thumbnail).read_bytes(), base64.b64decode(PNG))  # the tagged animation's frame


def test_card_of_a_lesson_that_failed(site):
    out, _ = site
    card = cards((out / "index.html").read_text(encoding="utf-8"))[1]
    assert "FAILED: AssertionError: KS 0.31 &gt; 0.05" in card and "more detail" not in card
    assert "<pre>partial</pre>" in card and "done" not in card
    assert "run time" not in card  # not recorded in the notebook
    assert same_pixels((out / "thumbs" / "02_failed.png").read_bytes(), base64.b64decode(PNG))


def test_card_of_a_lesson_not_run(site):
    out, _ = site
    card = cards((out / "index.html").read_text(encoding="utf-8"))[2]
    assert "not run" in card and "<img" not in card and "<pre>" not in card


def test_first_sentence(runner):
    assert runner.first_sentence("One (Lin et al. 2018).\nTwo.") == "One (Lin et al. 2018)."
    assert runner.first_sentence("A map, e.g. $x$ to $y$! Then more.") == "A map, e.g. $x$ to $y$!"
    assert runner.first_sentence("No full stop") == "No full stop"


def test_card_of_a_lesson_stopped_before_its_check(site):
    card = cards((site[0] / "index.html").read_text(encoding="utf-8"))[3]
    assert "not run: an earlier cell raised ValueError: bad shape" in card


class StopsAtTheFirstCell:
    """Stands in for nbclient's NotebookClient: the first cell raises, as a kernel would report it."""

    def __init__(self, nb, **kwargs):
        self.nb = nb

    def execute(self):
        self.nb.cells[0].outputs = [new_output("error", ename="ValueError", evalue="stop", traceback=[])]
        raise CellExecutionError("Traceback ...\n\x1b[0;31mValueError\x1b[0m: stop", "ValueError", "stop")


def test_execute_clears_the_outputs_a_failed_run_did_not_reach(runner, tmp_path, monkeypatch):
    """Cells after the one that raised keep no saved outputs, so they cannot pass for this run's."""
    monkeypatch.setattr(runner, "NotebookClient", StopsAtTheFirstCell)
    nb = new_notebook(cells=[code("raise ValueError('stop')"), code("assert True", [stdout("stale\n")], count=7)])
    nbformat.write(nb, tmp_path / "stops.ipynb")
    executed, seconds, error = runner.execute(tmp_path / "stops.ipynb", timeout=60)
    assert error == "ValueError: stop"
    assert executed.cells[1].outputs == [] and executed.cells[1].execution_count is None
    assert runner.check_result(runner.check_cell(executed)).state == "not run"
    assert executed.metadata["run_notebooks"] == {"seconds": round(seconds, 1)}



class RunsPastItsTimeout(StopsAtTheFirstCell):
    """Stands in for NotebookClient: the first cell runs past the timeout, as nbclient reports it."""

    def execute(self):
        raise CellTimeoutError("A cell timed out while it was being executed, after 600 seconds.\nThe message was: ...")


def test_a_cell_past_its_timeout_is_a_failed_run_not_a_crash(runner, tmp_path, monkeypatch):
    """backends.py and seeds.py run many lessons in a row: one slow cell must fail its run, not stop the rest."""
    monkeypatch.setattr(runner, "NotebookClient", RunsPastItsTimeout)
    nbformat.write(new_notebook(cells=[code("import time; time.sleep(9999)")]), tmp_path / "slow.ipynb")
    _, _, error = runner.execute(tmp_path / "slow.ipynb", timeout=600)
    assert error == "CellTimeoutError: A cell timed out while it was being executed, after 600 seconds."

# --- pages a reader can find their way around ---------------------------------------------------------


def gif_animation_html(frames=3):
    """What gk.plots.animate writes, without importing Keras: a GIF in an <img>, a player script."""
    from PIL import Image

    images = [Image.new("RGB", (400, 100), (255, 255, 255)) for _ in range(frames)]
    for k, image in enumerate(images):
        image.paste((40 * k, 0, 0), (0, 0, 190, 90))        # left panel, its colour per frame
        image.paste((0, 0, 200), (210, 0, 400, 90))          # right panel after a blank gap
    buffer = io.BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:], duration=200, loop=0)
    encoded = base64.b64encode(buffer.getvalue()).decode()
    return f'<div class="gk-animation"><img src="data:image/gif;base64,{encoded}"><script>0</script></div>'


@pytest.fixture(scope="module")
def course(runner, tmp_path_factory):
    """Two lessons (one with a GIF animation, nbval markers and a summary), one with worked solutions."""
    tmp = tmp_path_factory.mktemp("course")
    (tmp / "notebooks").mkdir()
    (tmp / "solutions").mkdir()
    first = new_notebook(cells=[
        new_markdown_cell("# 01 · First\n\nBackground that is not a summary. More.\n\n"
                          "Solutions: [worked solutions](../solutions/01_first_solutions.ipynb)"),
        code("# NBVAL_IGNORE_OUTPUT\nanimate()", [new_output("display_data", data={"text/html": gif_animation_html()})]),
    ])
    first.metadata["summary"] = "You learn $x$ and see it move."
    second = new_notebook(cells=[new_markdown_cell("# 02 · Second\n\nIt follows.")])
    solutions = new_notebook(cells=[new_markdown_cell("# Solutions to lesson 01\n\nAnswers.")])
    nbformat.write(first, tmp / "notebooks" / "01_first.ipynb")
    nbformat.write(second, tmp / "notebooks" / "02_second.ipynb")
    nbformat.write(solutions, tmp / "solutions" / "01_first_solutions.ipynb")
    out = tmp / "html"
    runner.main(["--no-execute", "--html", str(out), "--solutions", str(tmp / "solutions"),
                 str(tmp / "notebooks" / "01_first.ipynb"), str(tmp / "notebooks" / "02_second.ipynb")])
    return out


def test_pages_have_a_title_and_links_to_the_index_neighbours_and_solutions(course):
    first = (course / "01_first.html").read_text(encoding="utf-8")
    second = (course / "02_second.html").read_text(encoding="utf-8")
    assert "<title>01 · First · GAN lessons in Keras 3</title>" in first
    assert '<a href="index.html">' in first and '<a href="02_second.html">02 · Second →</a>' in first
    assert '<a href="01_first_solutions.html">worked solutions</a>' in first
    assert '<a href="01_first.html">← 01 · First</a>' in second and "solutions" not in second
    assert 'href="01_first_solutions.html"' in first.split('<nav class="course-nav bottom">')[0].split("</nav>", 1)[1]
    solutions = (course / "01_first_solutions.html").read_text(encoding="utf-8")
    assert "<title>Solutions to lesson 01 · GAN lessons in Keras 3</title>" in solutions
    assert '<a href="01_first.html">← back to 01 · First</a>' in solutions


def test_pages_hide_nbval_markers_and_keep_the_animation(course):
    first = (course / "01_first.html").read_text(encoding="utf-8")
    assert "NBVAL" not in first and "animate" in first and "data:image/gif;base64," in first


def test_card_says_the_summary_links_solutions_and_shows_one_panel_of_the_last_frame(course):
    from PIL import Image

    card = cards((course / "index.html").read_text(encoding="utf-8"))[0]
    assert "You learn $x$ and see it move." in card and "Background" not in card
    assert '<a class="solutions" href="01_first_solutions.html">worked solutions</a>' in card
    thumbnail = Image.open(course / "thumbs" / "01_first.png").convert("RGB")
    assert thumbnail.width < 200                                   # the left panel only
    assert thumbnail.getpixel((thumbnail.width // 2, 40)) == (80, 0, 0)   # of the last frame


def test_mathjax_finds_every_font_it_declares(runner, site):
    """The TeX otf names the hidden assistive MathML declares exist; MathJax_Blank loads no about:blank."""
    out, _ = site
    for name in runner.TEX_OTF_STAND_INS:
        assert (out / "mathjax" / "fonts" / "HTML-CSS" / "TeX" / "otf" / name).stat().st_size > 1000, name
    offline = (out / "mathjax" / "config" / "local" / "offline.js").read_text(encoding="utf-8")
    assert "MathJax_Blank" in offline and "local('MathJax_Blank')" in offline
