"""The machine a benchmark ran on: CPU model, cores, load, library versions, devices.

    python benchmarks/machine.py          # prints the description as a Markdown list

Every benchmark script puts this at the top of its output, because a time means nothing without the
machine (and, on a shared machine, its load) it was measured on.
"""

import datetime
import os
import pathlib
import platform
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def cpu_model():
    """The CPU's model name from /proc/cpuinfo (Linux), else what `platform` knows."""
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def cpu_features(wanted=("avx", "avx2", "fma", "avx512f", "avx512_bf16", "amx_tile", "neon", "asimd")):
    """The SIMD features among `wanted` that /proc/cpuinfo lists (they bound the matmul peak)."""
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith(("flags", "features")):
                have = set(line.split(":", 1)[1].split())
                return " ".join(f for f in wanted if f in have) or "none of " + " ".join(wanted)
    except OSError:
        pass
    return "unknown"


def git_revision():
    """The checked-out commit (short hash), with '+changes' if the working tree differs from it."""
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (rev or "unknown") + (" +changes" if dirty else "")


def describe():
    """dict of label -> text: CPU, its SIMD features, cores, load, Python/TensorFlow/Keras/NumPy versions,
    devices, commit."""
    import gan_keras  # noqa: F401  (first: quiets TensorFlow's logs)
    import keras
    import numpy as np
    import tensorflow as tf

    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"
    devices = [f"{d.device_type}:{d.name.rsplit(':', 1)[-1]}" for d in tf.config.list_physical_devices()]
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "CPU": cpu_model(),
        "CPU features": cpu_features(),
        "cores": f"{cores} logical, {usable} usable by this process",
        "load average (1, 5, 15 min) at start": load,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "TensorFlow": tf.__version__,
        "Keras": f"{keras.__version__} (backend {keras.backend.backend()})",
        "NumPy": np.__version__,
        "devices": ", ".join(devices) or "none",
        "commit": git_revision(),
    }


def markdown(description=None):
    """The description as a Markdown bullet list (one `- **label**: text` line each)."""
    description = describe() if description is None else description
    return "\n".join(f"- **{k}**: {v}" for k, v in description.items())


if __name__ == "__main__":
    print(markdown())
    sys.exit(0)
