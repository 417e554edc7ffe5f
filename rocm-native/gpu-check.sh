#!/usr/bin/env bash
# GPU check for libaimgpu on a machine with one NVIDIA GPU (H100/H200), CUDA
# 13, gcc and make (no Java needed). From the repository root:
#
#   bash rocm-native/gpu-check.sh
#
# Builds with the CUDA backend, runs `make test` with the CUDA tests required
# (a missing device is a failure here, not a skip), runs the stress test on
# the CUDA backend and the benchmark, and prints everything. Exits non-zero on
# any failure. Each step has a time limit; the whole run stays under 4 min.
set -uo pipefail

cd "$(dirname "$0")" || exit 1
# The build step cleans build/, so the log grows outside it and is copied
# to build/gpu-check.log at the end.
LOG=$(mktemp "${TMPDIR:-/tmp}/aimgpu-gpu-check.XXXXXX")
START=$(date +%s)
# Every step's limit is cut to what is left of 225 s, so the whole check ends
# within 4 minutes even if a step hangs (plus a 5 s kill grace).
DEADLINE=$((START + 225))
STEP_FAILED=""

step() { # step NAME SECONDS CMD...
    local name=$1 limit=$2
    shift 2
    local t0 left
    t0=$(date +%s)
    left=$((DEADLINE - t0))
    if [ "$left" -lt "$limit" ]; then
        limit=$left
    fi
    echo
    if [ "$limit" -le 0 ]; then
        echo "=== $name: no time left" | tee -a "$LOG"
        STEP_FAILED="$STEP_FAILED $name"
        return 1
    fi
    echo "=== $name (limit ${limit}s)" | tee -a "$LOG"
    timeout --kill-after=5 "$limit" "$@" 2>&1 | tee -a "$LOG"
    local rc=${PIPESTATUS[0]}
    echo "=== $name: exit $rc after $(($(date +%s) - t0))s" | tee -a "$LOG"
    if [ "$rc" -ne 0 ]; then
        STEP_FAILED="$STEP_FAILED $name"
    fi
    return "$rc"
}

finish() {
    local verdict
    if [ -n "$STEP_FAILED" ]; then
        verdict="GPU-CHECK FAILED:$STEP_FAILED ($(($(date +%s) - START))s)"
    else
        verdict="GPU-CHECK PASSED ($(($(date +%s) - START))s)"
    fi
    echo
    echo "$verdict" >>"$LOG"
    mkdir -p build && cp "$LOG" build/gpu-check.log && rm -f "$LOG"
    echo "$verdict; log: rocm-native/build/gpu-check.log"
    [ -z "$STEP_FAILED" ]
    exit $?
}

if ! command -v nvcc >/dev/null 2>&1; then
    for d in /usr/local/cuda/bin /usr/local/cuda-13.0/bin; do
        if [ -x "$d/nvcc" ]; then
            export PATH="$d:$PATH"
            break
        fi
    done
fi

step "machine" 30 sh -c 'nvidia-smi -L && nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used --format=csv && nvcc --version | tail -n 2 && cc --version | head -n 1 && uname -r' || finish

# A clean build: objects made on another machine must not be reused.
JOBS=${AIM_GPU_CHECK_JOBS:-$(nproc 2>/dev/null || echo 2)}
[ "$JOBS" -gt 8 ] && JOBS=8
step "build" 120 sh -c "make clean >/dev/null && make WITH_CUDA=1 WITH_HIP=0 config && make WITH_CUDA=1 WITH_HIP=0 -j$JOBS >/dev/null" || finish

export AIM_GPU_REQUIRE_CUDA=1
step "make test" 120 make WITH_CUDA=1 WITH_HIP=0 test

step "stress cuda (16 threads)" 60 build/test_stress cuda 16 2000

step "benchmark" 90 build/aim_gpu_bench --rounds 5 --device-rounds 21

finish
