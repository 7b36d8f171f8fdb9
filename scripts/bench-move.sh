#!/usr/bin/env bash
# Benchmark of issue 20 (moving a prefix): OBJECTS small objects moved from
# one prefix to another, s3cp and its peers side by side:
#   s3cp mv -r, s5cmd mv, aws s3 mv --recursive.
# Each run moves its own freshly seeded source prefix: the objects are put
# once under s3cp-src/seed/, and before each run s3cp copies them (on Garage
# directly, not timed) to s3cp-src/mv-TOOL-N/, which the run moves to
# s3cp-dst/mv-TOOL-N/. Each run goes through a fresh s3emu in front of
# Garage (LATENCY_MS ± a quarter, S3's 3,500 writes/s per prefix), whose
# counters give the requests of each operation. Not --null-copy: the copies
# and deletes are forwarded to Garage, which makes and deletes the objects,
# so that each run can be checked on the store: the destination must hold
# OBJECTS objects of their size and the source prefix must be empty
# (scripts/bench-throughput.py run --moved-from; otherwise the benchmark
# stops before any figure is printed). s3emu forwards s3cp's conditions
# (If-Match on DeleteObject, each key's ETag in DeleteObjects) to Garage,
# which accepts and ignores them (README, "Moving"): the conditions are
# accepted and counted, not honoured; the peers' deletes carry none.
# LOOP_RUNS s3cp moves straight on Garage (no emulator) give the loopback
# figure, its requests counted by s3cp's summary.
# scripts/bench-throughput.py times each run (wall, CPU, peak RSS of the
# child; a failed s3cp run stops the benchmark); the table is printed last.
# Sizes from the environment, e.g. a quick check:
#   OBJECTS=2000 RUNS=1 LOOP_RUNS=1 scripts/bench-move.sh
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
OBJECT_SIZE_KIB=${OBJECT_SIZE_KIB:-8}
LATENCY_MS=${LATENCY_MS:-20}
RUNS=${RUNS:-3}
LOOP_RUNS=${LOOP_RUNS:-$RUNS}
RUN_TIMEOUT=${RUN_TIMEOUT:-900}
SIZE=$((OBJECT_SIZE_KIB * 1024))

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

# A fresh s3emu per run (its counters are the run's); copies forwarded.
emu=(--latency-ms "$LATENCY_MS" --jitter-ms "$(awk "BEGIN{print $LATENCY_MS/4}")")

# measure KEY TOOL [--stats URL] -- CMD...: one timed run, recorded in $results.
run_no=0
measure() {
  local key=$1 tool=$2
  shift 2
  run_no=$((run_no + 1))
  "$PYTHON" "$here/bench-throughput.py" run "$results" "$key" "$tool" "$RUN_TIMEOUT" \
    "$state/run-$run_no" "$@"
}

# seed NAME: a fresh source prefix s3cp-src/NAME/, copied from the seed on
# Garage directly (not timed), checked.
seed() {
  timeout "$RUN_TIMEOUT" "$S3CP" --endpoint-url "$GARAGE" --path-style -r -q \
    s3://s3cp-src/seed/ "s3://s3cp-src/$1/"
  bench_check s3cp-src "$1/" "$OBJECTS" "$SIZE"
}

# move KEY TOOL N: TOOL moves a fresh s3cp-src/mv-TOOL-N/ to
# s3cp-dst/mv-TOOL-N/, through a fresh emulator (KEY emu) or straight to
# Garage (KEY loop); the destination must then hold every object and the
# source nothing.
move() {
  local key=$1 tool=$2 name=mv-$1-$2-$3
  local src=s3://s3cp-src/$name/ dst=s3://s3cp-dst/$name/ endpoint=$GARAGE
  seed "$name"
  local args=(--expect "$OBJECTS" "$SIZE" --dst "s3cp-dst/$name/" --moved-from "s3cp-src/$name/")
  if [ "$key" = emu ]; then
    emu_start "${emu[@]}"
    endpoint=$EMU
    args+=(--stats "$EMU/__s3emu/stats")
  fi
  case $tool in
    s3cp) measure "$key" s3cp "${args[@]}" -- \
      "$S3CP" --endpoint-url "$endpoint" --path-style --json mv -r "$src" "$dst" ;;
    s5cmd) measure "$key" s5cmd "${args[@]}" -- \
      "$S5CMD" --endpoint-url "$endpoint" mv "$src*" "$dst" ;;
    aws-cli) measure "$key" aws-cli "${args[@]}" -- \
      "$AWS" --endpoint-url "$endpoint" s3 mv --recursive --no-progress "$src" "$dst" ;;
  esac
  [ "$key" = emu ] && emu_stop
  return 0
}

log "putting $OBJECTS objects of $OBJECT_SIZE_KIB KiB under s3://s3cp-src/seed/"
timeout 1800 "$PYTHON" "$here/s3tool.py" put-many s3cp-src seed/ "$OBJECTS" "$SIZE"
bench_check s3cp-src seed/ "$OBJECTS" "$SIZE"

# The moves, interleaved so that they share the machine's moods.
for ((i = 1; i <= RUNS; i++)); do
  for tool in s3cp s5cmd aws-cli; do
    move emu "$tool" "$i"
  done
done
for ((i = 1; i <= LOOP_RUNS; i++)); do
  move loop s3cp "$i"
done

printf '\nIssue 20 benchmark, %s, %s cores shared by client, s3emu and Garage %s; s5cmd %s, %s; s3cp at %s\n' \
  "$(date -u +%Y-%m-%d)" "$(nproc)" "$GARAGE_VERSION" "$("$S5CMD" version)" \
  "$("$AWS" --version 2>&1 | cut -d' ' -f1)" "$(git rev-parse --short HEAD)"
printf 'A move of %s × %s KiB objects from one prefix to another, through s3emu at %s ms ± %s (median of %s runs), and on loopback Garage (median of %s)\n\n' \
  "$OBJECTS" "$OBJECT_SIZE_KIB" "$LATENCY_MS" "$(awk "BEGIN{print $LATENCY_MS/4}")" "$RUNS" "$LOOP_RUNS"
"$PYTHON" - "$results" "$OBJECTS" <<'PY'
import json, statistics, sys
path, n = sys.argv[1], int(sys.argv[2])
recs = [json.loads(l) for l in open(path)]
def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None
def fmt(v, spec):
    return "–" if v is None else format(v, spec)
print("| move | seconds | objects/s | CPU ms/object | peak RSS MiB | CopyObject "
      "| DeleteObject | DeleteObjects | listings | HEADs | other | requests "
      "| requests/object | SlowDown |")
print("|" + "---|" * 14)
def ops(r):
    """Requests by column, from the emulator's counters."""
    by = dict(r["emu"]["requests"])
    cols = [by.pop("CopyObject", 0), by.pop("DeleteObject", 0), by.pop("DeleteObjects", 0),
            by.pop("ListObjectsV2", 0) + by.pop("ListObjects", 0), by.pop("HeadObject", 0)]
    return cols + [sum(by.values()), r["emu"]["requests_total"], r["emu"]["throttled"]]
def row(label, runs):
    good = [r for r in runs if not r["timed_out"] and r["rc"] == 0]
    if not good:
        why = "timeout" if runs and runs[0]["timed_out"] else \
            (f"failed (rc {runs[0]['rc']}: {' '.join(runs[0]['stderr_tail'].split())[-90:]})"
             if runs else "not run")
        print(f"| {label} | {why} |" + " |" * 13)
        return
    cells = [fmt(median(r["wall"] for r in good), ".2f"),
             fmt(median(r["copied"] / r["wall"] for r in good), ",.0f"),
             fmt(median(1000 * r["cpu"] / max(1, r["copied"]) for r in good), ".2f"),
             fmt(median(r["rss_mib"] for r in good), ".1f")]
    if good[0]["emu"]:
        cols = [median(ops(r)[i] for r in good) for i in range(8)]
        cells += [fmt(v, ",.0f") for v in cols[:7]]
        cells += [fmt(cols[6] / n, ".3f"), fmt(cols[7], ",.0f")]
    else:  # loopback: s3cp's own count of the requests it sent
        total = median(r["summary"]["requests"] for r in good)
        cells += ["–"] * 6 + [fmt(total, ",.0f"), fmt(total / n, ".3f"), "–"]
    print(f"| {label} | " + " | ".join(cells) + " |")
labels = {"s3cp": "s3cp mv -r", "s5cmd": "s5cmd mv", "aws-cli": "aws s3 mv --recursive"}
for tool, label in labels.items():
    row(f"{label}, s3emu ({n:,} objects)",
        [r for r in recs if r["key"] == "emu" and r["tool"] == tool])
row(f"s3cp mv -r, loopback Garage ({n:,} objects)",
    [r for r in recs if r["key"] == "loop" and r["tool"] == "s3cp"])
PY
