#!/bin/sh
# Runs the test binaries given (names inside BUILD_DIR), echoes their output,
# and ends with the summed "N passed, M failed". Exit status 1 if any binary
# failed or crashed. test_stress runs once per compiled backend.
BUILD_DIR=$1
shift
passed=0
failed=0
skipped=""
status=0
run_one() {
    label=$1
    shift
    echo "== $label"
    out=$("$@" 2>&1)
    rc=$?
    printf '%s\n' "$out"
    last=$(printf '%s\n' "$out" | tail -n 1)
    p=$(printf '%s\n' "$last" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p')
    f=$(printf '%s\n' "$last" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p')
    if [ -z "$p" ]; then
        echo "   $label did not finish (exit $rc)"
        failed=$((failed + 1))
        status=1
        return
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then
        status=1
    fi
    s=$(printf '%s\n' "$out" | grep '^SKIP' | sed 's/^SKIP /  /')
    if [ -n "$s" ]; then
        skipped="$skipped
$label:
$s"
    fi
}
for t in "$@"; do
    case "$t" in
    test_stress)
        run_one "test_stress host" "$BUILD_DIR/test_stress" host
        if [ -x "$BUILD_DIR/test_gpu_cuda" ]; then
            run_one "test_stress cuda" "$BUILD_DIR/test_stress" cuda
        fi
        if [ -x "$BUILD_DIR/test_gpu_hip" ]; then
            run_one "test_stress hip" "$BUILD_DIR/test_stress" hip
        fi
        ;;
    *)
        run_one "$t" "$BUILD_DIR/$t"
        ;;
    esac
done
echo "=="
if [ -n "$skipped" ]; then
    echo "skipped:$skipped"
fi
echo "$passed passed, $failed failed"
exit $status
