#!/usr/bin/env bash
# Benchmark: a bulk copy of 1,000 objects through the test suite's
# fault-injecting proxy, with 20% of requests answered 503 SlowDown, for each
# retry mode and attempt count. Prints a table (tests/retry_bench.rs).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
cd "$(dirname "$here")"
install_garage
install_moto
state=$(mktemp -d "${TMPDIR:-/tmp}/s3cp-bench.XXXXXX")
trap '"$here/servers.sh" stop "$state"; rm -rf "$state"' EXIT
"$here/servers.sh" start "$state" 2>/dev/null
. "$state/env"
cargo test --release --locked -q --test retry_bench -- --ignored --nocapture 2>&1 \
  | grep -E '^(\||Bulk)|^$' || true
