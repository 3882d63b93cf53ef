"""Quality per CPU-second: steps and seconds until every mode is covered with >= 80 % high-quality samples.

    python benchmarks/quality.py                  # every configured method, seeds 1 2 3
    python benchmarks/quality.py --seeds "0 4"
    python benchmarks/quality.py --quick          # smoke test: seed 1, a few hundred steps at most

For each method in CONFIG (those with a `todo` are listed but not run), on each seed: train with
`fit()` and, every `every` generator steps (`gk.callbacks.Snapshots`), score 2,500 samples of
`model.generate(2500, seed=seed)` by the PacGAN protocol (`gk.metrics.mode_coverage`: ring 8 modes,
std 0.01; grid 25 modes, std 0.05; high quality = within 3 std of the nearest centre). Training stops
at the first check where all modes are covered and >= 80 % of the samples are high quality; the row
gives that step, the wall and CPU seconds spent training until then (the checks' own time taken out;
CPU seconds count all of the process' threads, so on 2 busy cores they are about twice the wall time),
or "not reached in N steps" with the last score. Steps are generator updates.
"""

import argparse
import os
import sys
import time

import common

GOAL_HQ = 0.8  # high-quality fraction, with every mode covered
SAMPLES = 2500

# Lesson 07's recipe: 3×128 ReLU MLPs, z of 2, batch 512, Adam 1e-3 β (0.5, 0.9) with a cosine decay to 2 %
# over 4,000 steps, R1 γ = 0.1, 50 steps per execution.
LESSON_07 = dict(data="ring", width=128, depth=3, latent_dim=2, batch=512, learning_rate=1e-3, betas=(0.5, 0.9),
                 decay_steps=4000, alpha=0.02, r1_weight=0.1, max_steps=4000, every=250, steps_per_execution=50)

LESSON_04 = dict(data="ring", width=128, depth=3, latent_dim=256, batch=256, learning_rate=1e-3, betas=(0.5, 0.999),
                 decay_steps=8000, alpha=0.02, r1_weight=0.0, max_steps=8000, every=250, steps_per_execution=50)
LESSON_05 = dict(method="wgangp", width=128, depth=3, latent_dim=2, batch=256, n_critic=5, betas=(0.5, 0.9), alpha=0.02,
                 every=250, steps_per_execution=50)

CONFIG = {
    "GAN (alternating), ring": dict(LESSON_07, method="gan", d_steps=1, source="lesson 07"),
    "SingleLossGAN, ring": dict(LESSON_07, method="single", source="lesson 07"),
    # Lesson 04's vanilla GAN and its fix: 3×128 ReLU MLPs, z of 256, batch 256, Adam 1e-3 β1 0.5 (β2 0.999),
    # cosine decay to 2 % over 8,000 steps, no R1; PacGAN4 packs 4 samples per D input.
    "GAN (vanilla, lesson 04), ring": dict(LESSON_04, method="gan", source="lesson 04"),
    "PacGAN4, ring": dict(LESSON_04, method="pacgan", pack=4, source="lesson 04"),
    # Lesson 05: 3×128 ReLU MLPs, z of 2, batch 256, 5 critic steps, Adam β (0.5, 0.9), cosine to 2 % over the run:
    # the ring at 1.5e-3 for 1,500 G steps with λ 0.3, the grid at 3e-3 for 4,000 with λ 0.1 and a 3×96 critic.
    "WGAN-GP, ring": dict(LESSON_05, data="ring", gp_weight=0.3, learning_rate=1.5e-3, decay_steps=1500, max_steps=1500,
                          source="lesson 05"),
    "WGAN-GP, grid": dict(LESSON_05, data="grid", critic_width=96, gp_weight=0.1, learning_rate=3e-3, decay_steps=4000,
                          max_steps=4000, source="lesson 05"),
}
QUICK = dict(max_steps=100, every=50, steps_per_execution=50)  # --quick overrides these


def dataset(name, n, seed):
    """(samples (n, 2), centres (K, 2), component std) of the 'ring' or the 'grid'."""
    import gan_keras as gk

    if name == "ring":
        return gk.data.sample_ring(n, seed=seed), gk.data.ring_centers(), gk.data.RING_STD
    if name == "grid":
        return gk.data.sample_grid(n, seed=seed), gk.data.grid_centers(), gk.data.GRID_STD
    raise ValueError(f"data must be 'ring' or 'grid', got {name!r}")


def build(cfg, seed):
    """A compiled trainer for one CONFIG entry (method 'gan', 'single', 'pacgan' or 'wgangp')."""
    import gan_keras as gk
    import keras

    hidden = (cfg["width"],) * cfg["depth"]
    G = gk.models.mlp(cfg["latent_dim"], 2, hidden=hidden, name="G")

    def adam(updates_per_g_step=1):
        # The decay runs over the same number of *generator* steps for every optimizer.
        rate = keras.optimizers.schedules.CosineDecay(cfg["learning_rate"], cfg["decay_steps"] * updates_per_g_step,
                                                      alpha=cfg["alpha"])
        return keras.optimizers.Adam(rate, beta_1=cfg["betas"][0], beta_2=cfg["betas"][1])

    spe = cfg["steps_per_execution"]
    method = cfg["method"]
    if method in ("gan", "pacgan"):
        pack = cfg.get("pack", 1)
        D = gk.models.mlp(2 * pack, 1, hidden=hidden, name="D")
        if method == "pacgan":
            D = gk.models.packed(D, pack)
        k = cfg.get("d_steps", 1)
        model = gk.gan.GAN(G, D, latent_dim=cfg["latent_dim"], d_steps=k, r1_weight=cfg.get("r1_weight", 0.0),
                                seed=seed)
        model.compile(d_optimizer=adam(k), g_optimizer=adam(), steps_per_execution=spe)
    elif method == "single":
        D = gk.models.mlp(2, 1, hidden=hidden, name="D")
        model = gk.single_loss.SingleLossGAN(G, D, latent_dim=cfg["latent_dim"], r1_weight=cfg.get("r1_weight", 0.0),
                                          seed=seed)
        model.compile(optimizer=adam(), steps_per_execution=spe)
    elif method == "wgangp":
        critic = gk.models.mlp(2, 1, hidden=(cfg.get("critic_width", cfg["width"]),) * cfg["depth"], name="critic")
        n = cfg.get("n_critic", 5)
        model = gk.wgan.WGANGP(G, critic, latent_dim=cfg["latent_dim"], n_critic=n,
                               gp_weight=cfg.get("gp_weight", 10.0), seed=seed)
        model.compile(d_optimizer=adam(n), g_optimizer=adam(), steps_per_execution=spe)
    else:
        raise ValueError(f"unknown method {method!r}")
    return model


def time_to_quality(cfg, seed, log=print):
    """Train one CONFIG entry on one seed until the goal or `max_steps`; return a dict of what happened."""
    import gan_keras as gk

    gk.set_seed(seed)
    data, centers, std = dataset(cfg["data"], 64 * cfg["batch"], seed)
    model = build(cfg, seed)
    spent = {"wall": 0.0, "cpu": 0.0}   # time inside the checks, taken out of the training time
    result = {"reached": False}

    def check(m):
        wall, cpu = time.perf_counter(), time.process_time()
        score = gk.metrics.mode_coverage(m.generate(SAMPLES, seed=seed), centers, std)
        step = gk.callbacks.generator_steps(m)
        train_wall = wall - start["wall"] - spent["wall"]
        train_cpu = cpu - start["cpu"] - spent["cpu"]
        result.update(step=step, wall=train_wall, cpu=train_cpu, score=score)
        if score["modes"] == len(centers) and score["high_quality"] >= GOAL_HQ:
            result["reached"] = True
            m.stop_training = True
        spent["wall"] += time.perf_counter() - wall
        spent["cpu"] += time.process_time() - cpu
        return score

    every = cfg["every"]
    epochs = -(-cfg["max_steps"] // every)
    snapshots = gk.callbacks.Snapshots(every=every, fn=check)
    start = {"wall": time.perf_counter(), "cpu": time.process_time()}
    model.fit(gk.data.batches(data, cfg["batch"], seed=seed), epochs=epochs, steps_per_epoch=every, verbose=0,
              callbacks=[snapshots])
    if not result["reached"] and gk.callbacks.generator_steps(model) != result.get("step"):
        check(model)  # score the very end too, if the last check was not there
    s = result["score"]
    log(f"  seed {seed}: {'reached' if result['reached'] else 'not reached'} at step {result['step']}, "
        f"{result['wall']:.1f} s wall, {result['cpu']:.1f} s CPU; {s['modes']}/{len(centers)} modes, "
        f"{s['high_quality']:.1%} HQ, reverse KL {s['reverse_kl']:.3f}")
    result["modes_total"] = len(centers)
    return result


def describe(cfg):
    """One line of an entry's settings, for the table."""
    mlps = f"{cfg['depth']}×{cfg['width']} MLPs"
    if cfg["method"] == "wgangp" and "critic_width" in cfg:
        mlps = f"G {cfg['depth']}×{cfg['width']}, critic {cfg['depth']}×{cfg['critic_width']} MLPs"
    parts = [mlps, f"z {cfg['latent_dim']}", f"batch {cfg['batch']}",
             f"Adam {cfg['learning_rate']:g} β{tuple(cfg['betas'])}",
             f"cosine over {cfg['decay_steps']} to {cfg['alpha']:.0%}"]
    used = {"gan": ("d_steps", "r1_weight"), "pacgan": ("d_steps", "pack", "r1_weight"), "single": ("r1_weight",),
            "wgangp": ("n_critic", "gp_weight")}[cfg["method"]]
    for key, label in [("d_steps", "k"), ("pack", "pack"), ("n_critic", "n_critic"), ("gp_weight", "λ"),
                       ("r1_weight", "R1 γ")]:
        if key in cfg and key in used:
            parts.append(f"{label} {cfg[key]:g}")
    return ", ".join(parts) + f" ({cfg.get('source', '')})"


def run(seeds=(1, 2, 3), quick=False, config=None, log=print):
    """Run every configured entry on every seed; return the Markdown section."""
    config = CONFIG if config is None else config
    rows, notes = [], []
    for name, cfg in config.items():
        if "todo" in cfg:
            rows.append([name, "—", cfg["todo"], "", "", "", ""])
            continue
        cfg = dict(cfg, **QUICK) if quick else cfg
        log(f"{name}")
        results = [time_to_quality(cfg, seed, log=log) for seed in seeds]
        for seed, r in zip(seeds, results):
            s = r["score"]
            rows.append([
                name, str(seed),
                f"step {r['step']}" if r["reached"] else f"not reached in {cfg['max_steps']} steps",
                f"{r['wall']:.1f}", f"{r['cpu']:.1f}",
                f"{s['modes']}/{r['modes_total']}, {s['high_quality']:.1%} HQ, rev-KL {s['reverse_kl']:.3f}"
                + ("" if r["reached"] else f" (at step {r['step']})"),
                describe(cfg) if seed == seeds[0] else "",
            ])
        if all(r["reached"] for r in results):
            med = {key: common.median([r[key] for r in results]) for key in ("step", "wall", "cpu")}
            notes.append(f"{name}: median {med['step']:.0f} steps, {med['wall']:.1f} s wall, {med['cpu']:.1f} CPU s "
                         f"over seeds {' '.join(map(str, seeds))}.")
        else:
            missed = [str(seed) for seed, r in zip(seeds, results) if not r["reached"]]
            notes.append(f"{name}: not reached on seed(s) {' '.join(missed)}.")
    text = [
        "## 4. Quality per CPU-second",
        "",
        f"Goal: every mode covered and ≥ {GOAL_HQ:.0%} high-quality samples ({SAMPLES} samples, PacGAN protocol), "
        "checked every `every` generator steps; the time is training only (the checks' time taken out).",
        "",
        common.table(["method", "seed", "goal reached", "wall s", "CPU s", "score at that check", "settings"], rows),
    ]
    if notes:
        text += [""] + [f"- {n}" for n in notes]
    return "\n".join(text)


def parse_seeds(text):
    seeds = [int(s) for s in text.split()]
    if not seeds or any(s < 0 for s in seeds):
        raise ValueError(f"seeds must be integers >= 0, got {text!r}")
    return seeds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", default=os.environ.get("SEEDS", "1 2 3"),
                        help='space-separated seeds (default: $SEEDS or "1 2 3")')
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke test: first seed only, at most {QUICK['max_steps']} steps per method")
    args = parser.parse_args(argv)
    seeds = parse_seeds(args.seeds)
    if args.quick:
        seeds = seeds[:1]
    import machine

    print(machine.markdown() + "\n", flush=True)
    print(run(seeds=seeds, quick=args.quick))
    return 0


if __name__ == "__main__":
    sys.exit(main())
