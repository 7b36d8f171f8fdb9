#!/usr/bin/env bash
# Benchmark of issue 23 (directory buckets): the peak memory of an
# `s3cp -r --skip-same` rerun against a directory bucket destination of
# OBJECTS keys, which S3 lists in no key order, so that s3cp reads the
# destination's listing whole into memory before deciding; beside the same
# rerun against a general purpose bucket (two sorted listings merged, one
# page of each in memory) and both reruns under --skip-existing.
# moto plays both buckets: Garage refuses the `s3express` signing scope of
# a directory bucket's requests. AWS_S3_DISABLE_EXPRESS_SESSION_AUTH=true
# keeps the SDK from CreateSession, which moto does not answer (every other
# request is as on AWS). The objects carry a CRC32 (as every new object on
# S3 does): in a directory bucket ETags are not MD5s, so --skip-same reads
# both checksums by HEAD, two requests per object. Each rerun must skip
# every object (a run that copies or fails stops the benchmark); each end
# is checked on the store first.
#   OBJECTS=2000 scripts/bench-directory.sh   # a quick check
set -euo pipefail
if [ -z "${S3CP_BENCH_CAPPED:-}" ]; then
  export S3CP_BENCH_CAPPED=1
  exec timeout "${SCRIPT_TIMEOUT:-7200}" "$0" "$@"
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/lib.sh"
cd "$root"

OBJECTS=${OBJECTS:-100000}
OBJECT_SIZE=${OBJECT_SIZE:-1024}
RUN_TIMEOUT=${RUN_TIMEOUT:-3600}
# Requests in flight: moto serves them one at a time and resets connections
# when hundreds wait (s3cp's adaptive default grows to 640 there, and a
# first run lost 43 of its 200,000 HEADs that way).
CONCURRENCY=${CONCURRENCY:-64}

[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) is needed for the peak RSS"
bench_setup # s3cp (release), the servers
state=$BENCH_STATE
results=$state/results.jsonl
MOTO=$S3CP_TEST_MOTO_ENDPOINT
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing S3TOOL_ENDPOINT=$MOTO
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_S3_DISABLE_EXPRESS_SESSION_AUTH=true
export AWS_CONFIG_FILE=$state/no-config AWS_SHARED_CREDENTIALS_FILE=$state/no-credentials
DIR=s3cp-bench--use1-az4--x-s3
S3CP=("$S3CP" --endpoint-url "$MOTO" --path-style)

"$PYTHON" "$here/s3tool.py" make-buckets s3cp-src s3cp-dst "$DIR"
# The same objects (bytes, CRC32, MD5 ETag) at each end, put rather than
# copied: moto serves one request at a time, and resets connections when
# s3cp's 100,000 copies queue up.
for bucket in s3cp-src "$DIR" s3cp-dst; do
  log "putting $OBJECTS objects of $OBJECT_SIZE bytes (CRC32) under s3://$bucket/dir/"
  timeout 3600 "$PYTHON" "$here/s3tool.py" put-many "$bucket" dir/ "$OBJECTS" "$OBJECT_SIZE" --checksum CRC32
  bench_check "$bucket" dir/ "$OBJECTS" "$OBJECT_SIZE"
done

# rerun WHAT DST: one rerun with nothing to do, timed, its peak RSS kept.
run_no=0
rerun() {
  local what=$1 dst=$2
  run_no=$((run_no + 1))
  "$PYTHON" "$here/bench-throughput.py" run "$results" "$dst" "$what" "$RUN_TIMEOUT" \
    "$state/run-$run_no" -- "${S3CP[@]}" -r --json --concurrency "$CONCURRENCY" "--$what" \
    s3://s3cp-src/dir/ "s3://$dst/dir/"
}
for what in skip-same skip-existing; do
  rerun "$what" "$DIR"
  rerun "$what" s3cp-dst
done

printf '\nIssue 23 benchmark, %s, %s cores shared by s3cp and moto %s; s3cp at %s\n' \
  "$(date -u +%Y-%m-%d)" "$(nproc)" "$MOTO_VERSION" "$(git rev-parse --short HEAD)"
printf 'A rerun of %s × %s B objects with nothing to do, onto a directory bucket and onto a general purpose bucket (moto, --concurrency %s)\n\n' \
  "$OBJECTS" "$OBJECT_SIZE" "$CONCURRENCY"
"$PYTHON" - "$results" "$OBJECTS" "$DIR" <<'PY'
import json, sys
path, n, directory = sys.argv[1], int(sys.argv[2]), sys.argv[3]
print("| rerun | destination | seconds | requests | skipped | peak RSS MiB | CPU ms/object |")
print("|---|---|---|---|---|---|---|")
for line in open(path):
    r = json.loads(line)
    s = r["summary"] or {}
    if r["rc"] != 0 or r["timed_out"] or s.get("skipped") != n or s.get("copied"):
        sys.exit(f"the {r['tool']} rerun onto {r['key']} did not skip all {n} objects: {s} "
                 f"{r['stderr_tail']}")
    kind = "directory bucket" if r["key"] == directory else "general purpose bucket"
    print(f"| s3cp -r --{r['tool']} | {kind} | {r['wall']:.1f} | {s['requests']:,} | "
          f"{s['skipped']:,} | {r['rss_mib']:.1f} | {1000 * r['cpu'] / n:.3f} |")
PY
