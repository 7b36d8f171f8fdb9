#!/usr/bin/env bash
# Benchmark: a streamed copy between two stores (--copy-mode stream). Starts
# two Garage instances on loopback (each with its own ports, data directory
# and key store, made as scripts/servers.sh makes the tests' one), puts a
# BENCH_SIZE object in the first, and copies it to the second with a release
# build, for a grid of part sizes and concurrencies: seconds, MiB/s, s3cp's
# CPU time and peak resident memory (/usr/bin/time), HTTP requests sent. Each copy is
# checked (the destination's size, and "verified": true in the JSON result).
# Used to choose the streaming defaults (plan::STREAM_*).
#   scripts/bench-stream.sh [PART_SIZES] [CONCURRENCIES] [REPEAT]
#   e.g. BENCH_SIZE=1GiB scripts/bench-stream.sh "16MiB 64MiB" "8 16" 1
# A part size or concurrency "default" gives no flag (s3cp's streaming
# defaults: 16 MiB parts, the adaptive request budget).
# BENCH_SIZE: a multiple of 64 MiB, as 6GiB, 512MiB or bytes (default 6GiB).
# BENCH_TIMEOUT: seconds one copy may take before the benchmark stops (900).
# The object is built as BENCH_SIZE / 64 MiB copies of one 64 MiB random part
# (UploadPartCopy), so the first store holds 64 MiB on disk and the second,
# which keeps blocks by content, writes at most that: disk space stays small,
# and what is measured is the transfer through s3cp (GET ranges, CRC,
# UploadPart) and Garage's hashing of what it receives, not the disk.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/lib.sh"
cd "$root"

part_sizes=${1:-"8MiB 16MiB 32MiB 64MiB 128MiB"}
concurrencies=${2:-"4 8 16 32"}
repeat=${3:-1}
base=$((64 * 1024 * 1024))

# BENCH_SIZE in bytes.
size=$(python3 - "${BENCH_SIZE:-6GiB}" <<'PY'
import re, sys
m = re.fullmatch(r"(\d+)\s*(|B|KiB|MiB|GiB|TiB)", sys.argv[1])
if not m:
    sys.exit(f"BENCH_SIZE={sys.argv[1]}: give bytes or N KiB/MiB/GiB/TiB")
print(int(m[1]) * {"": 1, "B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}[m[2]])
PY
)
[ $((size % base)) -eq 0 ] && [ "$size" -gt 0 ] || die "BENCH_SIZE must be a multiple of 64 MiB"
copies=$((size / base))

bench_two_garages bench-stream
log "source store $g1, destination store $g2"

log "building the source: $copies x 64 MiB ($((size >> 20)) MiB) in the first store"
tool "$g1" put-random s3cp-src bench/base "$base"
# With a full-object CRC64NVME: what proves a streamed copy of a multipart
# source (the stream's own CRC does not; scripts/bench-stream-proof.sh
# measures the other proofs).
tool "$g1" assemble s3cp-src bench/object bench/base "$copies" --checksum CRC64NVME

# One streamed copy through a one-line manifest (the summary counts the
# requests actually sent, retries included); prints "milliseconds requests
# retries peak_rss_kib cpu_seconds". A failed or unverified copy, or a destination of the
# wrong size, prints s3cp's log (-v) and stops the benchmark.
copy() {
  local ps=$1 c=$2 out flags=()
  [ "$ps" = default ] || flags+=(--part-size "$ps")
  [ "$c" = default ] || flags+=(--concurrency "$c")
  stream_copy bench/object bench/copy "${flags[@]}" -v || true
  if ! out=$("$PYTHON" -c '
import json, sys
size = int(sys.argv[1])
lines = [json.loads(l) for l in sys.stdin]
if not lines:
    sys.exit("s3cp printed no result (failed, or killed after BENCH_TIMEOUT seconds)")
copy, summary = lines[0], lines[-1]
want = {"type": "copy", "status": "copied", "method": "stream", "size": size, "verified": True}
if any(copy.get(k) != v for k, v in want.items()):
    sys.exit(f"copy failed or not proved: {copy}")
print(summary["duration_ms"], summary["requests"], summary["retries"])' "$size" <"$state/out.jsonl"); then
    tail -n 40 "$state/s3cp.log" >&2
    exit 1
  fi
  local got
  got=$(tool "$g2" size s3cp-dst bench/copy)
  [ "$got" = "$size" ] || die "the destination holds $got bytes, not $size"
  tool "$g2" delete s3cp-dst bench/copy
  local kib user sys
  read -r kib user sys <"$state/rusage"
  printf '%s %s %s\n' "$out" "$kib" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
}

printf '\nStreamed copy of %s MiB between two Garage %s instances (loopback), %s cores, best of %s\n\n' \
  "$((size >> 20))" "$GARAGE_VERSION" "$(nproc)" "$repeat"
echo '| part size | concurrency | seconds | MiB/s | s3cp CPU s | peak RSS MiB | requests | retries |'
echo '|---|---|---|---|---|---|---|---|'
for ps in $part_sizes; do
  for c in $concurrencies; do
    best="" reqs="" retries="" rss="" cpu=""
    for ((i = 0; i < repeat; i++)); do
      result=$(copy "$ps" "$c") # a failed copy stops the script (set -e)
      read -r ms r t kib secs <<<"$result"
      if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then
        best=$ms reqs=$r retries=$t cpu=$secs
      fi
      # The largest peak of the repeats: memory is a bound, not a best case.
      if [ -z "$rss" ] || [ "$kib" -gt "$rss" ]; then rss=$kib; fi
    done
    awk -v ps="$ps" -v c="$c" -v ms="$best" -v size="$size" -v kib="$rss" \
      -v reqs="$reqs" -v retries="$retries" -v cpu="$cpu" 'BEGIN {
        printf "| %s | %s | %.1f | %.0f | %.1f | %.0f | %s | %s |\n",
          ps, c, ms / 1000, size / 1048576 / (ms / 1000), cpu, kib / 1024, reqs, retries }'
  done
done
