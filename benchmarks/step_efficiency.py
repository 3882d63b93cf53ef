"""Step efficiency: how much of the machine's matmul speed each trainer's `fit()` step achieves.

    python benchmarks/step_efficiency.py            # every row of CONFIG
    python benchmarks/step_efficiency.py --quick    # smoke test: a few steps per row

For each trainer in CONFIG: the median step time through `fit()` (`gk.timing.fit_step_ms`), the
floating-point operations one step does (counted from the layer shapes, below), the achieved GFLOP/s,
and that as a fraction of a dense float32 matmul peak measured in the same run on the same device (the
median time of a 1024×1024 and of a 2048×2048 matmul, the faster of the two; measured before and after
the trainers, the better of the two kept). A row at >= 50 % of the peak is called compute-bound: the
step is about as fast as its arithmetic allows. Below that it is overhead-bound: per-op dispatch, small
matrices that cannot use the cores well, elementwise ops (activations, norms, the optimizer's update)
that the count leaves out, the input pipeline and the callbacks take the time, not the FLOPs.

How FLOPs are counted (per sample, multiply-add = 2 FLOPs; bias adds, activations, normalisations and
the optimizer's update are not counted, so every figure is a slight undercount):

- forward of a Dense layer: 2·in·out (times the positions, for inputs of rank > 2);
  of a Conv2D layer: 2·kh·kw·(cin/groups)·cout·H_out·W_out. F(net) sums its layers.
- backward through a network whose weights are trained: 2·F (input gradient + weight gradient);
  through one that is only differentiated through (D in G's step): 1·F.
- a gradient of a gradient (WGAN-GP's penalty): the inner input-gradient pass costs 1·F, and
  differentiating forward + inner backward with respect to the weights costs 2·(F + F).

Per train step, with batch B (each trainer's train_step in gan_keras):

- GAN, k D steps: each D step runs G forward (B), D forward on real and fake (2B) and D backward with
  weight gradients (2B): B·(F_G + 6·F_D); the G step runs G and D forward, D backward (input only) and
  G backward: B·(3·F_G + 2·F_D). Total k·B·(F_G + 6F_D) + B·(3F_G + 2F_D).
- SingleLossGAN: G forward (B), D forward on [real, sg(fake), fake] (3B), D backward with weight
  gradients on all 3B rows, G backward: B·(3·F_G + 9·F_D) — the same as GAN with k = 1, arranged
  differently (one backward over 3B rows instead of two over 2B and B).
- WGANGP, n critic steps: each runs G forward (B), critic forward on real and fake (2B) and backward
  with weight gradients (2B), and the penalty on B interpolates (forward F, inner backward F, outer
  2·(F + F)): B·(F_G + 12·F_D); the G step as GAN's. Total n·B·(F_G + 12F_D) + B·(3F_G + 2F_D).
- CycleGAN (identity weight 0): G's step runs 4 generator forwards (G(a), F(b), F(G(a)), G(F(b))) with
  weight-gradient backward, and 2 discriminator forwards with input-only backward:
  B·(12·F_gen + 4·F_disc); D's step runs 4 discriminator forwards (real and pooled fake per domain)
  with weight-gradient backward: B·12·F_disc. Total B·(12·F_gen + 16·F_disc).

Each row uses the sizes of the lesson named in its `source`; change CONFIG when a lesson changes them.
"""

import argparse
import contextlib
import sys
import time

import common

# What each row trains. "mlp" networks: `depth` hidden ReLU layers of `width`; rings of 8 Gaussians as data.
CONFIG = {
    "GAN": dict(kind="gan", width=128, depth=3, latent_dim=2, batch=512, d_steps=1, jit_compile=False,
                steps=300, warmup=30, source="lesson 07's timing section (no R1)"),
    "GAN (XLA)": dict(kind="gan", width=128, depth=3, latent_dim=2, batch=512, d_steps=1, jit_compile=True,
                      steps=300, warmup=30, source="as GAN, step compiled with XLA (op determinism off for this row)"),
    "SingleLossGAN": dict(kind="single", width=128, depth=3, latent_dim=2, batch=512, jit_compile=False,
                          steps=300, warmup=30, source="lesson 07's timing section (no R1)"),
    "WGANGP": dict(kind="wgangp", width=128, depth=3, latent_dim=2, batch=256, n_critic=5, gp_weight=0.3,
                   jit_compile=False, steps=200, warmup=20, source="lesson 05's WGAN-GP on the ring"),
    "WGANGP (XLA)": dict(kind="wgangp", width=128, depth=3, latent_dim=2, batch=256, n_critic=5, gp_weight=0.3,
                         jit_compile=True, steps=200, warmup=20,
                         source="as WGANGP, step compiled with XLA (op determinism off for this row)"),
    "CycleGAN": dict(kind="cyclegan", image_shape=(8, 8, 1), filters=16, res_blocks=2, patch_layers=2, batch=32,
                     jit_compile=False, steps=60, warmup=10, source="lesson 06's sizes; random images"),
}
QUICK = dict(steps=5, warmup=2)  # --quick: per row
MATMUL_SIZES = (1024, 2048)
MATMUL_REPEATS = 10
COMPUTE_BOUND = 0.5               # fraction of the matmul peak from which a row counts as compute-bound


def forward_flops(model):
    """FLOPs of one forward pass of `model` per sample: Dense and Conv2D layers, as counted above."""
    import keras
    import numpy as np

    total = 0
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            total += forward_flops(layer)
        elif isinstance(layer, keras.layers.Dense):
            positions = int(np.prod(layer.output.shape[1:-1])) if len(layer.output.shape) > 2 else 1
            fan_in, fan_out = layer.kernel.shape
            total += 2 * fan_in * fan_out * positions
        elif isinstance(layer, keras.layers.Conv2D):
            kh, kw, cin_per_group, cout = layer.kernel.shape
            _, h_out, w_out, _ = layer.output.shape
            total += 2 * kh * kw * cin_per_group * cout * h_out * w_out
    return int(total)


def matmul_peak(device, sizes=MATMUL_SIZES, repeats=MATMUL_REPEATS):
    """Best float32 matmul speed on `device`: {n: GFLOP/s from the median of `repeats` n×n matmuls}.

    A 2·n³-FLOP matmul per call, reduced to a scalar inside the same compiled function so that reading
    the result waits for it without copying the n×n product back.
    """
    import numpy as np
    import tensorflow as tf

    @tf.function
    def product_sum(a, b):
        return tf.reduce_sum(tf.matmul(a, b))

    speeds = {}
    rng = np.random.default_rng(0)
    with tf.device(device):
        for n in sizes:
            a = tf.constant(rng.standard_normal((n, n), dtype=np.float32))
            b = tf.constant(rng.standard_normal((n, n), dtype=np.float32))
            product_sum(a, b).numpy()  # trace and warm up
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                product_sum(a, b).numpy()
                times.append(time.perf_counter() - start)
            speeds[n] = 2 * n ** 3 / common.median(times) / 1e9
    return speeds


def _mlp_pair(cfg):
    import gan_keras as gk

    hidden = (cfg["width"],) * cfg["depth"]
    return (gk.models.mlp(cfg["latent_dim"], 2, hidden=hidden, name="G"), gk.models.mlp(2, 1, hidden=hidden, name="D"))


def build(cfg, seed=0):
    """(compiled model with steps_per_execution 1, endless dataset, {network: forward FLOPs/sample},
    FLOPs per step, the formula used) for one CONFIG row."""
    import gan_keras as gk
    import keras

    adam = lambda rate=1e-3: keras.optimizers.Adam(rate, beta_1=0.5, beta_2=0.9)  # noqa: E731
    b, kind = cfg["batch"], cfg["kind"]
    if kind in ("gan", "single", "wgangp"):
        G, D = _mlp_pair(cfg)
        f_g, f_d = forward_flops(G), forward_flops(D)
        data = gk.data.batches(gk.data.sample_ring(64 * b, seed=seed), b, seed=seed)
        nets = {"G": f_g, "D": f_d}
        if kind == "gan":
            k = cfg["d_steps"]
            model = gk.gan.GAN(G, D, latent_dim=cfg["latent_dim"], d_steps=k, seed=seed)
            model.compile(d_optimizer=adam(), g_optimizer=adam(), jit_compile=cfg["jit_compile"])
            return model, data, nets, b * (k * (f_g + 6 * f_d) + 3 * f_g + 2 * f_d), f"B·({k}·(F_G+6F_D)+3F_G+2F_D)"
        if kind == "single":
            model = gk.single_loss.SingleLossGAN(G, D, latent_dim=cfg["latent_dim"], seed=seed)
            model.compile(optimizer=adam(), jit_compile=cfg["jit_compile"])
            return model, data, nets, b * (3 * f_g + 9 * f_d), "B·(3F_G+9F_D)"
        n = cfg["n_critic"]
        model = gk.wgan.WGANGP(G, D, latent_dim=cfg["latent_dim"], n_critic=n, gp_weight=cfg["gp_weight"], seed=seed)
        model.compile(d_optimizer=adam(), g_optimizer=adam(), jit_compile=cfg["jit_compile"])
        return model, data, nets, b * (n * (f_g + 12 * f_d) + 3 * f_g + 2 * f_d), f"B·({n}·(F_G+12F_D)+3F_G+2F_D)"
    if kind == "cyclegan":
        import numpy as np

        shape = tuple(cfg["image_shape"])
        nets_ = [gk.models.cyclegan_generator(shape, cfg["filters"], cfg["res_blocks"], name=name)
                 for name in ("G", "F")]
        nets_ += [gk.models.patchgan_discriminator(shape, cfg["filters"], cfg["patch_layers"], name=name)
                  for name in ("D_A", "D_B")]
        model = gk.cyclegan.CycleGAN(*nets_, seed=seed)
        model.compile(d_optimizer=adam(2e-4), g_optimizer=adam(2e-4), jit_compile=cfg["jit_compile"])
        # Timing does not depend on what the pixels show: two independent streams of random images.
        rng = np.random.default_rng(seed)
        images = lambda: rng.uniform(-1, 1, (8 * b,) + shape).astype(np.float32)  # noqa: E731
        data = gk.data.unpaired_batches(images(), images(), b, seed=seed)
        f_gen, f_disc = forward_flops(nets_[0]), forward_flops(nets_[2])
        return model, data, {"G, F": f_gen, "D_A, D_B": f_disc}, b * (12 * f_gen + 16 * f_disc), "B·(12F_gen+16F_disc)"
    raise ValueError(f"unknown kind {kind!r} in CONFIG")


@contextlib.contextmanager
def xla_allowed(jit_compile):
    """Turn TensorFlow's op determinism off while an XLA row is built and timed, then back on.

    `gk.set_seed` (which every lesson calls) enables op determinism, and Keras then ignores
    `compile(jit_compile=True)` with a warning ("Model doesn't support jit_compile=True"): under
    set_seed no lesson step is XLA-compiled. The XLA rows show what compiling would buy. There is no public
    switch back, hence TensorFlow's internal one. XLA's C++ start-up notices ignore TF_CPP_MIN_LOG_LEVEL, so
    file descriptor 2 points at /dev/null meanwhile (a failure still raises a Python exception).
    """
    if not jit_compile:
        yield
        return
    import gan_keras as gk
    from tensorflow.python.framework import config as tf_config

    was_on = tf_config.is_op_determinism_enabled()
    tf_config.disable_op_determinism()
    try:
        with gk.backend.stderr_silenced():
            yield
    finally:
        if was_on:
            tf_config.enable_op_determinism()


def default_device():
    """'/GPU:0' if TensorFlow sees a GPU (where Keras then trains), else '/CPU:0'."""
    import tensorflow as tf

    return "/GPU:0" if tf.config.list_physical_devices("GPU") else "/CPU:0"


def run(quick=False, config=None, log=print):
    """Time every row of `config` (default CONFIG); return the Markdown section."""
    import gan_keras as gk

    config = CONFIG if config is None else config
    gk.set_seed(0)
    device = default_device()
    repeats = 2 if quick else MATMUL_REPEATS
    before = matmul_peak(device, repeats=repeats)
    log("  matmul " + ", ".join(f"{n}²: {v:.1f} GFLOP/s" for n, v in before.items()))
    measured = []
    for name, cfg in config.items():
        steps, warmup = (QUICK["steps"], QUICK["warmup"]) if quick else (cfg["steps"], cfg["warmup"])
        with xla_allowed(cfg["jit_compile"]):
            model, data, nets, flops, formula = build(cfg)
            ms = gk.timing.fit_step_ms(model, data, steps=steps, warmup=warmup)
        measured.append((name, cfg, nets, flops, formula, ms, steps))
        log(f"  {name:16s} {ms:8.2f} ms per step, {flops / 1e6:9.1f} MFLOP per step")
    after = matmul_peak(device, repeats=repeats)
    log("  matmul " + ", ".join(f"{n}²: {v:.1f} GFLOP/s" for n, v in after.items()))
    peak = max(max(before.values()), max(after.values()))

    how_many = ", ".join(sorted({f"{steps}" for *_, steps in measured})) + " (after a warm-up)"
    rows = []
    for name, cfg, nets, flops, formula, ms, steps in measured:
        achieved = flops / (ms / 1e3) / 1e9
        fraction = achieved / peak
        size = (f"{cfg['depth']}×{cfg['width']} MLPs, z {cfg['latent_dim']}" if "width" in cfg
                else "×".join(map(str, cfg["image_shape"])) + f", {cfg['filters']} filters")
        extra = {"gan": f", k {cfg.get('d_steps')}", "wgangp": f", n_critic {cfg.get('n_critic')}"}.get(cfg["kind"], "")
        rows.append([
            name,
            f"{size}, batch {cfg['batch']}{extra}" + (", XLA (op determinism off)" if cfg["jit_compile"] else ""),
            f"{ms:.2f}",
            "; ".join(f"F_{k} {v / 1e3:.1f}k" if v < 1e6 else f"F_{k} {v / 1e6:.2f}M" for k, v in nets.items()),
            f"{formula} = {flops / 1e6:.1f} M",
            f"{achieved:.1f}",
            f"{fraction:.0%}",
            f"{flops / peak / 1e6:.2f}",
            "compute-bound" if fraction >= COMPUTE_BOUND else "overhead-bound",
        ])
    text = [
        "## 2. Step efficiency",
        "",
        f"Device {device}. Dense float32 matmul peak, the better of before/after the trainers "
        f"(median of {repeats} runs each): before " + ", ".join(f"{n}²: {v:.1f}" for n, v in before.items())
        + "; after " + ", ".join(f"{n}²: {v:.1f}" for n, v in after.items())
        + f" GFLOP/s → **peak {peak:.1f} GFLOP/s**.",
        "",
        f"Step time: median over {how_many} gaps between batch ends "
        "in `fit()` (`gk.timing.fit_step_ms`, steps_per_execution 1). FLOPs per sample forward (F) and per step "
        "are counted from the layer shapes as described in `benchmarks/step_efficiency.py`; "
        "\"ms at peak\" is what the step's FLOPs would take at the matmul peak.",
        "",
        common.table(["trainer", "size", "ms/step", "forward FLOPs/sample", "FLOPs/step", "GFLOP/s", "of peak",
                      "ms at peak", "bound"], rows),
        "",
        f"Compute-bound means ≥ {COMPUTE_BOUND:.0%} of the matmul peak. Sizes are the lessons' (CONFIG in the "
        "script names each row's lesson). Rows run with op determinism on, "
        "as the lessons do (`gk.set_seed`); Keras then ignores `jit_compile=True`, so the XLA rows turn "
        "determinism off to show what compiling the step would buy.",
    ]
    return "\n".join(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help=f"smoke test: {QUICK['steps']} steps per row")
    args = parser.parse_args(argv)
    import machine

    print(machine.markdown() + "\n", flush=True)
    print(run(quick=args.quick))
    return 0


if __name__ == "__main__":
    sys.exit(main())
