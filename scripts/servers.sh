#!/usr/bin/env bash
# Starts or stops the test servers on free loopback ports:
#   scripts/servers.sh start DIR [garage] [moto]
#                                  start Garage and moto (or only those named)
#                                  with their state in DIR, and write DIR/env
#                                  (source it for the tests)
#   scripts/servers.sh stop DIR    stop them
# Servers must be installed first (scripts/lib.sh: install_garage, install_moto).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

# Fixed test credentials: stable across runs, never real.
GARAGE_KEY_ID=GK0123456789abcdef01234567
GARAGE_SECRET=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
TEST_BUCKETS="s3cp-src s3cp-dst"

start_garage() {
  local dir=$1 port rpc admin
  port=$(free_port); rpc=$(free_port); admin=$(free_port)
  mkdir -p "$dir/garage"
  local conf="$dir/garage/garage.toml"
  cat >"$conf" <<TOML
metadata_dir = "$dir/garage/meta"
data_dir = "$dir/garage/data"
db_engine = "sqlite"
replication_factor = 1
metadata_fsync = false
data_fsync = false
disable_scrub = true
compression_level = "none"
block_size = "1M"
rpc_bind_addr = "127.0.0.1:$rpc"
rpc_public_addr = "127.0.0.1:$rpc"
rpc_secret = "$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
[s3_api]
s3_region = "us-east-1"
api_bind_addr = "127.0.0.1:$port"
root_domain = ".s3.garage.localhost"
[admin]
api_bind_addr = "127.0.0.1:$admin"
admin_token = "$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
TOML
  chmod 600 "$conf"
  local G=("$GARAGE_BIN" -c "$conf")
  RUST_LOG=warn "${G[@]}" server >"$dir/garage/server.log" 2>&1 &
  echo $! >"$dir/garage/pid"
  wait_until 300 "${G[@]}" status \
    || { tail -n 20 "$dir/garage/server.log" >&2; die "Garage did not start (log: $dir/garage/server.log)"; }
  local node
  node=$("${G[@]}" node id -q | cut -d@ -f1)
  "${G[@]}" layout assign -z dc1 -c 20G "$node" >/dev/null
  "${G[@]}" layout apply --version 1 >/dev/null
  "${G[@]}" key import --yes -n s3cp-test "$GARAGE_KEY_ID" "$GARAGE_SECRET" >/dev/null
  for b in $TEST_BUCKETS; do
    "${G[@]}" bucket create "$b" >/dev/null
    "${G[@]}" bucket allow --read --write --owner "$b" --key s3cp-test >/dev/null
  done
  wait_until 100 curl -s -o /dev/null "http://127.0.0.1:$port/" \
    || die "Garage's S3 API does not answer on 127.0.0.1:$port"
  cat >>"$dir/env" <<ENV
export S3CP_TEST_GARAGE_ENDPOINT=http://127.0.0.1:$port
export S3CP_TEST_GARAGE_ACCESS_KEY_ID=$GARAGE_KEY_ID
export S3CP_TEST_GARAGE_SECRET_ACCESS_KEY=$GARAGE_SECRET
ENV
  log "Garage $GARAGE_VERSION on http://127.0.0.1:$port"
}

start_moto() {
  local dir=$1 port
  port=$(free_port)
  mkdir -p "$dir/moto"
  "$MOTO_VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$dir/moto/server.log" 2>&1 &
  echo $! >"$dir/moto/pid"
  wait_until 300 curl -sf -o /dev/null "http://127.0.0.1:$port/moto-api/" \
    || { tail -n 20 "$dir/moto/server.log" >&2; die "moto did not start (log: $dir/moto/server.log)"; }
  cat >>"$dir/env" <<ENV
export S3CP_TEST_MOTO_ENDPOINT=http://127.0.0.1:$port
ENV
  log "moto $MOTO_VERSION on http://127.0.0.1:$port"
}

stop_all() {
  local dir=$1 pidfile
  for pidfile in "$dir"/garage/pid "$dir"/moto/pid; do
    [ -f "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

case "${1:-}" in
  start)
    dir=${2:?usage: servers.sh start DIR}
    mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
    stop_all "$dir"
    rm -rf "$dir/garage" "$dir/moto" # fresh state: a second layout apply would fail
    : >"$dir/env"
    shift 2
    servers=${*:-garage moto}
    case " $servers " in *" garage "*) start_garage "$dir" ;; esac
    case " $servers " in *" moto "*) start_moto "$dir" ;; esac
    ;;
  stop)
    stop_all "${2:?usage: servers.sh stop DIR}"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
