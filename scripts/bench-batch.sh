#!/usr/bin/env bash
# Benchmark of issue 22 (S3 Batch Operations): OBJECTS small objects under
# one prefix handed to one job by `s3cp -r --batch`, through s3emu in front
# of Garage, whose S3 Control double runs the job (each task a CopyObject
# on Garage, one at a time, outside the latency model). What it measures is
# s3cp's side: the requests s3cp itself sent (its summary's count: the
# listing, the manifest upload, the destination's region, STS or not,
# CreateJob and the DescribeJob polls), the S3 ones by operation (the
# emulator's counters; S3 Control's are the difference), its peak memory
# (the manifest is streamed to a file as the listing goes: memory should
# not grow with OBJECTS), and its CPU. Beside it, the same copy by s3cp
# alone (no job) through the same emulator. No peer drives Batch
# Operations. Each run writes a fresh destination prefix, checked on the
# store before any figure is printed.
#   OBJECTS=2000 RUNS=1 scripts/bench-batch.sh   # a quick check
set -euo pipefail
if [ -z "${S3CP_BENCH_CAPPED:-}" ]; then
  export S3CP_BENCH_CAPPED=1
  exec timeout "${SCRIPT_TIMEOUT:-5400}" "$0" "$@"
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/lib.sh"
cd "$root"

OBJECTS=${OBJECTS:-100000}
OBJECT_SIZE=${OBJECT_SIZE:-1024}
LATENCY_MS=${LATENCY_MS:-20}
RUNS=${RUNS:-1}
RUN_TIMEOUT=${RUN_TIMEOUT:-1800}
ACCOUNT=123456789012

[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) is needed for the peak RSS"
bench_setup # s3cp (release), Garage, the credentials
bench_emulator # s3emu, stopped on exit
state=$BENCH_STATE
results=$state/results.jsonl
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=$state/no-config AWS_SHARED_CREDENTIALS_FILE=$state/no-credentials
emu=(--latency-ms "$LATENCY_MS" --jitter-ms "$(awk "BEGIN{print $LATENCY_MS/4}")")

run_no=0
measure() {
  local key=$1 tool=$2
  shift 2
  run_no=$((run_no + 1))
  "$PYTHON" "$here/bench-throughput.py" run "$results" "$key" "$tool" "$RUN_TIMEOUT" \
    "$state/run-$run_no" "$@"
}

# copy KEY N [FLAGS...]: s3cp -r copies s3cp-src/seed/ to a fresh
# s3cp-dst/batch-KEY-N/ through a fresh emulator; KEY batch hands it to a
# job (the job writes TargetKeyPrefix/ + the full key: seed/KEY under the
# prefix), KEY local copies it here.
copy() {
  local key=$1 n=$2 dst_prefix="batch-$1-$2"
  shift 2
  emu_start "${emu[@]}"
  local flags=()
  if [ "$key" = batch ]; then
    flags=(--batch --batch-role "arn:aws:iam::$ACCOUNT:role/batch"
      --batch-reports "s3://s3cp-src/reports-$n/" --account-id "$ACCOUNT")
  fi
  # The job's copies go to Garage beside the emulator's counters: the
  # destination is counted on the store after the run instead.
  AWS_ENDPOINT_URL_S3_CONTROL=$EMU measure "$key" s3cp --stats "$EMU/__s3emu/stats" -- \
    "$S3CP" --endpoint-url "$EMU" --path-style --json --progress none "${flags[@]}" "$@" \
    -r s3://s3cp-src/seed/ "s3://s3cp-dst/$dst_prefix/seed/"
  emu_stop
  bench_check s3cp-dst "$dst_prefix/seed/" "$OBJECTS" "$OBJECT_SIZE"
}

log "putting $OBJECTS objects of $OBJECT_SIZE bytes under s3://s3cp-src/seed/"
timeout 3600 "$PYTHON" "$here/s3tool.py" put-many s3cp-src seed/ "$OBJECTS" "$OBJECT_SIZE"
bench_check s3cp-src seed/ "$OBJECTS" "$OBJECT_SIZE"

for ((i = 1; i <= RUNS; i++)); do
  copy batch "$i"
  copy local "$i"
done

printf '\nIssue 22 benchmark, %s, %s cores shared by s3cp, s3emu (and its job double) and Garage %s; s3cp at %s\n' \
  "$(date -u +%Y-%m-%d)" "$(nproc)" "$GARAGE_VERSION" "$(git rev-parse --short HEAD)"
printf '%s × %s B objects under one prefix, through s3emu at %s ms ± %s (median of %s runs)\n\n' \
  "$OBJECTS" "$OBJECT_SIZE" "$LATENCY_MS" "$(awk "BEGIN{print $LATENCY_MS/4}")" "$RUNS"
"$PYTHON" - "$results" "$OBJECTS" <<'PY'
import json, statistics, sys
path, n = sys.argv[1], int(sys.argv[2])
recs = [json.loads(l) for l in open(path)]
def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None
def fmt(v, spec):
    return "–" if v is None else format(v, spec)
print("| run | seconds | peak RSS MiB | CPU ms/object | requests s3cp sent | of them S3 "
      "| S3 Control and STS | requests/object | listings | CopyObject | UploadPartCopy | PutObject | other S3 |")
print("|" + "---|" * 13)
def row(label, runs):
    good = [r for r in runs if not r["timed_out"] and r["rc"] == 0]
    if not good:
        print(f"| {label} | failed |" + " |" * 11)
        return
    def s3(r):
        return dict(r["emu"]["requests"])
    total = median(r["summary"]["requests"] for r in good)
    s3_total = median(r["emu"]["requests_total"] for r in good)
    by = lambda name: median(s3(r).get(name, 0) for r in good)
    lists = median(s3(r).get("ListObjectsV2", 0) + s3(r).get("ListObjects", 0) for r in good)
    named = lists + by("CopyObject") + by("UploadPartCopy") + by("PutObject")
    cells = [fmt(median(r["wall"] for r in good), ".1f"),
             fmt(median(r["rss_mib"] for r in good), ".1f"),
             fmt(median(1000 * r["cpu"] / n for r in good), ".3f"),
             fmt(total, ",.0f"), fmt(s3_total, ",.0f"), fmt(total - s3_total, ",.0f"),
             fmt(total / n, ".4f"), fmt(lists, ",.0f"), fmt(by("CopyObject"), ",.0f"),
             fmt(by("UploadPartCopy"), ",.0f"), fmt(by("PutObject"), ",.0f"),
             fmt(s3_total - named, ",.0f")]
    print(f"| {label} | " + " | ".join(cells) + " |")
row(f"s3cp -r --batch ({n:,} objects, the job's run included)",
    [r for r in recs if r["key"] == "batch"])
row(f"s3cp -r, copied here ({n:,} objects)", [r for r in recs if r["key"] == "local"])
PY
