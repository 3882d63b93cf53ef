#!/usr/bin/env bash
# The course on a GPU machine without TensorFlow: for KERAS_BACKEND=jax and torch, the unit tests and every
# lesson under nbval, each lesson's pass/fail and wall time written to $OUT/gpu_check.md as it finishes (so
# a run cut short still reports what it reached).
#
#   scripts/gpu_check.sh [WHEEL_DIR]      # run from the repository root; WHEEL_DIR defaults to .whl
#
# The machine is expected to have Python 3.12 with JAX and PyTorch (CUDA builds), pytest, numpy and matplotlib,
# and no registry: keras, namex, optree, nbval, nbclient and its Jupyter kernel dependencies travel as wheels
# in WHEEL_DIR (see DESIGN.md, "Backends and the GPU", for the list). They are installed into /tmp/site, and
# gan_keras is imported from this checkout through PYTHONPATH, which the nbval kernels inherit. TensorFlow-only
# tests skip themselves.
#
# Environment: OUT (default ./gpu_check_out), BACKENDS (default "jax torch"), NOTEBOOKS (default the lessons
# and solutions/), UNIT (1: run the unit tests, the default; 0: skip them), UNIT_ARGS (more pytest arguments
# for the unit tests, e.g. "-n 3" where pytest-xdist is installed), JOBS (how many notebooks run at once, over
# all backends; default 1: one after another, so each wall time is the notebook's alone; with JOBS > 1 the
# unit tests run beside the notebooks and the times include the contention), LESSON_TIMEOUT seconds per
# notebook (default 300), CELL_TIMEOUT seconds per cell (default 300), PYTHON (default python3), COMMIT (what
# the report names as the commit; default git's HEAD, where git and .git are there).
set -uo pipefail
cd "$(dirname "$0")/.."
WHEELS="${1:-.whl}"
export OUT="${OUT:-$PWD/gpu_check_out}"
BACKENDS="${BACKENDS:-jax torch}"
UNIT="${UNIT:-1}"
UNIT_ARGS="${UNIT_ARGS:-}"
JOBS="${JOBS:-1}"
export LESSON_TIMEOUT="${LESSON_TIMEOUT:-300}"
export CELL_TIMEOUT="${CELL_TIMEOUT:-300}"
export PYTHON="${PYTHON:-python3}"
NOTEBOOKS="${NOTEBOOKS-$(ls notebooks/[0-9]*.ipynb solutions/[0-9]*.ipynb)}"
mkdir -p "$OUT"
export REPORT="$OUT/gpu_check.md"
LOG="$OUT/gpu_check.log"
# JAX takes 75 % of the GPU's memory at start-up by default; two JAX processes at once would not both fit.
export PYTHONUNBUFFERED=1 TF_CPP_MIN_LOG_LEVEL=3 XLA_PYTHON_CLIENT_PREALLOCATE="${XLA_PYTHON_CLIENT_PREALLOCATE:-false}"

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
    echo "$(date -u '+%Y-%m-%d %H:%M UTC') · $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | head -1)" \
        "· $(nproc) cores · JOBS=$JOBS · commit ${COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}"
    echo
    echo "| backend | what | result | wall s |"
    echo "|---|---|---|---|"
} > "$REPORT"

row() { echo "| $1 | $2 | $3 | $4 |" >> "$REPORT"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
seconds_since() { echo $(( ($(now_ms) - $1 + 500) / 1000 )); }

unit_tests() {
    local backend=$1 start rc summary
    start=$(now_ms)
    # shellcheck disable=SC2086
    KERAS_BACKEND="$backend" "$PYTHON" -m pytest -q -p no:cacheprovider $UNIT_ARGS tests > "$OUT/unit_$backend.log" 2>&1
    rc=$?
    summary=$(tail -1 "$OUT/unit_$backend.log")
    row "$backend" "unit tests" "$([ $rc -eq 0 ] && echo pass || echo FAIL): $summary" "$(seconds_since "$start")"
    echo "$backend unit tests: $summary"
}

run_notebook() {
    local backend=$1 notebook=$2 name start rc seconds result
    name=$(basename "$notebook" .ipynb)
    start=$(now_ms)
    KERAS_BACKEND="$backend" timeout "$LESSON_TIMEOUT" "$PYTHON" -m pytest -q -p no:cacheprovider "$notebook" \
        --nbval-lax --nbval-current-env --nbval-cell-timeout="$CELL_TIMEOUT" > "$OUT/nb_${backend}_$name.log" 2>&1
    rc=$?
    seconds=$(seconds_since "$start")
    case $rc in
        0) result=pass ;;
        124) result="FAIL (over ${LESSON_TIMEOUT} s)" ;;
        *) result="FAIL (pytest exit $rc)" ;;
    esac
    row "$backend" "$name" "$result" "$seconds"
    echo "$backend $name: $result in $seconds s"
}
export -f row now_ms seconds_since run_notebook

for backend in $BACKENDS; do
    device=$(KERAS_BACKEND="$backend" "$PYTHON" -c "import gan_keras as gk; print(gk.backend.describe())" 2>>"$LOG") \
        || device="gan_keras does not import"
    echo "== $backend: $device" | tee -a "$LOG"
    row "$backend" "device" "$device" ""
done

unit_pids=()
if [ "$UNIT" = 1 ]; then
    for backend in $BACKENDS; do
        if [ "$JOBS" -gt 1 ]; then unit_tests "$backend" & unit_pids+=($!); else unit_tests "$backend"; fi
    done
fi

# Longest lessons first (by their CPU times in benchmarks/BACKENDS.md), so that parallel runs end together;
# then any other notebook in NOTEBOOKS, in its order.
first="05 04 02 06 07 08"
ordered=()
for lesson in $first; do
    for notebook in $NOTEBOOKS; do
        case $notebook in notebooks/"$lesson"_*) ordered+=("$notebook") ;; esac
    done
done
for notebook in $NOTEBOOKS; do
    [[ " ${ordered[*]} " == *" $notebook "* ]] || ordered+=("$notebook")
done
tasks=()
for notebook in "${ordered[@]}"; do
    for backend in $BACKENDS; do tasks+=("$backend $notebook"); done
done
printf '%s\n' "${tasks[@]}" | xargs -P "$JOBS" -L 1 bash -c 'run_notebook "$0" "$1"' | tee -a "$LOG"
for pid in "${unit_pids[@]}"; do wait "$pid"; done
echo
cat "$REPORT"
