#!/usr/bin/env bash
# The test command (README, and what CI runs): installs the test servers
# into the machine's cache if needed, starts Garage and moto on loopback,
# checks formatting and lints, runs every test, and stops the servers.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/lib.sh"
cd "$root"

started=$(date +%s)
install_garage
install_moto

state=$(mktemp -d "${TMPDIR:-/tmp}/s3cp-servers.XXXXXX")
cleanup() { "$here/servers.sh" stop "$state"; rm -rf "$state"; }
trap cleanup EXIT
"$here/servers.sh" start "$state"
. "$state/env"

cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked "$@"
log "tests done in $(( $(date +%s) - started ))s"
