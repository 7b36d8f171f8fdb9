#!/usr/bin/env bash
# Benchmark of issue 12 (reruns cost nothing): OBJECTS small objects copied
# once, then reruns with nothing to do, s3cp and its peers side by side:
#   s3cp -r --skip-same, s3cp -r --skip-existing, s3cp -r --no-overwrite,
#   s5cmd sync, aws s3 sync.
# Each rerun goes through a fresh s3emu in front of Garage (LATENCY_MS ± a
# quarter, S3's 3,500 writes/s per prefix, copies answered by the emulator:
# --null-copy), whose counters give the requests of each operation; the
# first copy goes to Garage directly. Garage ignores If-None-Match on
# CopyObject, and s3emu answers every copy 200, so --no-overwrite's row
# counts the one CopyObject per object that AWS would answer 412 (its
# objects show as copied, not skipped). A rerun of the SMALL_OBJECTS prefix
# with --skip-same shows whether s3cp's memory grows with the count.
# scripts/bench-throughput.py times each run (wall, CPU, peak RSS of the
# child) and records the emulator's counters (a rerun must copy nothing,
# --no-overwrite one CopyObject per object; a failed s3cp run stops the
# benchmark); the table is printed last. The first copy is checked on
# Garage (every object, of its size).
# Sizes from the environment, e.g. a quick check:
#   OBJECTS=2000 SMALL_OBJECTS=200 RUNS=1 scripts/bench-rerun.sh
set -euo pipefail
if [ -z "${S3CP_BENCH_CAPPED:-}" ]; then
  export S3CP_BENCH_CAPPED=1
  exec timeout "${SCRIPT_TIMEOUT:-5400}" "$0" "$@"
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/lib.sh"
cd "$root"

OBJECTS=${OBJECTS:-20000}
SMALL_OBJECTS=${SMALL_OBJECTS:-2000}
OBJECT_SIZE_KIB=${OBJECT_SIZE_KIB:-8}
LATENCY_MS=${LATENCY_MS:-20}
RUNS=${RUNS:-3}
RUN_TIMEOUT=${RUN_TIMEOUT:-900}

[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) is needed for the peak RSS"
bench_setup # s3cp (release), Garage, the credentials
bench_emulator # s3emu, stopped on exit
S5CMD=$(install_s5cmd)
AWS=$(pyenv which aws 2>/dev/null || command -v aws) || die "aws-cli is not installed"
state=$BENCH_STATE
results=$state/results.jsonl
GARAGE=$S3CP_TEST_GARAGE_ENDPOINT
# Only the endpoint and credentials: no profile's settings.
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=$state/no-config AWS_SHARED_CREDENTIALS_FILE=$state/no-credentials

# A fresh s3emu per rerun (its counters are the run's).
emu=(--null-copy --latency-ms "$LATENCY_MS" --jitter-ms "$(awk "BEGIN{print $LATENCY_MS/4}")")

# measure KEY TOOL [--stats URL] -- CMD...: one timed run, recorded in $results.
run_no=0
measure() {
  local key=$1 tool=$2
  shift 2
  run_no=$((run_no + 1))
  "$PYTHON" "$here/bench-throughput.py" run "$results" "$key" "$tool" "$RUN_TIMEOUT" \
    "$state/run-$run_no" "$@"
}

# rerun KEY WHAT SRC DST: one rerun of s3://s3cp-src/SRC/ onto
# s3://s3cp-dst/DST/ through a fresh emulator; WHAT is the row's tool.
rerun() {
  local key=$1 what=$2 src=s3://s3cp-src/$3/ dst=s3://s3cp-dst/$4/
  emu_start "${emu[@]}"
  local stats=(--stats "$EMU/__s3emu/stats")
  local s3cp=("$S3CP" --endpoint-url "$EMU" --path-style --json -r)
  # A rerun copies nothing (the emulator counts the copies), except
  # --no-overwrite's, one CopyObject per object (answered 412 on AWS).
  local none=(--expect 0 $((OBJECT_SIZE_KIB * 1024)))
  local count=$OBJECTS
  [ "$key" = small ] && count=$SMALL_OBJECTS
  case $what in
    skip-same) measure "$key" s3cp "${stats[@]}" "${none[@]}" -- "${s3cp[@]}" --skip-same "$src" "$dst" ;;
    skip-existing) measure "$key" s3cp "${stats[@]}" "${none[@]}" -- "${s3cp[@]}" --skip-existing "$src" "$dst" ;;
    no-overwrite) measure "$key" s3cp "${stats[@]}" --expect "$count" $((OBJECT_SIZE_KIB * 1024)) -- \
      "${s3cp[@]}" --no-overwrite "$src" "$dst" ;;
    s5cmd) measure "$key" s5cmd "${stats[@]}" "${none[@]}" -- "$S5CMD" --endpoint-url "$EMU" sync "$src*" "$dst" ;;
    aws-cli) measure "$key" aws-cli "${stats[@]}" "${none[@]}" -- \
      "$AWS" --endpoint-url "$EMU" s3 sync --no-progress "$src" "$dst" ;;
  esac
  emu_stop
  # The run's row: which rerun it was (measure records the tool alone).
  "$PYTHON" - "$results" "$what" <<'PY'
import json, sys
path, what = sys.argv[1:]
recs = [json.loads(l) for l in open(path)]
recs[-1]["what"] = what
open(path, "w").write("".join(json.dumps(r) + "\n" for r in recs))
PY
}

put() { # put PREFIX COUNT: COUNT objects of OBJECT_SIZE_KIB under s3cp-src/PREFIX/
  log "putting $2 objects of $OBJECT_SIZE_KIB KiB under s3://s3cp-src/$1/"
  timeout 1800 "$PYTHON" "$here/s3tool.py" put-many s3cp-src "$1/" "$2" $((OBJECT_SIZE_KIB * 1024))
}
put rerun "$OBJECTS"
put rerun-small "$SMALL_OBJECTS"

# The first copy, on Garage directly: every rerun below finds it all there
# (and newer than its source, which is what the syncs compare).
log "copying $OBJECTS objects once"
timeout "$RUN_TIMEOUT" "$S3CP" --endpoint-url "$GARAGE" --path-style -r -q \
  s3://s3cp-src/rerun/ s3://s3cp-dst/rerun/
timeout "$RUN_TIMEOUT" "$S3CP" --endpoint-url "$GARAGE" --path-style -r -q \
  s3://s3cp-src/rerun-small/ s3://s3cp-dst/rerun-small/
bench_check s3cp-dst rerun/ "$OBJECTS" $((OBJECT_SIZE_KIB * 1024))
bench_check s3cp-dst rerun-small/ "$SMALL_OBJECTS" $((OBJECT_SIZE_KIB * 1024))

# The reruns, interleaved so that they share the machine's moods.
for ((i = 1; i <= RUNS; i++)); do
  for what in skip-same skip-existing no-overwrite s5cmd aws-cli; do
    rerun rerun "$what" rerun rerun
  done
  rerun small skip-same rerun-small rerun-small
done

printf '\nIssue 12 benchmark, %s, %s cores shared by client, s3emu and Garage %s; s5cmd %s, %s\n' \
  "$(date -u +%Y-%m-%d)" "$(nproc)" "$GARAGE_VERSION" "$("$S5CMD" version)" \
  "$("$AWS" --version 2>&1 | cut -d' ' -f1)"
printf 'A rerun of %s × %s KiB objects with nothing to do, through s3emu at %s ms ± %s (median of %s runs)\n\n' \
  "$OBJECTS" "$OBJECT_SIZE_KIB" "$LATENCY_MS" "$(awk "BEGIN{print $LATENCY_MS/4}")" "$RUNS"
"$PYTHON" - "$results" "$OBJECTS" "$SMALL_OBJECTS" <<'PY'
import json, statistics, sys
path, n, small = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
recs = [json.loads(l) for l in open(path)]
rows = [("skip-same", "s3cp -r --skip-same"), ("skip-existing", "s3cp -r --skip-existing"),
        ("no-overwrite", "s3cp -r --no-overwrite"), ("s5cmd", "s5cmd sync"),
        ("aws-cli", "aws s3 sync")]
def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None
def fmt(v, spec):
    return "–" if v is None else format(v, spec)
print("| rerun | seconds | requests | requests by operation | objects copied | peak RSS MiB |")
print("|---|---|---|---|---|---|")
def row(label, runs):
    good = [r for r in runs if not r["timed_out"] and r["rc"] == 0]
    if not good:
        why = "timeout" if runs and runs[0]["timed_out"] else \
            (f"failed (rc {runs[0]['rc']})" if runs else "not run")
        print(f"| {label} | {why} | | | | |")
        return
    ops = good[-1]["emu"]["requests"]
    by_op = ", ".join(f"{k} {v:,}" for k, v in sorted(ops.items(), key=lambda kv: -kv[1]))
    print(f"| {label} | {fmt(median(r['wall'] for r in good), '.2f')} "
          f"| {fmt(median(r['emu']['requests_total'] for r in good), ',.0f')} | {by_op} "
          f"| {fmt(median(r['copied'] for r in good), ',.0f')} "
          f"| {fmt(median(r['rss_mib'] for r in good), '.1f')} |")
for what, label in rows:
    row(f"{label} ({n:,} objects)", [r for r in recs if r["key"] == "rerun" and r.get("what") == what])
row(f"s3cp -r --skip-same ({small:,} objects: memory flat?)",
    [r for r in recs if r["key"] == "small"])
PY
