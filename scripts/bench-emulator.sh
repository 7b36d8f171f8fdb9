#!/usr/bin/env bash
# Benchmark: s3emu's own forwarding rate (BENCHMARKS.md, "S3 latency
# emulator"). Starts a stub upstream that answers 200 to anything
# (emulator/examples/loadgen.rs), s3emu in front of it, and keeps
# CONNECTIONS keep-alive connections busy with HEADs for SECONDS, directly
# and through the emulator at each LATENCY (ms; 0 measures the emulator's
# own cost). Every process has a timeout.
#   scripts/bench-emulator.sh [LATENCIES] [CONNECTIONS] [SECONDS]
#   e.g. scripts/bench-emulator.sh "0 20" 256 5
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/lib.sh"
cd "$root"

latencies=${1:-"0 20"}
connections=${2:-256}
seconds=${3:-5}

log "building s3emu and its load generator (release)"
cargo build --release --locked -p s3emu --bin s3emu --example loadgen >&2
bin=${CARGO_TARGET_DIR:-$root/target}/release
state=$(mktemp -d "${TMPDIR:-/tmp}/s3emu-bench.XXXXXX")
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$state"; }
trap cleanup EXIT

# Starts "$@" (with a timeout) and prints the address of its first line.
start() {
  local out="$state/$RANDOM.out"
  timeout $((seconds * 4 + 60)) "$@" >"$out" 2>>"$state/stderr" &
  pids+=($!)
  wait_until 100 grep -q '^listening on ' "$out" || die "$1 did not start: $(cat "$state/stderr")"
  head -1 "$out" | awk '{print $3}'
}
load() {
  timeout $((seconds + 30)) "$bin/examples/loadgen" load --target "$1" \
    --connections "$connections" --seconds "$seconds" --method HEAD --path /bucket/key
}

stub=$(start "$bin/examples/loadgen" stub)
printf '\ns3emu forwarding rate, %s cores, %s keep-alive connections, HEAD, %s s each\n\n' \
  "$(nproc)" "$connections" "$seconds"
printf '| path | latency ms | requests/s | p50 ms | p99 ms |\n|---|---|---|---|---|\n'
row() {
  python3 - "$@" <<'PY'
import json, sys
name, ms, raw = sys.argv[1:]
r = json.loads(raw)
print(f"| {name} | {ms} | {r['per_second']:,.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} |")
PY
}
row "stub alone" "-" "$(load "$stub")"
for ms in $latencies; do
  emu=$(start "$bin/s3emu" --upstream "$stub" --latency-ms "$ms" --jitter-ms 0 --write-rate 0)
  row "through s3emu" "$ms" "$(load "$emu")"
done
