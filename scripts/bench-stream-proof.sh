#!/usr/bin/env bash
# Benchmark: what proving a streamed copy costs s3cp, by the proof used.
# Starts two Garage instances on loopback and streams one object from the
# first into the second (release build, --copy-mode stream, the defaults),
# for each kind of source:
#   checksum  single-part, uploaded with a CRC64NVME: proved by it (the
#             stream computes the same CRC in flight, nothing more)
#   etag      single-part, no checksum: proved by its ETag, the MD5 of its
#             bytes, against the MD5 of the bytes as they arrive (computed
#             in part order beside the writes)
#   read      multipart, no checksum: nothing but --verify proves it, by
#             reading the source a second time after the write
#   none      the same without --verify: unverified, the stream's CRC only
# Prints seconds, MiB/s, s3cp's CPU seconds and peak RSS (/usr/bin/time),
# the requests sent and verified_by; each copy's destination size is checked.
#   scripts/bench-stream-proof.sh [SIZE_MIB] [REPEAT]   (default 1024 1)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/lib.sh"
cd "$root"

mib=${1:-1024}
repeat=${2:-1}
[ $((mib % 64)) -eq 0 ] && [ "$mib" -gt 0 ] || die "SIZE_MIB must be a multiple of 64"
size=$((mib << 20))

bench_two_garages bench-proof

log "sources of $mib MiB in $g1"
tool "$g1" put-random s3cp-src proof/checksum "$size" --checksum CRC64NVME
tool "$g1" put-random s3cp-src proof/etag "$size"
tool "$g1" put-random s3cp-src proof/base $((64 << 20))
tool "$g1" assemble s3cp-src proof/multipart proof/base $((mib / 64))

# One copy: prints "milliseconds requests verified_by peak_kib cpu_seconds";
# a failed copy, another proof than expected, or a wrong size stops it.
copy() {
  local key=$1 want=$2 flags=("${@:3}") out
  stream_copy "proof/$key" proof/copy "${flags[@]}" || true
  if ! out=$("$PYTHON" -c '
import json, sys
size, want = int(sys.argv[1]), sys.argv[2]
lines = [json.loads(l) for l in sys.stdin]
if not lines:
    sys.exit("s3cp printed no result")
copy, summary = lines[0], lines[-1]
if copy.get("status") != "copied" or copy.get("size") != size:
    sys.exit(f"copy failed: {copy}")
by = copy.get("verified_by") or "none"
if by != want:
    sys.exit(f"proved by {by}, not {want}: {copy}")
print(summary["duration_ms"], summary["requests"], by)' "$size" "$want" <"$state/out.jsonl"); then
    tail -n 20 "$state/s3cp.log" >&2
    exit 1
  fi
  local got
  got=$(tool "$g2" size s3cp-dst proof/copy)
  [ "$got" = "$size" ] || die "the destination holds $got bytes, not $size"
  tool "$g2" delete s3cp-dst proof/copy
  local kib user sys
  read -r kib user sys <"$state/rusage"
  printf '%s %s %s\n' "$out" "$kib" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
}

printf '\nStreamed copy of %s MiB between two Garage %s instances (loopback), %s cores, best of %s\n\n' \
  "$mib" "$GARAGE_VERSION" "$(nproc)" "$repeat"
echo '| source | flags | verified_by | seconds | MiB/s | s3cp CPU s | peak RSS MiB | requests |'
echo '|---|---|---|---|---|---|---|---|'
row() {
  local label=$1 key=$2 want=$3 flags=("${@:4}") best="" cpu="" rss="" reqs=""
  for ((i = 0; i < repeat; i++)); do
    result=$(copy "$key" "$want" "${flags[@]}") # a failed copy stops the script (set -e)
    read -r ms r by kib secs <<<"$result"
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms cpu=$secs reqs=$r; fi
    if [ -z "$rss" ] || [ "$kib" -gt "$rss" ]; then rss=$kib; fi
  done
  awk -v l="$label" -v f="${flags[*]:-none}" -v by="$want" -v ms="$best" -v size="$size" \
    -v cpu="$cpu" -v kib="$rss" -v reqs="$reqs" 'BEGIN {
      printf "| %s | %s | %s | %.1f | %.0f | %.1f | %.0f | %s |\n",
        l, f, by, ms / 1000, size / 1048576 / (ms / 1000), cpu, kib / 1024, reqs }'
}
row "single-part, CRC64NVME" checksum checksum
row "single-part, MD5 ETag only" etag etag
row "multipart, no checksum" multipart read --verify
row "multipart, no checksum" multipart none
