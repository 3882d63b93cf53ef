"""The course on every Keras backend: each lesson's check cell held or failed, its wall time, and each
trainer's step time at the lessons' sizes.

    python benchmarks/backends.py                        # make backends; writes benchmarks/BACKENDS.md
    python benchmarks/backends.py --backends "jax" notebooks/00_setup_check.ipynb --out /tmp/BACKENDS.md
    python benchmarks/backends.py --inplace              # and save the TensorFlow runs as the committed notebooks

Each lesson runs in a fresh kernel with `KERAS_BACKEND` set (the kernel inherits it; `import gan_keras` loads
Keras on it) and `LESSON_SEED` unset, so seed 0, as committed. A lesson holds when every cell ran, its check
cell's asserts included. The step times come from a child process per backend (Keras' backend is fixed at
import): the median gap between `fit()` steps (`gk.timing.fit_step_ms`) of each trainer built as
`step_efficiency.py` builds it, compiled the way the lessons compile (`jit_compile="auto"`: XLA on JAX, none
on PyTorch, none on TensorFlow under `gk.set_seed`'s op determinism).

With --inplace each lesson that held on TensorFlow is saved over its notebook: the committed outputs and the
TensorFlow column are then one run, which `tests/test_records.py` requires, at the cost of one course run
(`make execute` before `make backends` runs every lesson on TensorFlow twice).

The file is rewritten after every lesson. --resume keeps what an earlier run wrote there (runs and step times) and does
the rest, where the lessons run as they did at the commit it names (`common.same_lessons_since`), the working tree is
clean and the CPU and its vector extensions are the same; the file says when each part ran.
"""

import argparse
import json
import os
import pathlib
import re
import subprocess
import sys

import nbformat

import common

BACKENDS = ("tensorflow", "jax", "torch")
TRAINERS = ("GAN", "SingleLossGAN", "WGANGP", "CycleGAN")   # step_efficiency.CONFIG rows, at the lessons' sizes
LESSONS_HEADING = "Lessons: check cell held or failed, wall time (kernel start included)"
STEPS_HEADING = "Step time of each trainer, ms (median through `fit()`, steps_per_execution 1)"


def step_times(steps=200, warmup=20):
    """{trainer: median ms per step} on the backend this process loaded; printed as JSON by --step-times."""
    import gan_keras as gk
    import step_efficiency

    gk.set_seed(0)
    times = {}
    for name in TRAINERS:
        cfg = dict(step_efficiency.CONFIG[name], jit_compile="auto")
        model, data, *_ = step_efficiency.build(cfg)
        n = min(steps, cfg["steps"])
        times[name] = gk.timing.fit_step_ms(model, data, steps=n, warmup=min(warmup, cfg["warmup"]))
    return times


def step_times_on(backend):
    """Run `step_times` in a child process on `backend`; ({trainer: ms}, error text or None)."""
    env = dict(os.environ, KERAS_BACKEND=backend)
    done = subprocess.run([sys.executable, __file__, "--step-times"], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        return {}, (done.stderr.strip().splitlines() or ["exit status %d" % done.returncode])[-1]
    return json.loads(done.stdout.strip().splitlines()[-1]), None


def run_lessons(backends, notebooks, timeout, log=print, done=lambda results: None, save=None, recorded=None):
    """{(backend, notebook path): (error or None, seconds, check cell text)}, one fresh kernel per run.

    `done(results)` is called after each run, so a report can be written as the runs finish; `save(nb, path)`,
    where given, after each TensorFlow run that held. Runs in `recorded` (same keys and values) are not run again.
    """
    runner = common.load_runner()
    results = dict(recorded or {})
    saved = {key: os.environ.get(key) for key in ("KERAS_BACKEND", "LESSON_SEED")}
    os.environ.pop("LESSON_SEED", None)
    try:
        for backend in backends:
            os.environ["KERAS_BACKEND"] = backend
            for path in notebooks:
                if (backend, path) in results:
                    continue
                nb, secs, error = runner.execute(path, timeout)
                results[backend, path] = (error, secs, common.check_output(nb))
                if save is not None and backend == "tensorflow" and error is None:
                    save(nb, path)
                log(f"  {backend:10s} {path.name:36s} {'ok' if error is None else 'FAILED'} in {secs:6.1f} s"
                    + ("" if error is None else f"  ({error})"))
                done(results)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return results


def report(backends, notebooks, results, steps):
    """The Markdown body: a lessons × backends table, the step times, then each check cell's text."""
    lesson_rows = []
    for path in notebooks:
        row = [path.stem]
        for backend in backends:
            if (backend, path) not in results:
                row.append("not run yet")
                continue
            error, secs, _ = results[backend, path]
            row.append(f"{'held' if error is None else '**FAILED**'} · {secs:.0f} s")
        lesson_rows.append(row)
    totals = ["total"] + [f"{sum(results[b, p][1] for p in notebooks if (b, p) in results):.0f} s" for b in backends]
    step_rows = []
    for name in TRAINERS:
        row = [name]
        for backend in backends:
            times, error = steps[backend]
            row.append(f"{times[name]:.2f}" if name in times else f"— ({error})")
        step_rows.append(row)
    text = [
        f"## {LESSONS_HEADING}",
        "",
        common.table(["lesson"] + list(backends), lesson_rows + [totals]),
        "",
        f"## {STEPS_HEADING}",
        "",
        common.table(["trainer"] + list(backends), step_rows),
    ]
    for backend in backends:
        rows = []
        for path in notebooks:
            if (backend, path) not in results:
                continue
            error, _, printed = results[backend, path]
            result = "held" if error is None else f"**FAILED**: {error}"
            rows.append([path.stem, result, printed or "(nothing printed)"])
        text += ["", f"## {common.PRINTED_HEADING.format(backend)}", "",
                 common.table(["lesson", "result", "check cell printed"], rows)]
    return "\n".join(text)


def recorded_runs(path, backends, notebooks, description):
    """What an earlier run wrote to `path` that --resume may keep: ({(backend, notebook path): (error, seconds,
    printed)}, {backend: ({trainer: ms}, None)}). Raises ValueError where it may not be kept."""
    if not path.exists():
        raise ValueError(f"--resume: there is no {path} to resume")
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if description["commit"].endswith("+changes"):
        raise ValueError("--resume: the working tree has changes, so the runs could differ; commit them first")
    for line in [f"- **{label}**: {description[label]}" for label in ("CPU", "CPU features")] + \
                ["| lesson | " + " | ".join(backends) + " |"]:
        if line not in lines:
            raise ValueError(f"--resume: {path} has no line {line!r}; start afresh")
    commit = re.search(r"^- \*\*commit\*\*: (\S+)$", text, re.M)
    if not (commit and common.same_lessons_since(commit.group(1))):
        raise ValueError(f"--resume: the lessons changed since the commit {path} names (or it names none); "
                         "start afresh")
    rows = common.table_rows(path)
    runs = {}
    for notebook in notebooks:
        for backend, cell in zip(backends, rows.get((LESSONS_HEADING, notebook.stem), [])):
            if not cell.startswith(("held", "**FAILED**")):
                continue
            result, printed = rows[common.PRINTED_HEADING.format(backend), notebook.stem]
            error = None if result == "held" else result.removeprefix("**FAILED**: ")
            secs = float(cell.split("·")[1].strip().removesuffix(" s"))
            runs[backend, notebook] = (error, secs, "" if printed == "(nothing printed)" else printed)
    steps = {}
    for k, backend in enumerate(backends):
        cells = [rows.get((STEPS_HEADING, name), [""] * len(backends))[k] for name in TRAINERS]
        if all(re.fullmatch(r"\d+\.\d+", cell) for cell in cells):
            steps[backend] = (dict(zip(TRAINERS, map(float, cells))), None)
    return runs, steps


def gpu_section(path=common.ROOT / "benchmarks" / "GPU_CHECK.md"):
    """benchmarks/GPU_CHECK.md (what `scripts/gpu_check.sh` wrote on a GPU machine, a run of its own with its
    commit named) as a section of this report, or nothing where there is none."""
    if not path.exists():
        return []
    body = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("# ")]
    return ["", "## On a GPU: `scripts/gpu_check.sh`, JAX and PyTorch (a separate run, copied from "
            "benchmarks/GPU_CHECK.md)", *body]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path, help="default: notebooks/[0-9]*.ipynb")
    parser.add_argument("--backends", default=" ".join(BACKENDS), help='space-separated (default: all three)')
    parser.add_argument("--out", type=pathlib.Path, default=common.ROOT / "benchmarks" / "BACKENDS.md")
    parser.add_argument("--timeout", type=int, default=common.CELL_TIMEOUT, help="seconds allowed per cell")
    parser.add_argument("--step-times", action="store_true", help="print this backend's step times as JSON and exit")
    parser.add_argument("--resume", action="store_true",
                        help="keep the runs and step times --out recorded of these lessons on this CPU kind")
    parser.add_argument("--inplace", action="store_true",
                        help="save each lesson's TensorFlow run over its notebook (where it held)")
    args = parser.parse_args(argv)
    if args.step_times:
        print(json.dumps(step_times()))
        return 0
    backends = args.backends.split()
    unknown = [b for b in backends if b not in BACKENDS]
    if unknown or not backends:
        parser.error(f"--backends must name some of {' '.join(BACKENDS)}, got {args.backends!r}")
    if args.inplace and "tensorflow" not in backends:
        parser.error("--inplace saves the TensorFlow runs; --backends does not name tensorflow")
    notebooks = args.notebooks or common.lesson_notebooks()
    import machine

    described = machine.describe()
    recorded, steps, resumed = {}, {}, []
    if args.resume:
        try:
            recorded, steps = recorded_runs(args.out, backends, notebooks, described)
        except ValueError as err:
            parser.error(str(err))
        started = re.search(r"^- \*\*date\*\*: (.+)$", args.out.read_text(encoding="utf-8"), re.M)
        resumed = [f"- **resumed**: {len(recorded)} lesson runs and the step times of {len(steps)} backends kept from "
                   f"the run started {started.group(1) if started else '?'} (same lessons, CPU and vector extensions); "
                   "the others ran from the date above"]
    description = "\n".join([machine.markdown(described), *resumed])
    print(description + "\n", flush=True)
    for backend in backends:
        if backend in steps:
            continue
        steps[backend] = step_times_on(backend)
        print(f"  {backend:10s} step times: {steps[backend][0] or steps[backend][1]}", flush=True)
    command = " ".join(["python benchmarks/backends.py"]
                       + ([f'--backends "{args.backends}"'] if args.backends != " ".join(BACKENDS) else [])
                       + (["--inplace"] if args.inplace else []) + (["--resume"] if args.resume else [])
                       + ([f"--timeout {args.timeout}"] if args.timeout != common.CELL_TIMEOUT else []))

    def write(results):
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join([
            "# The course on every Keras backend",
            "",
            f"Written by `{command}` (`make backends`): each lesson executed headless in a fresh kernel with "
            "`KERAS_BACKEND` set, seed 0; a lesson held when every cell ran, its check cell's asserts included. "
            "The file is rewritten after every lesson, so a run cut short still reports what it reached.",
            "",
            "## Machine",
            "",
            description,
            "",
            report(backends, notebooks, results, steps),
            *gpu_section(),
            "",
        ]), encoding="utf-8")

    save = nbformat.write if args.inplace else None
    results = run_lessons(backends, notebooks, args.timeout, done=write, save=save, recorded=recorded)
    print(report(backends, notebooks, results, steps))
    print(f"\nwrote {args.out}")
    return 0 if all(r[0] is None for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
