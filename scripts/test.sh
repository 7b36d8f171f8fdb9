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
# A clean build is about 4 GiB and the servers' data a few more.
need_disk "$root" 12
need_disk "${TMPDIR:-/tmp}" 12
install_garage
install_moto

state=$(mktemp -d "${TMPDIR:-/tmp}/s3cp-servers.XXXXXX")
cleanup() { "$here/servers.sh" stop "$state"; rm -rf "$state"; }
trap cleanup EXIT
"$here/servers.sh" start "$state"
. "$state/env"

cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
cargo clippy -p s3emu --all-targets --locked -- -D warnings
results="$state/cargo-test.log"
status=0
cargo test --locked --no-fail-fast "$@" 2>&1 | tee "$results" || status=$?
# The S3 latency emulator (benchmark support): its unit and smoke tests,
# which drive the s3cp just built through it in front of Garage.
cargo test --locked --no-fail-fast -p s3emu 2>&1 | tee -a "$results" || status=$?
log "tests done in $(( $(date +%s) - started ))s"
# One closing line for the whole run (cargo's own last line is the doc-tests').
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }
     END { printf "%d passed, %d failed\n", p, f }' "$results"
exit "$status"
