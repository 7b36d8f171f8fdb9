complete -c s3cp -l region -d 'AWS region of the buckets [default: from the environment or profile, else us-east-1]' -r
complete -c s3cp -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c s3cp -l endpoint-url -d 'Send requests to this endpoint instead of AWS (an S3-compatible store). AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL work too' -r
complete -c s3cp -l multipart-threshold -d 'Objects larger than this are copied in parts; up to it, one atomic CopyObject. At most 5GiB. Sizes: 8MiB, 5GiB, 1.5GB, plain bytes' -r
complete -c s3cp -l part-size -d 'Part size of a multipart copy, from 5MiB to 5GiB; grown automatically so that no copy needs more than 10,000 parts' -r
complete -c s3cp -l concurrency -d 'UploadPartCopy requests in flight at once' -r
complete -c s3cp -l path-style -d 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need'
complete -c s3cp -l json -d 'Print the result (or the error) as one JSON object on stdout'
complete -c s3cp -s q -l quiet -d 'Print nothing but errors; no progress bar'
complete -c s3cp -s v -l verbose -d 'More detail on stderr: -v what s3cp does, -vv each request, -vvv the SDK\'s own logs. RUST_LOG overrides'
complete -c s3cp -s h -l help -d 'Print help'
complete -c s3cp -s V -l version -d 'Print version'
