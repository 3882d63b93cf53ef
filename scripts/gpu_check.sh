#!/usr/bin/env bash
# The course on a GPU machine without TensorFlow: for KERAS_BACKEND=jax, then torch, the unit tests and every
# lesson under nbval, each lesson's pass/fail and wall time written to $OUT/gpu_check.md as it finishes (so
# a run cut short still reports what it reached).
#
#   scripts/gpu_check.sh [WHEEL_DIR]      # run from the repository root; WHEEL_DIR defaults to .whl
#
# The machine is expected to have Python 3.12 with JAX and PyTorch (CUDA builds), pytest, numpy and matplotlib,
# and no registry: keras, namex, optree, nbval and its Jupyter kernel dependencies travel as wheels in
# WHEEL_DIR (see DESIGN.md, "Backends and the GPU", for the list). They are installed into /tmp/site, and
# gan_keras is imported from this checkout through PYTHONPATH, which the nbval kernels inherit. TensorFlow-only
# tests skip themselves. Environment: OUT (default ./gpu_check_out), BACKENDS (default "jax torch"),
# NOTEBOOKS (default the lessons and solutions/), LESSON_TIMEOUT seconds per notebook (default 300),
# CELL_TIMEOUT seconds per cell (default 300), PYTHON (default python3).
set -uo pipefail
cd "$(dirname "$0")/.."
WHEELS="${1:-.whl}"
OUT="${OUT:-$PWD/gpu_check_out}"
BACKENDS="${BACKENDS:-jax torch}"
LESSON_TIMEOUT="${LESSON_TIMEOUT:-300}"
CELL_TIMEOUT="${CELL_TIMEOUT:-300}"
PYTHON="${PYTHON:-python3}"
NOTEBOOKS="${NOTEBOOKS-$(ls notebooks/[0-9]*.ipynb solutions/[0-9]*.ipynb)}"
mkdir -p "$OUT"
REPORT="$OUT/gpu_check.md"
LOG="$OUT/gpu_check.log"
export PYTHONUNBUFFERED=1 TF_CPP_MIN_LOG_LEVEL=3

if compgen -G "$WHEELS/*.whl" > /dev/null; then
    "$PYTHON" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site \
        "$WHEELS"/*.whl || { echo "installing the wheels in $WHEELS failed" >&2; exit 2; }
    export PYTHONPATH="/tmp/site${PYTHONPATH:+:$PYTHONPATH}"
else
    echo "no wheels in $WHEELS: using what $PYTHON has" >&2
fi
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"

{
    echo "# gpu_check: the course on a GPU"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC') · $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | head -1)"
    echo
    echo "| backend | what | result | wall s |"
    echo "|---|---|---|---|"
} > "$REPORT"

row() { echo "| $1 | $2 | $3 | $4 |" >> "$REPORT"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
seconds_since() { echo $(( ($(now_ms) - $1 + 500) / 1000 )); }

for backend in $BACKENDS; do
    export KERAS_BACKEND="$backend"
    device=$("$PYTHON" -c "import gan_keras as gk; print(gk.backend.describe())" 2>>"$LOG") || device="gan_keras does not import"
    echo "== $backend: $device" | tee -a "$LOG"
    row "$backend" "device" "$device" ""

    start=$(now_ms)
    "$PYTHON" -m pytest -q -p no:cacheprovider tests > "$OUT/unit_$backend.log" 2>&1
    rc=$?
    summary=$(tail -1 "$OUT/unit_$backend.log")
    row "$backend" "unit tests" "$([ $rc -eq 0 ] && echo pass || echo FAIL): $summary" "$(seconds_since "$start")"
    echo "$backend unit tests: $summary"

    for notebook in $NOTEBOOKS; do
        start=$(now_ms)
        timeout "$LESSON_TIMEOUT" "$PYTHON" -m pytest -q -p no:cacheprovider "$notebook" --nbval-lax \
            --nbval-current-env --nbval-cell-timeout="$CELL_TIMEOUT" >> "$LOG" 2>&1
        rc=$?
        seconds=$(seconds_since "$start")
        case $rc in
            0) result=pass ;;
            124) result="FAIL (over ${LESSON_TIMEOUT} s)" ;;
            *) result="FAIL (pytest exit $rc)" ;;
        esac
        row "$backend" "$(basename "$notebook" .ipynb)" "$result" "$seconds"
        echo "$backend $(basename "$notebook"): $result in $seconds s"
    done
done
echo
cat "$REPORT"
