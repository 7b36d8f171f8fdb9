#!/usr/bin/env bash
# Try s3cp locally: builds it, starts a local Garage (installed once per
# machine into the cache), puts a sample object, and copies it through both
# the single-CopyObject path and the multipart path, printing the JSON results.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/lib.sh"
cd "$root"

install_garage
install_moto # its venv has boto3, used to put the sample object
log "building s3cp"
cargo build --release --locked -q
s3cp="$root/target/release/s3cp"

state=$(mktemp -d "${TMPDIR:-/tmp}/s3cp-demo.XXXXXX")
trap '"$here/servers.sh" stop "$state"; rm -rf "$state"' EXIT
"$here/servers.sh" start "$state"
. "$state/env"
export AWS_ACCESS_KEY_ID=$S3CP_TEST_GARAGE_ACCESS_KEY_ID
export AWS_SECRET_ACCESS_KEY=$S3CP_TEST_GARAGE_SECRET_ACCESS_KEY
export AWS_ENDPOINT_URL_S3=$S3CP_TEST_GARAGE_ENDPOINT
export AWS_REGION=us-east-1
export S3TOOL_ENDPOINT=$S3CP_TEST_GARAGE_ENDPOINT

log "putting s3://s3cp-src/demo/sample.bin (24 MiB, with metadata)"
"$PYTHON" "$here/s3tool.py" put-random s3cp-src demo/sample.bin $((24 * 1024 * 1024)) \
  --content-type application/octet-stream --meta origin=demo

echo "\$ s3cp --path-style --json s3://s3cp-src/demo/sample.bin s3://s3cp-dst/single/"
"$s3cp" --path-style --json s3://s3cp-src/demo/sample.bin s3://s3cp-dst/single/
echo "\$ s3cp --path-style --json --multipart-threshold 8MiB --part-size 5MiB s3://s3cp-src/demo/sample.bin s3://s3cp-dst/multipart/"
"$s3cp" --path-style --json --multipart-threshold 8MiB --part-size 5MiB \
  s3://s3cp-src/demo/sample.bin s3://s3cp-dst/multipart/
echo "\$ s3cp --path-style s3://s3cp-src/demo/sample.bin s3://s3cp-dst/human.bin"
"$s3cp" --path-style s3://s3cp-src/demo/sample.bin s3://s3cp-dst/human.bin
