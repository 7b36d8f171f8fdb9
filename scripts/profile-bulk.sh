#!/usr/bin/env bash
# A flame graph of s3cp's bulk path (issue 24): `s3cp -r` of OBJECTS small
# objects listed from Garage, copies answered by s3emu's null copy at 20 ms,
# sampled by perf (cpu-clock, frame pointers) and drawn by inferno.
#
#   scripts/profile-bulk.sh OUT.svg
#
# The binary is S3CP_BIN, as in the other benchmarks; without it, s3cp is
# built (release profile, frame pointers, line tables) in $PROFILE_TARGET
# (default /tmp/s3cp-profile-target, outside the tree). Needs perf
# (Debian: linux-perf; `perf stat -e cpu-clock true` must work) and inferno
# (`cargo install inferno`). Prints the CPU sampled and the top frames by
# self time after the SVG is written.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/lib.sh"
cd "$root"

out=${1:?usage: [S3CP_BIN=BINARY] scripts/profile-bulk.sh OUT.svg}
objects=${OBJECTS:-20000}
for tool in perf inferno-collapse-perf inferno-flamegraph; do
  command -v "$tool" >/dev/null || die "$tool is not installed (see the head of this script)"
done
if [ -z "${S3CP_BIN:-}" ]; then
  target=${PROFILE_TARGET:-/tmp/s3cp-profile-target}
  log "building s3cp with frame pointers in $target"
  RUSTFLAGS="-C force-frame-pointers=yes" CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
    CARGO_TARGET_DIR=$target timeout 3600 cargo build --release --locked -q --bin s3cp
  export S3CP_BIN=$target/release/s3cp
fi

bench_setup
bench_emulator
log "putting $objects objects of 8 KiB under s3://s3cp-src/prof/"
timeout 1800 "$PYTHON" "$here/s3tool.py" put-many s3cp-src prof/ "$objects" 8192 >/dev/null
emu_start --null-copy --latency-ms 20 --jitter-ms 5 --write-rate 0

data=$BENCH_STATE/perf.data
log "profiling: s3cp -r of $objects objects through s3emu ($EMU)"
timeout 300 perf record -q -e cpu-clock -F 1999 --call-graph fp -o "$data" -- \
  "$S3CP" --endpoint-url "$EMU" --path-style -r -q s3://s3cp-src/prof/ s3://s3cp-dst/prof/ \
  >/dev/null
# The emulator answers the copies (null copy): its counters, not s3cp's
# summary, say that every object was copied.
"$PYTHON" "$here/bench-throughput.py" emu-check "$EMU/__s3emu/stats" "$objects" 8192
perf script -i "$data" 2>/dev/null | inferno-collapse-perf >"$BENCH_STATE/folded"
inferno-flamegraph --title "s3cp -r, $objects x 8 KiB, s3emu 20 ms" <"$BENCH_STATE/folded" >"$out"
log "wrote $out"
# Self time by frame: the last frame of each folded stack.
"$PYTHON" - "$BENCH_STATE/folded" <<'PY'
import collections, sys
total, top = 0, collections.Counter()
for line in open(sys.argv[1]):
    stack, _, n = line.rstrip().rpartition(" ")
    total += int(n)
    top[stack.split(";")[-1]] += int(n)
# cpu-clock samples carry their period: the weights are nanoseconds of CPU.
print(f"{total / 1e9:.2f} s of CPU sampled; by self time:")
for frame, n in top.most_common(15):
    print(f"  {100 * n / total:5.1f}%  {frame[:110]}")
PY
