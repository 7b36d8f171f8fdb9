#!/usr/bin/env bash
# Benchmark: a multipart copy of a 6 GiB object on a local Garage, for a grid
# of part sizes and concurrencies. Prints a table of seconds per copy (best of
# REPEAT runs). Used to choose the defaults in src/plan.rs.
#   scripts/bench-multipart.sh [PART_SIZES] [CONCURRENCIES] [REPEAT]
#   e.g. scripts/bench-multipart.sh "8MiB 64MiB 256MiB" "4 8 16" 2
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/lib.sh"
cd "$root"

part_sizes=${1:-"8MiB 32MiB 64MiB 128MiB 256MiB 512MiB"}
concurrencies=${2:-"4 8 16"}
repeat=${3:-2}

bench_setup
s3cp=$S3CP
tool() { "$PYTHON" "$here/s3tool.py" "$@"; }

log "building a 6 GiB source (96 x 64 MiB, blocks shared)"
tool put-random s3cp-src bench/base $((64 * 1024 * 1024))
tool assemble s3cp-src bench/6gib bench/base 96

printf '\n6 GiB multipart copy on Garage %s, %s cores, seconds (best of %s)\n\n' \
  "$GARAGE_VERSION" "$(nproc)" "$repeat"
printf '| part size | parts |'; for c in $concurrencies; do printf ' conc %s |' "$c"; done; echo
printf '|---|---|'; for c in $concurrencies; do printf -- '---|'; done; echo
for ps in $part_sizes; do
  parts=""
  row=""
  for c in $concurrencies; do
    best=""
    for ((i = 0; i < repeat; i++)); do
      out=$("$s3cp" --endpoint-url "$S3CP_TEST_GARAGE_ENDPOINT" --path-style --json \
        --part-size "$ps" --concurrency "$c" s3://s3cp-src/bench/6gib s3://s3cp-dst/bench/copy) \
        || die "s3cp failed (--part-size $ps --concurrency $c): no figure"
      bench_check s3cp-dst bench/copy 1 $((96 * 64 * 1024 * 1024))
      ms=$(printf '%s' "$out" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["duration_ms"])')
      parts=$(printf '%s' "$out" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["parts"])')
      tool delete s3cp-dst bench/copy
      if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    done
    row="$row $(awk "BEGIN { printf \"%.1f\", $best / 1000 }") |"
  done
  printf '| %s | %s |%s\n' "$ps" "$parts" "$row"
done
