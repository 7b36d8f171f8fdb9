#!/usr/bin/env bash
# Benchmark of issue 11 (throughput at S3's latency and limits): prints one
# markdown table, s3cp and its peers (s5cmd, aws-cli, curl) side by side in
# the same run, each figure next to its goal.
#   1. loopback Garage: a prefix copy of LOOP_OBJECTS small objects;
#   2. through s3emu --null-copy at each of LATENCIES ms, no rate limit:
#      EMU_OBJECTS small objects (listed from Garage, copies answered by the
#      emulator), and LOOP_OBJECTS at 20 ms to show memory stays flat;
#   3. the same at 20 ms with each of WRITE_RATES writes/s per prefix;
#   4. a synthetic BIG_SIZE object through s3emu (150 MiB/s per copy,
#      3 GiB/s in all);
#   5. one small copy, whole process, SINGLE_RUNS times each, interleaved.
# Every tool runs with its defaults (endpoint and credentials only), each run
# killed after RUN_TIMEOUT seconds ("timeout" in its cell), the whole script
# after SCRIPT_TIMEOUT. scripts/bench-throughput.py times each run (CPU and
# peak RSS of the child), checks that it copied every object (counted by the
# destination, or by the emulator), stops on a failed s3cp run, and prints
# the table. Sizes come from the
# environment, e.g. a quick check:
#   LOOP_OBJECTS=200 EMU_OBJECTS=2000 BIG_SIZE=10GiB SINGLE_RUNS=5 scripts/bench-throughput.sh
# SECTIONS runs only those rows (e.g. SECTIONS="3 5"); the others show as
# not measured.
set -euo pipefail
if [ -z "${S3CP_BENCH_CAPPED:-}" ]; then
  export S3CP_BENCH_CAPPED=1
  exec timeout "${SCRIPT_TIMEOUT:-7200}" "$0" "$@"
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/lib.sh"
cd "$root"

LOOP_OBJECTS=${LOOP_OBJECTS:-2000}
LOOP_RUNS=${LOOP_RUNS:-3}
EMU_OBJECTS=${EMU_OBJECTS:-20000}
OBJECT_SIZE_KIB=${OBJECT_SIZE_KIB:-8}
LATENCIES=${LATENCIES:-"20 5 60"}
AWS_LATENCIES=${AWS_LATENCIES:-20} # aws-cli's 10 requests in flight make it slow
WRITE_RATES=${WRITE_RATES:-"1000 3500"}
BIG_SIZE=${BIG_SIZE:-100GiB}
SINGLE_RUNS=${SINGLE_RUNS:-21}
RUN_TIMEOUT=${RUN_TIMEOUT:-300}
SECTIONS=${SECTIONS:-"1 2 3 4 5"}
want() { [[ " $SECTIONS " == *" $1 "* ]]; }

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


# measure KEY TOOL [--stats URL] -- CMD...: one timed run, recorded in $results.
run_no=0
measure() {
  local key=$1 tool=$2
  shift 2
  run_no=$((run_no + 1))
  "$PYTHON" "$here/bench-throughput.py" run "$results" "$key" "$tool" "$RUN_TIMEOUT" \
    "$state/run-$run_no" "$@"
}

# copy_prefix KEY TOOL ENDPOINT SRC DST: TOOL copies s3://s3cp-src/SRC/ to
# s3://s3cp-dst/DST/ with its defaults; through the emulator if ENDPOINT is
# it. The run must copy every object of SRC (loop: LOOP_OBJECTS, emu:
# EMU_OBJECTS), as the destination (or the emulator) counts them.
copy_prefix() {
  local key=$1 tool=$2 endpoint=$3 src=s3://s3cp-src/$4/ dst=s3://s3cp-dst/$5/
  local stats=() count=$LOOP_OBJECTS
  [ "$4" = emu ] && count=$EMU_OBJECTS
  [ "$endpoint" = "$GARAGE" ] || stats=(--stats "$endpoint/__s3emu/stats")
  stats+=(--expect "$count" $((OBJECT_SIZE_KIB * 1024)) --dst "s3cp-dst/$5/")
  case $tool in
    s3cp) measure "$key" s3cp "${stats[@]}" -- \
      "$S3CP" --endpoint-url "$endpoint" --path-style --json -r "$src" "$dst" ;;
    s5cmd) measure "$key" s5cmd "${stats[@]}" -- \
      "$S5CMD" --endpoint-url "$endpoint" cp "$src*" "$dst" ;;
    aws-cli) measure "$key" aws-cli "${stats[@]}" -- \
      "$AWS" --endpoint-url "$endpoint" s3 cp --recursive --no-progress "$src" "$dst" ;;
  esac
}

# Through a fresh emulator (its counters are the run's): emu_copy KEY TOOL SRC DST -- S3EMU_FLAGS...
emu_copy() {
  local key=$1 tool=$2 src=$3 dst=$4
  shift 5
  emu_start "$@"
  copy_prefix "$key" "$tool" "$EMU" "$src" "$dst"
  emu_stop
}

put() { # put PREFIX COUNT: COUNT objects of OBJECT_SIZE_KIB under s3cp-src/PREFIX/
  log "putting $2 objects of $OBJECT_SIZE_KIB KiB under s3://s3cp-src/$1/"
  timeout 1800 "$PYTHON" "$here/s3tool.py" put-many s3cp-src "$1/" "$2" $((OBJECT_SIZE_KIB * 1024))
}
if want 1 || want 2; then put loop "$LOOP_OBJECTS"; fi
if want 2 || want 3; then put emu "$EMU_OBJECTS"; fi
if want 5; then put single 1; fi

# 1. Loopback Garage, peers alternating.
want 1 && for ((i = 1; i <= LOOP_RUNS; i++)); do
  copy_prefix loop s3cp "$GARAGE" loop "loop-s3cp-$i"
  copy_prefix loop s5cmd "$GARAGE" loop "loop-s5cmd-$i"
done

# 2. Null copies at each latency (jitter a quarter of it), no rate limit.
want 2 && for ms in $LATENCIES; do
  emu=(--null-copy --write-rate 0 --latency-ms "$ms" --jitter-ms "$(awk "BEGIN{print $ms/4}")")
  tools="s3cp s5cmd"
  [[ " $AWS_LATENCIES " == *" $ms "* ]] && tools+=" aws-cli"
  for tool in $tools; do
    emu_copy "emu-$ms" "$tool" emu "emu-$ms-$tool" -- "${emu[@]}"
  done
  if [ "$ms" = 20 ]; then # the small prefix too: memory should not grow with the count
    for tool in s3cp s5cmd; do
      emu_copy emu-small "$tool" loop "emu-small-$tool" -- "${emu[@]}"
    done
  fi
done

# 3. The write-rate limit (SlowDown beyond it).
want 3 && for wr in $WRITE_RATES; do
  for tool in s3cp s5cmd aws-cli; do
    emu_copy "rate-$wr" "$tool" emu "rate-$wr-$tool" -- \
      --null-copy --latency-ms 20 --jitter-ms 5 --write-rate "$wr"
  done
done

# 4. One synthetic large object (S3's default write rate, 3,500/s).
if want 4; then
big=s3://s3cp-src/synthetic/big
big_bytes=$(python3 -c '
import sys
units = {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}
big = sys.argv[1]
num = big.rstrip("KMGTiB")
print(int(float(num) * units.get(big[len(num):], 1)))' "$BIG_SIZE")
emu_big=(--null-copy --latency-ms 20 --jitter-ms 5 --copy-rate 150MiB --aggregate 3GiB
  --synthetic "$big=$BIG_SIZE")
emu_start "${emu_big[@]}"
measure big s3cp --stats "$EMU/__s3emu/stats" --expect 1 "$big_bytes" -- \
  "$S3CP" --endpoint-url "$EMU" --path-style --json "$big" s3://s3cp-dst/synthetic/big-s3cp
emu_stop
emu_start "${emu_big[@]}"
measure big s5cmd --stats "$EMU/__s3emu/stats" --expect 1 "$big_bytes" -- \
  "$S5CMD" --endpoint-url "$EMU" cp "$big" s3://s3cp-dst/synthetic/big-s5cmd
emu_stop
emu_start "${emu_big[@]}"
measure big aws-cli --stats "$EMU/__s3emu/stats" --expect 1 "$big_bytes" -- \
  "$AWS" --endpoint-url "$EMU" s3 cp --no-progress "$big" s3://s3cp-dst/synthetic/big-aws
emu_stop
fi

# 5. One small copy, whole process: s3cp (HEAD + CopyObject), one signed
# CopyObject by curl, s5cmd; interleaved so that they share the machine's moods.
one=s3cp-src/single/000000
empty_sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
one_size=$((OBJECT_SIZE_KIB * 1024))
want 5 && for ((i = 1; i <= SINGLE_RUNS; i++)); do
  measure single s3cp --no-rss --expect 1 "$one_size" --dst s3cp-dst/single/s3cp -- "$S3CP" --endpoint-url "$GARAGE" --path-style "s3://$one" s3://s3cp-dst/single/s3cp
  measure single curl --no-rss --expect 1 "$one_size" --dst s3cp-dst/single/curl -- "$(command -v curl)" -sS -o /dev/null -w '%{http_code}' -X PUT \
    --aws-sigv4 aws:amz:us-east-1:s3 --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
    -H "x-amz-copy-source: /$one" -H "x-amz-content-sha256: $empty_sha256" \
    "$GARAGE/s3cp-dst/single/curl"
  measure single s5cmd --no-rss --expect 1 "$one_size" --dst s3cp-dst/single/s5cmd -- "$S5CMD" --endpoint-url "$GARAGE" cp "s3://$one" s3://s3cp-dst/single/s5cmd
done

settings=$("$PYTHON" - "$LOOP_OBJECTS" "$LOOP_RUNS" "$EMU_OBJECTS" "$OBJECT_SIZE_KIB" \
  "$LATENCIES" "$WRITE_RATES" "$BIG_SIZE" "$SINGLE_RUNS" <<'PY'
import json, sys
loop, loop_runs, emu, kib, lat, wr, big, single = sys.argv[1:]
units = {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}
num = big.rstrip("KMGTiB")
print(json.dumps({"loop_objects": int(loop), "loop_runs": int(loop_runs),
                  "emu_objects": int(emu), "object_size_kib": int(kib),
                  "latencies": [int(x) for x in lat.split()],
                  "write_rates": [int(x) for x in wr.split()],
                  "big_bytes": int(float(num) * units.get(big[len(num):], 1)),
                  "single_runs": int(single)}))
PY
)
printf '\nIssues 11 and 24 benchmarks, %s, %s cores shared by client, s3emu and Garage %s; s5cmd %s, %s, %s\n\n' \
  "$(date -u +%Y-%m-%d)" "$(nproc)" "$GARAGE_VERSION" "$("$S5CMD" version)" \
  "$("$AWS" --version 2>&1 | cut -d' ' -f1)" "$(curl --version | head -1 | cut -d' ' -f1-2)"
"$PYTHON" "$here/bench-throughput.py" table "$results" "$settings"
