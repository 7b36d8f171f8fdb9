#!/usr/bin/env bash
# How many requests in flight: the table that s3cp's defaults (adaptive,
# starting at 32, at most 512, `--jobs` twice the limit) are chosen from.
# s3cp runs each workload with its default (adaptive) and with each fixed
# `--concurrency` in FIXED, on the same objects, in the same run:
#   loop:   loopback Garage, LOOP_OBJECTS small objects (Garage's CPU shares
#           the two cores: more in flight only queues there);
#   emu-MS: through s3emu --null-copy at each of LATENCIES ms, EMU_OBJECTS;
#   rate:   through s3emu at 20 ms with WRITE_RATE writes/s per prefix
#           (SlowDown beyond it), EMU_OBJECTS.
# Each run is killed after RUN_TIMEOUT seconds, the script after
# SCRIPT_TIMEOUT. A quick check:
#   LOOP_OBJECTS=200 EMU_OBJECTS=1000 FIXED="32 256" scripts/bench-concurrency.sh
set -euo pipefail
if [ -z "${S3CP_BENCH_CAPPED:-}" ]; then
  export S3CP_BENCH_CAPPED=1
  exec timeout "${SCRIPT_TIMEOUT:-5400}" "$0" "$@"
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/lib.sh"
cd "$root"

LOOP_OBJECTS=${LOOP_OBJECTS:-2000}
EMU_OBJECTS=${EMU_OBJECTS:-10000}
OBJECT_SIZE_KIB=${OBJECT_SIZE_KIB:-8}
LATENCIES=${LATENCIES:-"20 60"}
WRITE_RATE=${WRITE_RATE:-1000}
FIXED=${FIXED:-"16 32 64 128 256 512"}
RUN_TIMEOUT=${RUN_TIMEOUT:-300}

[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) is needed for the peak RSS"
bench_setup # s3cp (release), Garage, the credentials
bench_emulator # s3emu, stopped on exit
state=$BENCH_STATE
results=$state/results.jsonl
GARAGE=$S3CP_TEST_GARAGE_ENDPOINT
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=$state/no-config AWS_SHARED_CREDENTIALS_FILE=$state/no-credentials


# copy KEY SETTING ENDPOINT SRC: s3cp copies s3://s3cp-src/SRC/ with SETTING
# ("adaptive" or a fixed --concurrency), recorded under KEY as tool SETTING.
run_no=0
# Every object of SRC must be copied, as the destination (or the emulator)
# counts them.
copy() {
  local key=$1 setting=$2 endpoint=$3 src=$4 flags=() stats=() count=$LOOP_OBJECTS
  [ "$setting" = adaptive ] || flags=(--concurrency "$setting")
  [ "$endpoint" = "$GARAGE" ] || stats=(--stats "$endpoint/__s3emu/stats")
  [ "$src" = emu ] && count=$EMU_OBJECTS
  stats+=(--expect "$count" $((OBJECT_SIZE_KIB * 1024)) --dst "s3cp-dst/$key-$setting/")
  run_no=$((run_no + 1))
  "$PYTHON" "$here/bench-throughput.py" run "$results" "$key" "$setting" "$RUN_TIMEOUT" \
    "$state/run-$run_no" "${stats[@]}" -- "$S3CP" --endpoint-url "$endpoint" --path-style \
    --json -r "${flags[@]}" "s3://s3cp-src/$src/" "s3://s3cp-dst/$key-$setting/"
}

put() { # put PREFIX COUNT
  log "putting $2 objects of $OBJECT_SIZE_KIB KiB under s3://s3cp-src/$1/"
  timeout 1800 "$PYTHON" "$here/s3tool.py" put-many s3cp-src "$1/" "$2" $((OBJECT_SIZE_KIB * 1024))
}
put loop "$LOOP_OBJECTS"
put emu "$EMU_OBJECTS"

settings="adaptive $FIXED"
for setting in $settings; do
  copy loop "$setting" "$GARAGE" loop
done
for ms in $LATENCIES; do
  for setting in $settings; do
    emu_start --null-copy --write-rate 0 --latency-ms "$ms" \
      --jitter-ms "$(awk "BEGIN{print $ms/4}")"
    copy "emu-$ms" "$setting" "$EMU" emu
    emu_stop
  done
done
for setting in $settings; do
  emu_start --null-copy --latency-ms 20 --jitter-ms 5 --write-rate "$WRITE_RATE"
  copy rate "$setting" "$EMU" emu
  emu_stop
done

printf '\nRequests in flight, %s, %s cores shared by s3cp, s3emu and Garage %s; %s objects of %s KiB on loopback, %s through s3emu\n\n' \
  "$(date -u +%Y-%m-%d)" "$(nproc)" "$GARAGE_VERSION" "$LOOP_OBJECTS" "$OBJECT_SIZE_KIB" "$EMU_OBJECTS"
"$PYTHON" "$here/bench-throughput.py" concurrency-table "$results" \
  "{\"settings\": \"$settings\", \"latencies\": \"$LATENCIES\", \"write_rate\": $WRITE_RATE}"
