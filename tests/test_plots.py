"""gan_keras.plots: every function runs headless on tiny inputs and returns what it promises."""

import base64
import io

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.contour import QuadContourSet  # noqa: E402
from matplotlib.quiver import Quiver  # noqa: E402
from PIL import Image  # noqa: E402

from gan_keras import plots  # noqa: E402

CENTERS = gk.data.ring_centers()
SAMPLES = gk.data.sample_ring(40, seed=0)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def ax():
    return plt.subplots()[1]


def constant_discriminator():
    """D(x) = 0 everywhere, so sigmoid(D) = 0.5."""
    d = gk.models.mlp(2, 1, hidden=(4,))
    d.set_weights([np.zeros_like(w) for w in d.get_weights()])
    return d


def test_plot_samples_2d(ax):
    assert plots.plot_samples_2d(ax, SAMPLES, CENTERS, title="ring") is ax
    assert len(ax.collections) == 2  # samples and centres
    assert ax.get_title() == "ring"
    assert ax.get_xlim() == pytest.approx((-1.6, 1.6))


def test_plot_samples_2d_without_centres(ax):
    plots.plot_samples_2d(ax, SAMPLES)
    assert len(ax.collections) == 1


def test_plot_density_1d(ax):
    x = gk.data.sample_gaussian_1d(100, seed=0)
    pdf = lambda t: np.exp(-t**2 / 2) / np.sqrt(2 * np.pi)  # noqa: E731
    assert plots.plot_density_1d(ax, x, pdf=pdf, bins=10) is ax
    assert len(ax.patches) == 10
    assert [line.get_label() for line in ax.get_lines()] == ["target"]


def test_decision_surface_of_a_constant_discriminator_is_one_half():
    xx, yy, prob = plots.decision_surface(constant_discriminator(), lim=1.0, resolution=7)
    assert xx.shape == yy.shape == prob.shape == (7, 7)
    assert xx.min() == -1.0 and xx.max() == 1.0
    np.testing.assert_allclose(prob, 0.5)


def test_plot_decision_surface(ax):
    d = gk.models.mlp(2, 1, hidden=(4,))
    mesh = plots.plot_decision_surface(ax, d, SAMPLES, CENTERS, arrows=8)
    assert isinstance(mesh, QuadContourSet)


def test_decision_surface_arrows_point_up_log_d(ax):
    """For D(x) = w·x the arrows are ∇ log D = (1 - D)·w: along +w, where -log D sends G's samples."""
    w = np.array([[0.6], [-0.8]], dtype=np.float32)
    d = gk.models.mlp(2, 1, hidden=())
    d.set_weights([w, np.zeros(1, dtype=np.float32)])
    plots.plot_decision_surface(ax, d, SAMPLES, arrows=8)
    (quiver,) = [c for c in ax.collections if isinstance(c, Quiver)]
    arrows = np.stack([quiver.U, quiver.V], axis=1)
    assert arrows.shape == (8, 2)
    prob = 1 / (1 + np.exp(-(SAMPLES[:8] @ w)))
    np.testing.assert_allclose(arrows, (1 - prob) * w.T, rtol=1e-4, atol=1e-6)


def test_snapshot_grid_removes_the_unused_panels():
    fig, axes = plots.snapshot_grid(5, ncols=4)
    assert len(axes) == 5 and len(fig.axes) == 5


def test_plot_snapshots_titles_each_panel_with_its_step():
    fig = plots.plot_snapshots([0, 10, 20], [SAMPLES] * 3, CENTERS, ncols=2)
    assert isinstance(fig, matplotlib.figure.Figure)
    assert [a.get_title() for a in fig.axes] == ["step 0", "step 10", "step 20"]


def test_plots_leave_the_global_style_alone(ax):
    before = dict(matplotlib.rcParams)
    plots.plot_samples_2d(ax, SAMPLES, CENTERS)
    plots.plot_snapshots([0], [SAMPLES])
    assert dict(matplotlib.rcParams) == before


# --- image grids ---------------------------------------------------------------------------------------

def test_image_grid_one_row_per_array_titled_on_the_left():
    rng = np.random.default_rng(0)
    rows = [rng.uniform(-1, 1, (5, 8, 8, 1)), rng.uniform(-1, 1, (5, 8, 8))]
    fig = plots.image_grid(rows, row_titles=["a", "G(a)"])
    assert isinstance(fig, matplotlib.figure.Figure) and len(fig.axes) == 10
    assert [ax.get_ylabel() for ax in fig.axes[::5]] == ["a", "G(a)"]
    assert all(ax.yaxis.label.get_fontsize() >= 10 for ax in fig.axes[::5])  # readable at 1:1
    image = fig.axes[0].get_images()[0]
    np.testing.assert_allclose(image.get_array(), rows[0][0, ..., 0])
    assert image.get_clim() == (-1.0, 1.0)
    assert all(ax.get_xticks().size == 0 for ax in fig.axes)


def test_image_grid_rescales_rgb_rows_to_the_unit_range():
    rgb = np.stack([np.full((4, 4, 3), -1.0), np.full((4, 4, 3), 1.0)])
    fig = plots.image_grid([rgb])
    assert len(fig.axes) == 2
    np.testing.assert_allclose(fig.axes[0].get_images()[0].get_array(), 0.0)
    np.testing.assert_allclose(fig.axes[1].get_images()[0].get_array(), 1.0)


@pytest.mark.parametrize("rows, titles, name", [
    ([], None, "rows"),
    (np.zeros((2, 8, 8)), None, "rows"),
    ([np.zeros((2, 8, 8)), np.zeros((3, 8, 8))], None, "rows"),
    ([np.zeros((0, 8, 8))], None, "rows"),
    ([np.zeros((2, 8, 8, 2))], None, "rows\\[0\\]"),
    ([np.zeros((2, 8))], None, "rows\\[0\\]"),
    ([np.zeros((2, 8, 8))], ["a", "b"], "row_titles"),
])
def test_image_grid_rejects_bad_rows(rows, titles, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        plots.image_grid(rows, row_titles=titles)


def test_animate_returns_a_gif_with_a_player_and_closes_the_figure():
    fig, ax = plt.subplots(figsize=(2, 2))
    (line,) = ax.plot([], [])
    drawn = []

    def draw(i):
        drawn.append(i)
        line.set_data([0, 1], [0, i])
        ax.set(xlim=(0, 1), ylim=(0, 3))

    animation = plots.animate(fig, draw, frames=3, fps=5, dpi=20)
    html = animation._repr_html_()
    assert animation.frames == 3 and set(drawn) >= {0, 1, 2}
    assert not plt.fignum_exists(fig.number)
    # One copy of the frames: the GIF, shown by an <img> the sanitiser keeps, played by the script where it runs
    assert html.count("data:image/gif;base64,") == 1 and "<script>" in html and "ImageDecoder" in html
    encoded = html.split("data:image/gif;base64,")[1].split('"')[0]
    gif = Image.open(io.BytesIO(base64.b64decode(encoded)))
    assert base64.b64decode(encoded) == animation.gif
    assert gif.format == "GIF" and gif.n_frames == 3 and gif.size == (40, 40) and gif.info["loop"] == 0
    assert gif.info["duration"] == 200 and 'data-frames="3"' in html and 'data-interval="200"' in html
    frames = []
    for k in range(3):
        gif.seek(k)
        frames.append(np.asarray(gif.convert("RGB")))
    assert not np.array_equal(frames[0], frames[2])   # it moves


def test_animate_defaults_to_at_least_600_px_wide():
    fig, ax = plt.subplots(figsize=(4, 2))
    gif = plots.animate(fig, lambda i: ax.set_title(str(i)), frames=2).gif
    assert Image.open(io.BytesIO(gif)).size[0] >= plots.MIN_ANIMATION_WIDTH


def test_animate_accepts_the_old_frame_formats():
    for frame_format in ("png", "jpeg", "gif"):
        fig, ax = plt.subplots(figsize=(2, 2))
        html = plots.animate(fig, lambda i: ax.set_title(str(i)), frames=2, dpi=20, frame_format=frame_format).html
        assert html.count("data:image/gif;base64") == 1


@pytest.mark.parametrize("kwargs, error", [
    (dict(fig="figure"), TypeError), (dict(draw=3), TypeError), (dict(frames=0), ValueError),
    (dict(frames=2.5), TypeError), (dict(frame_format="svg"), ValueError), (dict(fps=0), ValueError),
    (dict(dpi=0), ValueError),
])
def test_animate_rejects_bad_arguments(kwargs, error):
    fig, ax = plt.subplots()
    arguments = {"fig": fig, "draw": lambda i: None, "frames": 2} | kwargs
    with pytest.raises(error, match=next(iter(kwargs))):
        plots.animate(**arguments)
    plt.close("all")


def test_decision_surface_arrows_stay_in_the_frame(ax):
    """Arrows start inside [-lim, lim]² and none ends outside it; samples outside the frame get none."""
    w = np.array([[3.0], [0.0]], dtype=np.float32)
    d = gk.models.mlp(2, 1, hidden=())
    d.set_weights([w, np.zeros(1, dtype=np.float32)])
    fake = np.array([[1.5, 0.0], [-1.5, 0.0], [0.0, 0.0], [5.0, 0.0]], dtype=np.float32)
    plots.plot_decision_surface(ax, d, fake, lim=1.6)
    (quiver,) = [c for c in ax.collections if isinstance(c, Quiver)]
    heads = quiver.get_offsets() + np.stack([quiver.U, quiver.V], axis=1) / quiver.scale
    assert len(heads) >= 1 and np.all(np.abs(quiver.get_offsets()) < 1.6) and np.all(np.abs(heads) < 1.6)


def test_decision_surface_with_no_sample_in_the_frame(ax):
    d = gk.models.mlp(2, 1, hidden=(4,))
    plots.plot_decision_surface(ax, d, np.full((5, 2), 9.0, dtype=np.float32), lim=1.6)
    assert not [c for c in ax.collections if isinstance(c, Quiver)]
