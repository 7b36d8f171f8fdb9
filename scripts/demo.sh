#!/usr/bin/env bash
# Try s3cp locally: builds it, starts a local moto S3 server (installed once
# per machine into the cache, in under a minute), puts a sample object, and
# copies it through both the single-CopyObject path and the multipart path,
# printing the JSON results.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/lib.sh"
cd "$root"

install_moto # its venv has boto3 too, used to put the sample object
log "building s3cp"
cargo build --locked -q
s3cp="$root/target/debug/s3cp"

state=$(mktemp -d "${TMPDIR:-/tmp}/s3cp-demo.XXXXXX")
trap '"$here/servers.sh" stop "$state"; rm -rf "$state"' EXIT
"$here/servers.sh" start "$state" moto
. "$state/env"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing # moto's
export AWS_ENDPOINT_URL_S3=$S3CP_TEST_MOTO_ENDPOINT
export AWS_REGION=us-east-1
export S3TOOL_ENDPOINT=$S3CP_TEST_MOTO_ENDPOINT
"$PYTHON" "$here/s3tool.py" make-buckets s3cp-src s3cp-dst

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
