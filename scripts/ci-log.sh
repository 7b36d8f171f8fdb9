#!/usr/bin/env bash
# What a CI log shows of a bulk copy: COUNT objects of 1 KiB and three of
# 200 MiB (multipart, assembled from parts of one random 5 MiB object so
# they cost little to make) copied with stdout and stderr captured, not a
# terminal, as a CI runner captures them; then the same command again (a
# rerun with nothing to do). The large ones are copied with their own parts
# (--part-size source), so that the rerun can tell them the same by their
# ETags. Prints each command and its log as it came,
# with its exit code, for the README and the issue tracker to quote.
#   scripts/ci-log.sh [COUNT]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/lib.sh"
cd "$root"

count=${1:-5000}
bench_setup
tool() { "$PYTHON" "$here/s3tool.py" "$@"; }
p="ci-log-$$/"
log "putting $count objects of 1 KiB and 3 of 200 MiB under s3://s3cp-src/$p"
tool put-many s3cp-src "${p}small/" "$count" 1024
tool put-random s3cp-src "${p}base" $((5 * 1024 * 1024))
for i in 1 2 3; do
  tool assemble s3cp-src "${p}large/$i.bin" "${p}base" 40
done

state=$(mktemp -d "${TMPDIR:-/tmp}/s3cp-ci-state.XXXXXX")
args=(-r --keep-partial --skip-same --part-size source "s3://s3cp-src/$p" "s3://s3cp-dst/$p")
for run in "first run" "rerun, nothing to do"; do
  printf '\n### %s\n\n```console\n$ s3cp %s\n' "$run" "${args[*]}"
  # The pipe makes both streams what a CI runner sees: not a terminal.
  set +e
  S3CP_STATE_DIR=$state timeout 600 "$S3CP" --endpoint-url "$S3CP_TEST_GARAGE_ENDPOINT" \
    --path-style "${args[@]}" 2>&1 | cat
  code=${PIPESTATUS[0]}
  set -e
  printf '(exit %s)\n```\n' "$code"
  [ "$code" = 0 ] || die "s3cp exited $code"
done
bench_check s3cp-dst "${p}small/" "$count" 1024
rm -rf "$state"
