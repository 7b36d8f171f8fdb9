#!/usr/bin/env bash
# Benchmark: bulk copies of many small objects on a local Garage. Prints
# objects/s, CPU seconds and peak memory (max RSS) of s3cp for each size, so
# the flat-memory claim of the streamed listing is measured. A failed run, or
# a destination without the n objects of 1 KiB, stops it before its row.
#   scripts/bench-bulk.sh [SIZES] [JOBS] [CONCURRENCY]
#   e.g. scripts/bench-bulk.sh "2000 20000" 64 32
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/lib.sh"
cd "$root"

sizes=${1:-"2000 20000"}
jobs=${2:-64}
concurrency=${3:-32}

bench_setup
s3cp=$S3CP

printf '\nBulk copy of small objects (1 KiB) on Garage %s, %s cores, --jobs %s --concurrency %s\n\n' \
  "$GARAGE_VERSION" "$(nproc)" "$jobs" "$concurrency"
printf '| objects | seconds | objects/s | CPU s (user+sys) | peak RSS MiB | requests | retries |\n'
printf '|---|---|---|---|---|---|---|\n'
for n in $sizes; do
  log "putting $n objects"
  "$PYTHON" "$here/s3tool.py" put-many s3cp-src "bench-$n/" "$n" 1024
  # Run s3cp as a child of Python to read its rusage (CPU and max RSS); a
  # failed run stops the benchmark, and the row is printed only once the
  # destination holds the n objects of 1 KiB.
  row=$("$PYTHON" - "$s3cp" "$S3CP_TEST_GARAGE_ENDPOINT" "$n" "$jobs" "$concurrency" <<'PY'
import json, resource, subprocess, sys, time
s3cp, endpoint, n, jobs, conc = sys.argv[1:]
start = time.monotonic()
out = subprocess.run(
    [s3cp, "--endpoint-url", endpoint, "--path-style", "--json", "-r",
     "--jobs", jobs, "--concurrency", conc,
     f"s3://s3cp-src/bench-{n}/", f"s3://s3cp-dst/bench-{n}/"],
    capture_output=True, text=True)
wall = time.monotonic() - start
if out.returncode != 0:
    sys.exit(f"s3cp failed ({out.returncode}): {out.stderr[-2000:]}")
summary = json.loads(out.stdout.strip().splitlines()[-1])
assert summary["copied"] == int(n), summary
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"| {n} | {wall:.1f} | {int(n) / wall:.0f} | {ru.ru_utime + ru.ru_stime:.1f} "
      f"| {ru.ru_maxrss / 1024:.1f} | {summary['requests']} | {summary['retries']} |")
PY
)
  bench_check s3cp-dst "bench-$n/" "$n" 1024
  printf '%s\n' "$row"
done
