"""Figures the lessons share: samples over the data, 1-D densities, D's decision surface, snapshots, animations.

Each function draws on a matplotlib Axes it is given (or makes a figure) and returns it; none
changes matplotlib's global style.
"""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from keras import ops
from matplotlib.animation import FuncAnimation

from . import models
from .backend import input_gradient
from .checks import positive_int


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
    """D's probability as a heat map (with a colour bar), G's samples, and arrows on the first `arrows`.

    The arrows are ∇_x log D(x) at the fakes: the direction in which the non-saturating G loss
    (-log D) moves each sample.
    """
    xx, yy, prob = decision_surface(discriminator, lim)
    mesh = ax.contourf(xx, yy, prob, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.8)
    plot_samples_2d(ax, fake, centers, lim=lim)
    pts = ops.convert_to_tensor(np.asarray(fake[:arrows], dtype=np.float32))
    _, grad = input_gradient(lambda x: -ops.softplus(-discriminator(x)), pts)
    pts, grad = ops.convert_to_numpy(pts), ops.convert_to_numpy(grad)
    ax.quiver(pts[:, 0], pts[:, 1], grad[:, 0], grad[:, 1], color="black", width=0.004, alpha=0.8)
    if colorbar:
        ax.figure.colorbar(mesh, ax=ax, label="D(x) = P(real)", shrink=0.85)
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


def image_grid(rows, row_titles=None, size=0.7, vmin=-1.0, vmax=1.0, cmap="gray"):
    """A figure with one row of small image panels per entry of `rows`, each row titled on its left.

    Args:
        rows: list of arrays (n, h, w), (n, h, w, 1) or (n, h, w, 3), all with the same n; values in
            [vmin, vmax] (grey images use `cmap`; RGB images are rescaled to [0, 1]).
        row_titles: optional list of strings, one per row.
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
            axes[i, 0].set_ylabel(row_titles[i], rotation=0, ha="right", va="center", fontsize=8)
    return fig


class Animation:
    """An animation as one self-contained HTML snippet (`html`) of `frames` frames; Jupyter shows it playable."""

    def __init__(self, html, frames):
        self.html, self.frames = html, frames

    def _repr_html_(self):
        return self.html


def animate(fig, draw, frames, fps=4, dpi=60, frame_format="png"):
    """Play `draw(i)` for `i` in `range(frames)` on `fig` as an `Animation`, and close `fig`.

    Built with `FuncAnimation(...).to_jshtml()`: the frames are embedded as images with play controls in
    plain JavaScript, so it plays in JupyterLab and in exported HTML, offline. `dpi` and `frame_format`
    ("png" for lines and dots, "jpeg" for heat maps) keep a notebook small: about 10-40 kB per frame.
    """
    if not isinstance(fig, matplotlib.figure.Figure):
        raise TypeError(f"`fig` must be a matplotlib Figure, got {type(fig).__name__}.")
    if not callable(draw):
        raise TypeError(f"`draw` must be callable, got {type(draw).__name__}.")
    frames = positive_int("frames", frames)
    if frame_format not in ("png", "jpeg"):
        raise ValueError(f"`frame_format` must be 'png' or 'jpeg', got {frame_format!r}.")
    fig.set_dpi(positive_int("dpi", dpi))
    animation = FuncAnimation(fig, draw, frames=frames, interval=1000 / fps, repeat=True)
    with matplotlib.rc_context({"animation.frame_format": frame_format}):
        html = animation.to_jshtml(default_mode="loop")
    plt.close(fig)
    return Animation(html, frames)
