"""Figures the lessons share: samples over the data, 1-D densities, D's decision surface, snapshots, animations.

Each function draws on a matplotlib Axes it is given (or makes a figure) and returns it; none
changes matplotlib's global style.
"""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from keras import ops

from . import models
from .autodiff import input_gradient
from .checks import function, positive_int


def plot_samples_2d(ax, samples, centers=None, lim=1.6, title=None, s=3, alpha=0.4):
    """Scatter (n, 2) samples over the mixture's centres (hollow grey rings) if given."""
    samples = np.asarray(samples)
    if centers is not None:   # hollow rings *under* the samples: a collapsed mode stays visible
        centers = np.asarray(centers)
        ax.scatter(centers[:, 0], centers[:, 1], marker="o", s=40, facecolors="none", edgecolors="0.45",
                   linewidths=0.8, zorder=1)
    ax.scatter(samples[:, 0], samples[:, 1], s=s, alpha=alpha, color="tab:orange", linewidths=0, zorder=2)
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xticks=[], yticks=[])
    if title:
        ax.set_title(title, fontsize=9)
    return ax


def plot_density_1d(ax, samples, pdf=None, bins=80, value_range=(-4, 4), label="G samples"):
    """Histogram of 1-D samples as a density, with the target `pdf` (callable) as a line."""
    ax.hist(np.asarray(samples).ravel(), bins=bins, range=value_range, density=True, alpha=0.5, label=label)
    if pdf is not None:
        x = np.linspace(*value_range, 400)
        ax.plot(x, pdf(x), color="black", lw=1.5, label="target")
    ax.legend(fontsize=8)
    return ax


def decision_surface(discriminator, lim=1.6, resolution=100):
    """D's probability sigmoid(D(x)) on a (resolution, resolution) grid over [-lim, lim]^2.

    Returns (xx, yy, prob) for `ax.contourf`.
    """
    ticks = np.linspace(-lim, lim, resolution)
    xx, yy = np.meshgrid(ticks, ticks)
    grid = np.stack([xx.ravel(), yy.ravel()], axis=1).astype(np.float32)
    logits = models.apply(discriminator, grid)
    return xx, yy, (1.0 / (1.0 + np.exp(-logits))).reshape(xx.shape)


def plot_decision_surface(ax, discriminator, fake, centers=None, lim=1.6, arrows=64, colorbar=True):
    """D's probability as a heat map (with a colour bar), G's samples, and arrows on the first `arrows` fakes
    inside the frame (those whose head would leave it are dropped), with a key that gives an arrow's length.

    The arrows are ∇_x log D(x) at the fakes: the direction in which the non-saturating G loss
    (-log D) moves each sample.
    """
    xx, yy, prob = decision_surface(discriminator, lim)
    mesh = ax.contourf(xx, yy, prob, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.8)
    plot_samples_2d(ax, fake, centers, lim=lim)
    fake = np.asarray(fake, dtype=np.float32)
    inside = fake[np.all(np.abs(fake) < lim, axis=1)][:arrows]
    if colorbar:
        ax.figure.colorbar(mesh, ax=ax, label="D(x) = P(real)", shrink=0.85)
    if len(inside) == 0:
        return mesh
    _, grad = input_gradient(lambda x: -ops.softplus(-discriminator(x)), ops.convert_to_tensor(inside))
    grad = ops.convert_to_numpy(grad)
    norms = np.linalg.norm(grad, axis=1)
    scale = max(float(norms.max()), 1e-12) / (0.4 * lim)   # one length unit per data unit: the longest arrow spans 0.4·lim
    keep = np.all(np.abs(inside + grad / scale) < lim, axis=1)   # arrows whose head stays in the frame
    arrow = ax.quiver(inside[keep, 0], inside[keep, 1], grad[keep, 0], grad[keep, 1], angles="xy", scale_units="xy",
                      scale=scale, color="black", width=0.004, alpha=0.8)
    key = float(f"{norms.max() / 2:.1g}")   # a round length near half the longest arrow
    label = ax.quiverkey(arrow, 0.12, 0.05, key, rf"$\|\nabla_x \log D\|$ = {key:g}", labelpos="E", coordinates="axes",
                         fontproperties={"size": 9}).text
    label.set_bbox({"facecolor": "white", "alpha": 0.85, "edgecolor": "none", "pad": 1})   # readable over arrows
    return mesh


def snapshot_grid(n, ncols=4, size=2.2):
    """A figure with n square panels in rows of `ncols`; returns (fig, flat list of n axes)."""
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows), squeeze=False)
    axes = axes.ravel()
    for ax in axes[n:]:
        ax.remove()
    return fig, list(axes[:n])


def plot_snapshots(steps, samples, centers=None, lim=1.6, ncols=4):
    """One 2-D scatter panel per snapshot, titled with its step. Returns the figure."""
    fig, axes = snapshot_grid(len(steps), ncols)
    for ax, step, s in zip(axes, steps, samples):
        plot_samples_2d(ax, s, centers, lim=lim, title=f"step {step}")
    fig.tight_layout()
    return fig


ROW_TITLE_SIZE = 11  # pt: image_grid's row titles, readable at 1:1 (the course's figures use ≥ 10 pt)


def image_grid(rows, row_titles=None, size=0.7, vmin=-1.0, vmax=1.0, cmap="gray"):
    """A figure with one row of small image panels per entry of `rows`, each row titled on its left.

    Args:
        rows: list of arrays (n, h, w), (n, h, w, 1) or (n, h, w, 3), all with the same n; values in
            [vmin, vmax] (grey images use `cmap`; RGB images are rescaled to [0, 1]).
        row_titles: optional list of strings, one per row (at `ROW_TITLE_SIZE` pt).
        size: inches per panel.
        vmin, vmax: the value range of the images (the lessons' images live in [-1, 1]).
        cmap: colour map for one-channel images.
    Returns:
        matplotlib Figure with len(rows) × n axes, without ticks.
    """
    if isinstance(rows, np.ndarray) or not isinstance(rows, (list, tuple)) or not rows:
        raise ValueError("`rows` must be a non-empty list of image arrays, one per row.")
    rows = [np.asarray(r, dtype=np.float32) for r in rows]
    for i, r in enumerate(rows):
        if r.ndim == 4 and r.shape[-1] == 1:
            rows[i] = r[..., 0]
        elif not (r.ndim == 3 or (r.ndim == 4 and r.shape[-1] == 3)):
            raise ValueError(f"`rows[{i}]` must be (n, h, w), (n, h, w, 1) or (n, h, w, 3), got shape {r.shape}.")
    n = len(rows[0])
    if n == 0 or any(len(r) != n for r in rows):
        raise ValueError(f"`rows` must all hold the same number (>= 1) of images, got {[len(r) for r in rows]}.")
    if row_titles is not None and len(row_titles) != len(rows):
        raise ValueError(f"`row_titles` must have one title per row ({len(rows)}), got {len(row_titles)}.")
    fig, axes = plt.subplots(len(rows), n, figsize=(size * n, size * len(rows)), squeeze=False)
    for i, r in enumerate(rows):
        for j in range(n):
            ax = axes[i, j]
            if r.ndim == 4:
                ax.imshow(np.clip((r[j] - vmin) / (vmax - vmin), 0, 1))
            else:
                ax.imshow(r[j], cmap=cmap, vmin=vmin, vmax=vmax)
            ax.set(xticks=[], yticks=[])
        if row_titles is not None:
            axes[i, 0].set_ylabel(row_titles[i], rotation=0, ha="right", va="center",
                                   fontsize=ROW_TITLE_SIZE)
    return fig


class Animation:
    """An animation as one self-contained HTML snippet (`html`) of `frames` frames; Jupyter shows it playing.

    `gif` holds the animated GIF the snippet embeds.
    """

    def __init__(self, html, frames, gif=None):
        self.html, self.frames, self.gif = html, frames, gif

    def _repr_html_(self):
        return self.html

    def __repr__(self):
        return f"<Animation: {self.frames} frames>"


# The player: a small script that decodes the GIF's frames (the browser's ImageDecoder) onto a canvas with
# buttons and a slider, and plays them. Where the script does not run (an untrusted notebook in JupyterLab,
# whose HTML is sanitised; GitHub; a browser without ImageDecoder) the <img> stays: the GIF plays by itself.
_PLAYER_JS = r"""(function () {
  var root = document.currentScript ? document.currentScript.parentNode : document.getElementById("__ID__");
  var img = root && root.querySelector("img");
  if (!img || !window.ImageDecoder || !window.createImageBitmap) return;
  var n = Number(root.getAttribute("data-frames")), delay = Number(root.getAttribute("data-interval"));
  var raw = atob(img.getAttribute("src").split(",")[1]), bytes = new Uint8Array(raw.length);
  for (var k = 0; k < raw.length; k++) bytes[k] = raw.charCodeAt(k);
  var decoder = new ImageDecoder({data: bytes, type: "image/gif"}), bitmaps = [];
  function decode(i) {
    if (i === n) { decoder.close(); return build(); }
    decoder.decode({frameIndex: i}).then(function (result) {
      return createImageBitmap(result.image).then(function (bitmap) {
        result.image.close(); bitmaps.push(bitmap); decode(i + 1);
      });
    }).catch(function () {});
  }
  function build() {
    var canvas = document.createElement("canvas"), bar = document.createElement("div");
    var frame = 0, timer = null, seen = false;
    canvas.width = bitmaps[0].width; canvas.height = bitmaps[0].height;
    canvas.style.cssText = "display:block;max-width:100%;height:auto";
    bar.style.cssText = "display:flex;align-items:center;gap:4px;margin-top:4px;font:13px sans-serif";
    var ctx = canvas.getContext("2d");
    function button(text, title, action) {
      var b = document.createElement("button");
      b.textContent = text; b.title = title; b.onclick = action; bar.appendChild(b); return b;
    }
    function show(i) {
      frame = (i + n) % n; ctx.drawImage(bitmaps[frame], 0, 0);
      slider.value = frame; label.textContent = "frame " + (frame + 1) + " / " + n;
      root.setAttribute("data-frame", frame);
    }
    function tick() {
      if (!root.isConnected) { if (seen) pause(); return; }
      seen = true; show(frame + 1);
    }
    function play() {
      if (timer === null) timer = setInterval(tick, delay);
      toggle.textContent = "\u275A\u275A"; toggle.title = "pause"; root.setAttribute("data-playing", "1");
    }
    function pause() {
      if (timer !== null) clearInterval(timer);
      timer = null; toggle.textContent = "\u25B6\uFE0E"; toggle.title = "play"; root.setAttribute("data-playing", "0");
    }
    button("\u2759\u25C0\uFE0E", "first frame", function () { pause(); show(0); });
    button("\u25C0\uFE0E", "previous frame", function () { pause(); show(frame - 1); });
    var toggle = button("", "", function () { if (timer === null) play(); else pause(); });
    button("\u25B6\uFE0E", "next frame", function () { pause(); show(frame + 1); });
    button("\u25B6\uFE0E\u2759", "last frame", function () { pause(); show(n - 1); });
    var slider = document.createElement("input");
    slider.type = "range"; slider.min = 0; slider.max = n - 1; slider.style.flex = "1";
    slider.oninput = function () { pause(); show(Number(slider.value)); };
    var label = document.createElement("span");
    bar.appendChild(slider); bar.appendChild(label);
    img.replaceWith(canvas); root.appendChild(bar);
    show(0); play();
  }
  decode(0);
})();"""

MIN_ANIMATION_WIDTH = 600   # px: the default dpi makes every movie at least this wide


def animate(fig, draw, frames, fps=4, dpi=None, frame_format="png"):
    """Play `draw(i)` for `i` in `range(frames)` on `fig` as an `Animation`, and close `fig`.

    The frames are stored once, as an animated GIF (a palette of 256 colours per frame, via Pillow), inside
    an HTML snippet with a small player: where JavaScript runs (JupyterLab on a trusted notebook, VS Code,
    the exported pages) the player shows the frames with play/pause, step buttons and a slider; where it
    does not (an untrusted notebook in JupyterLab, GitHub) the GIF plays by itself. Either way, offline.

    `dpi=None` (the default) draws at least `MIN_ANIMATION_WIDTH` px wide (and at least 60 dpi).
    `frame_format` ("png", "jpeg" or "gif") is accepted for older calls; every frame goes into the GIF.
    """
    import base64
    import hashlib
    import io
    import math

    from PIL import Image

    if not isinstance(fig, matplotlib.figure.Figure):
        raise TypeError(f"`fig` must be a matplotlib Figure, got {type(fig).__name__}.")
    function("draw", draw)
    frames = positive_int("frames", frames)
    if frame_format not in ("png", "jpeg", "gif"):
        raise ValueError(f"`frame_format` must be 'png', 'jpeg' or 'gif', got {frame_format!r}.")
    if isinstance(fps, bool) or not isinstance(fps, (int, float)) or not 0 < fps <= 100:
        raise ValueError(f"`fps` must be a number in (0, 100], got {fps!r}.")
    if dpi is None:
        dpi = max(60, math.ceil(MIN_ANIMATION_WIDTH / fig.get_figwidth()))
    fig.set_dpi(positive_int("dpi", dpi))
    images = []
    try:
        for i in range(frames):
            draw(i)
            fig.canvas.draw()
            rgb = Image.fromarray(np.asarray(fig.canvas.buffer_rgba())[..., :3])
            images.append(rgb.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE))
    finally:
        plt.close(fig)
    interval = max(20, round(1000 / fps))
    buffer = io.BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:], duration=interval, loop=0)
    gif = buffer.getvalue()
    stored = Image.open(io.BytesIO(gif)).n_frames   # Pillow merges identical neighbours into one frame
    player_id = "gk-animation-" + hashlib.sha1(gif).hexdigest()[:12]
    width, height = images[0].size
    html = (f'<div class="gk-animation" id="{player_id}" data-frames="{stored}" data-interval="{interval}" '
            f'style="display:inline-block;max-width:100%">\n'
            f'<img src="data:image/gif;base64,{base64.b64encode(gif).decode()}" width="{width}" '
            f'height="{height}" style="max-width:100%;height:auto" alt="animation, {frames} frames">\n'
            f'<script>\n{_PLAYER_JS.replace("__ID__", player_id)}\n</script>\n</div>')
    return Animation(html, frames, gif)
