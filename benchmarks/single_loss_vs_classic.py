"""Single loss vs the classic Keras pattern vs a fused two-tape train_step: lesson 07's timing, repeated.

    python benchmarks/single_loss_vs_classic.py             # 5 interleaved repeats
    python benchmarks/single_loss_vs_classic.py --repeats 9
    python benchmarks/single_loss_vs_classic.py --quick     # smoke test: 1 repeat, a few steps

Same networks as lesson 07 (3×128 ReLU MLPs for G and D, z of 2, batch 512, ring data, Adam 1e-3 β1 0.5,
no R1):

- (a) the classic pattern, `classic.ClassicGAN` (benchmarks/classic.py) timed by `classic.classic_step_ms`;
- (b) the fused two-tape step, `gk.gan.GAN` timed through `fit()` by `gk.timing.fit_step_ms`;
- (c) the single loss, `gk.single_loss.SingleLossGAN`, timed the same way.

Each repeat measures a, b, c in turn (a, b, c, a, b, c, ...) on the same three models, so slow spells
on a shared machine fall on all three rather than on one. Reported: each pattern's median over the
repeats' medians, their range, and the ratios c/a (goal <= 0.75, issue 7) and c/b. Note the two timers
differ slightly: (a) times each step call alone, (b) and (c) the gap between steps inside `fit()`
(input pipeline and callbacks included), which favours (a) if anything.
"""

import argparse
import sys

import common

Z_DIM, WIDTH, DEPTH, BATCH = 2, 128, 3, 512
STEPS, WARMUP = 300, 30
QUICK_STEPS, QUICK_WARMUP = 10, 3
RATIO_GOAL = 0.75  # c/a, issue 7


def run(repeats=5, quick=False, seed=0, log=print):
    """Return the Markdown section after `repeats` interleaved rounds of (a), (b), (c)."""
    import classic  # benchmarks/classic.py; it imports gan_keras
    import gan_keras as gk
    import keras

    gk.set_seed(seed)
    steps, warmup = (QUICK_STEPS, QUICK_WARMUP) if quick else (STEPS, WARMUP)
    data = gk.data.sample_ring(64 * BATCH, seed=seed)
    adam = lambda: keras.optimizers.Adam(1e-3, beta_1=0.5)  # noqa: E731

    def networks():
        hidden = (WIDTH,) * DEPTH
        return gk.models.mlp(Z_DIM, 2, hidden=hidden, name="G"), gk.models.mlp(2, 1, hidden=hidden, name="D")

    classic_gan = classic.ClassicGAN(*networks(), latent_dim=Z_DIM, learning_rate=1e-3, seed=seed)
    fused = gk.gan.GAN(*networks(), latent_dim=Z_DIM, seed=seed)
    fused.compile(d_optimizer=adam(), g_optimizer=adam())
    single = gk.single_loss.SingleLossGAN(*networks(), latent_dim=Z_DIM, seed=seed)
    single.compile(optimizer=adam())
    stream = lambda: gk.data.batches(data, BATCH, seed=seed)  # noqa: E731
    patterns = {
        "(a) classic": lambda: classic.classic_step_ms(classic_gan, data, BATCH, steps=steps, warmup=warmup),
        "(b) fused two-tape": lambda: gk.timing.fit_step_ms(fused, stream(), steps=steps, warmup=warmup),
        "(c) single loss": lambda: gk.timing.fit_step_ms(single, stream(), steps=steps, warmup=warmup),
    }
    ms = {name: [] for name in patterns}
    for r in range(repeats):
        for name, measure in patterns.items():
            ms[name].append(measure())
        log(f"  repeat {r + 1}/{repeats}: " + ", ".join(f"{n} {v[-1]:.2f} ms" for n, v in ms.items()))

    med = {name: common.median(values) for name, values in ms.items()}
    a, b, c = med["(a) classic"], med["(b) fused two-tape"], med["(c) single loss"]
    per_repeat_ca = [ci / ai for ai, ci in zip(ms["(a) classic"], ms["(c) single loss"])]
    per_repeat_cb = [ci / bi for bi, ci in zip(ms["(b) fused two-tape"], ms["(c) single loss"])]
    rows = [[name, f"{med[name]:.2f}", f"{min(v):.2f} – {max(v):.2f}", f"{med[name] / a:.2f}×"]
            for name, v in ms.items()]
    ratio_rows = [
        ["c / a: single loss / classic", f"{c / a:.2f}", f"{min(per_repeat_ca):.2f} – {max(per_repeat_ca):.2f}",
         f"≤ {RATIO_GOAL}", common.verdict(c / a <= RATIO_GOAL)],
        ["c / b: single loss / fused two-tape", f"{c / b:.2f}",
         f"{min(per_repeat_cb):.2f} – {max(per_repeat_cb):.2f}", "about 1 (DESIGN: \"about as fast\")", "—"],
    ]
    text = [
        "## 3. Single loss vs the classic Keras pattern and a fused two-tape step",
        "",
        f"Lesson 07's networks ({DEPTH}×{WIDTH} ReLU MLPs, z {Z_DIM}, batch {BATCH}); each measurement is the "
        f"median of {steps} steps after {warmup} warm-up steps; {repeats} repeat(s), interleaved a, b, c.",
        "",
        common.table(["pattern", "median ms/step", "range over repeats", "vs classic"], rows),
        "",
        common.table(["ratio", "of medians", "range over repeats", "goal", "verdict"], ratio_rows),
    ]
    if c / a > RATIO_GOAL:
        text += ["", f"The single loss misses the ≤ {RATIO_GOAL} goal by {c / a - RATIO_GOAL:.2f} "
                     f"({c / a:.2f}× the classic pattern)."]
    return "\n".join(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5, help="interleaved rounds of a, b, c; default 5")
    parser.add_argument("--quick", action="store_true", help="smoke test: 1 repeat of a few steps")
    args = parser.parse_args(argv)
    repeats = 1 if args.quick else args.repeats
    if repeats < 1:
        parser.error(f"--repeats must be >= 1, got {repeats}")
    import machine

    print(machine.markdown() + "\n", flush=True)
    print(run(repeats=repeats, quick=args.quick))
    return 0


if __name__ == "__main__":
    sys.exit(main())
