#!/usr/bin/env bash
# Benchmark: what proving a copy identical costs. A 6 GiB multipart copy on a
# local Garage, from a source with a full-object CRC64NVME and from one with
# no checksum, with and without --verify: requests sent (HTTP, retries
# included) and seconds, best of REPEAT runs. Table in BENCHMARKS.md.
#   scripts/bench-verify.sh [REPEAT]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/lib.sh"
cd "$root"

repeat=${1:-2}

bench_setup
s3cp=$S3CP
tool() { "$PYTHON" "$here/s3tool.py" "$@"; }

log "building two 6 GiB sources (96 x 64 MiB of random bytes, blocks shared)"
tool put-random s3cp-src bench/base $((64 * 1024 * 1024))
tool assemble s3cp-src bench/6gib-crc bench/base 96 --checksum CRC64NVME
tool assemble s3cp-src bench/6gib-none bench/base 96

# One copy through a one-line manifest, so that the summary counts the
# requests actually sent; prints "milliseconds requests verified_by". A failed
# copy prints its log (-v) and stops the benchmark.
copy() {
  local src=$1 out
  shift
  if ! out=$(printf 's3://s3cp-src/%s s3://s3cp-dst/bench/verify-copy\n' "$src" |
    "$s3cp" --endpoint-url "$S3CP_TEST_GARAGE_ENDPOINT" --path-style --json -v \
      --from-file - "$@" 2>"$BENCH_STATE/s3cp.log" |
    "$PYTHON" -c '
import json, sys
lines = [json.loads(l) for l in sys.stdin]
copy, summary = lines[0], lines[-1]
if copy["status"] != "copied":
    sys.exit(f"copy failed: {copy}")
print(summary["duration_ms"], summary["requests"], copy["verified_by"] or "none")'); then
    cat "$BENCH_STATE/s3cp.log" >&2
    exit 1
  fi
  bench_check s3cp-dst bench/verify-copy 1 $((96 * 64 * 1024 * 1024)) >&2
  tool delete s3cp-dst bench/verify-copy
  printf '%s\n' "$out"
}

printf '\n6 GiB multipart copy (24 parts of 256 MiB) on Garage %s, %s cores, best of %s\n\n' \
  "$GARAGE_VERSION" "$(nproc)" "$repeat"
echo '| source | flags | proved by | requests | seconds |'
echo '|---|---|---|---|---|'
for src in 6gib-crc 6gib-none; do
  for flags in "" "--verify"; do
    best="" reqs="" by=""
    for ((i = 0; i < repeat; i++)); do
      # shellcheck disable=SC2086
      result=$(copy "bench/$src" $flags)
      read -r ms reqs by <<<"$result"
      if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    done
    label=$([ "$src" = 6gib-crc ] && echo "CRC64NVME (FULL_OBJECT)" || echo "no checksum")
    printf '| %s | %s | %s | %s | %s |\n' "$label" "${flags:-(none)}" "$by" "$reqs" \
      "$(awk "BEGIN { printf \"%.1f\", $best / 1000 }")"
  done
done
