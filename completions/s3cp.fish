complete -c s3cp -l include -d 'With --recursive: copy only keys (relative to SRC) matching this glob, unless a later --exclude matches too. Repeatable; later filters win, as in aws-cli' -r
complete -c s3cp -l exclude -d 'With --recursive: skip keys (relative to SRC) matching this glob, unless a later --include matches too. Repeatable' -r
complete -c s3cp -l from-file -d 'Copy what a manifest lists, one copy per line: \'SRC DST\' or a JSON object {"src": ..., "dst": ...}; \'-\' reads standard input' -r
complete -c s3cp -l jobs -d 'Objects copied at once (all their requests share --concurrency)' -r
complete -c s3cp -l shard -d 'Copy only shard I of N (1-based): a stable hash of each source key picks its shard, so N runners that each take one shard copy every object exactly once' -r
complete -c s3cp -l region -d 'AWS region of the buckets [default: from the environment or profile, else us-east-1]' -r
complete -c s3cp -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c s3cp -l endpoint-url -d 'Send requests to this endpoint instead of AWS (an S3-compatible store). AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL work too' -r
complete -c s3cp -l max-attempts -d 'Attempts per request, the first included, before the SDK gives up (then s3cp retries a failed part or copy a few more times) [default: AWS_MAX_ATTEMPTS or the profile\'s max_attempts, else 3]' -r
complete -c s3cp -l retry-mode -d 'The SDK\'s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile\'s retry_mode, else standard]' -r -f -a "standard\t''
adaptive\t''"
complete -c s3cp -l multipart-threshold -d 'Objects larger than this are copied in parts; up to it, one atomic CopyObject. At most 5GiB. Sizes: 8MiB, 5GiB, 1.5GB, plain bytes' -r
complete -c s3cp -l part-size -d 'Part size of a multipart copy, from 5MiB to 5GiB; grown automatically so that no copy needs more than 10,000 parts' -r
complete -c s3cp -l concurrency -d 'Requests in flight at once, shared by all objects and parts' -r
complete -c s3cp -l metadata-directive -d 'COPY keeps the source\'s metadata and headers, REPLACE uses only those given, MERGE keeps the source\'s and overrides those given' -r -f -a "COPY\t'Keep the source\'s metadata and headers (S3\'s default)'
REPLACE\t'Use only the metadata and headers given on the command line'
MERGE\t'Keep the source\'s, overriding only the ones given (s3cp\'s own)'"
complete -c s3cp -l metadata -d 'User metadata (x-amz-meta-*), as KEY=VALUE[,KEY=VALUE]; repeatable' -r
complete -c s3cp -l content-type -d 'Content-Type of the destination' -r
complete -c s3cp -l cache-control -d 'Cache-Control of the destination' -r
complete -c s3cp -l content-disposition -d 'Content-Disposition of the destination' -r
complete -c s3cp -l content-encoding -d 'Content-Encoding of the destination' -r
complete -c s3cp -l content-language -d 'Content-Language of the destination' -r
complete -c s3cp -l expires -d 'Expires of the destination: RFC 3339 (2030-01-01T00:00:00Z) or an HTTP date' -r
complete -c s3cp -l tagging-directive -d 'COPY keeps the source\'s tags; REPLACE uses only --tagging' -r -f -a "COPY\t'Keep the source\'s tags (S3\'s default)'
REPLACE\t'Use only the tags given with --tagging (none without it)'"
complete -c s3cp -l tagging -d 'Tags as a URL query: \'k=v&k2=v2\'. Without a directive, means REPLACE' -r
complete -c s3cp -l acl -d 'A canned ACL for the destination' -r -f -a "authenticated-read\t''
aws-exec-read\t''
bucket-owner-full-control\t''
bucket-owner-read\t''
private\t''
public-read\t''
public-read-write\t''"
complete -c s3cp -l grant-read -d 'Grantees with READ, as \'id=..., uri=..., emailAddress=...\'' -r
complete -c s3cp -l grant-read-acp -d 'Grantees with READ_ACP' -r
complete -c s3cp -l grant-write-acp -d 'Grantees with WRITE_ACP' -r
complete -c s3cp -l grant-full-control -d 'Grantees with FULL_CONTROL' -r
complete -c s3cp -l sse -d 'Server-side encryption of the destination' -r -f -a "AES256\t''
aws:backup\t''
aws:fsx\t''
aws:kms\t''
aws:kms:dsse\t''"
complete -c s3cp -l sse-kms-key-id -d 'KMS key (id, ARN or alias) for --sse aws:kms or aws:kms:dsse' -r
complete -c s3cp -l sse-kms-encryption-context -d 'KMS encryption context: base64 of a JSON object' -r
complete -c s3cp -l sse-c -d 'Encrypt the destination with a customer-provided key (SSE-C)' -r -f -a "AES256\t''"
complete -c s3cp -l sse-c-key -d 'The destination\'s SSE-C key: 32 raw bytes, as in aws-cli. Prefer --sse-c-key-file or S3CP_SSE_C_KEY (base64) to keep it out of shell history' -r
complete -c s3cp -l sse-c-key-file -d 'File holding the destination\'s SSE-C key (32 raw bytes, or base64)' -r -F
complete -c s3cp -l sse-c-copy-source -d 'The source is encrypted with a customer-provided key (SSE-C)' -r -f -a "AES256\t''"
complete -c s3cp -l sse-c-copy-source-key -d 'The source\'s SSE-C key: 32 raw bytes. Prefer --sse-c-copy-source-key-file or S3CP_SSE_C_COPY_SOURCE_KEY (base64)' -r
complete -c s3cp -l sse-c-copy-source-key-file -d 'File holding the source\'s SSE-C key (32 raw bytes, or base64)' -r -F
complete -c s3cp -l storage-class -d 'Storage class of the destination [S3\'s default: STANDARD]' -r -f -a "AWS_BACKUP_LOW_COST_WARM\t''
AWS_BACKUP_WARM\t''
DEEP_ARCHIVE\t''
EXPRESS_ONEZONE\t''
FSX_ONTAP\t''
FSX_OPENZFS\t''
GLACIER\t''
GLACIER_IR\t''
INTELLIGENT_TIERING\t''
ONEZONE_IA\t''
OUTPOSTS\t''
REDUCED_REDUNDANCY\t''
SNOW\t''
STANDARD\t''
STANDARD_IA\t''"
complete -c s3cp -l object-lock-mode -d 'Object Lock mode; needs --object-lock-retain-until-date' -r -f -a "COMPLIANCE\t''
GOVERNANCE\t''"
complete -c s3cp -l object-lock-retain-until-date -d 'Object Lock retention date (RFC 3339 or HTTP date); needs --object-lock-mode' -r
complete -c s3cp -l object-lock-legal-hold -d 'Object Lock legal hold' -r -f -a "OFF\t''
ON\t''"
complete -c s3cp -l website-redirect -d 'Website redirect location of the destination' -r
complete -c s3cp -l checksum-algorithm -d 'Have S3 compute this checksum for the destination' -r -f -a "CRC32\t''
CRC32C\t''
CRC64NVME\t''
MD5\t''
SHA1\t''
SHA256\t''
SHA512\t''
XXHASH128\t''
XXHASH3\t''
XXHASH64\t''"
complete -c s3cp -l request-payer -d 'Agree to pay for requests on a Requester Pays bucket' -r -f -a "requester\t''"
complete -c s3cp -l expected-bucket-owner -d 'Fail unless the destination bucket belongs to this account id' -r
complete -c s3cp -l expected-source-bucket-owner -d 'Fail unless the source bucket belongs to this account id' -r
complete -c s3cp -l if-match -d 'Copy only if the source\'s ETag is this' -r
complete -c s3cp -l if-none-match -d 'Copy only if the source\'s ETag is not this' -r
complete -c s3cp -l if-modified-since -d 'Copy only if the source changed after this date (RFC 3339 or HTTP date)' -r
complete -c s3cp -l if-unmodified-since -d 'Copy only if the source did not change after this date' -r
complete -c s3cp -s r -l recursive -d 'Copy every object under the SRC prefix to the DST prefix, keeping the key paths relative to SRC'
complete -c s3cp -l fail-fast -d 'Stop at the first failed object (by default the others go on)'
complete -c s3cp -l path-style -d 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need'
complete -c s3cp -l copy-acl -d 'Read the source\'s ACL and give the destination the same grants'
complete -c s3cp -l bucket-key-enabled -d 'Use an S3 Bucket Key for SSE-KMS'
complete -c s3cp -l no-overwrite -d 'Refuse to overwrite an existing destination: sends If-None-Match: * (atomic, no HEAD-then-copy race)'
complete -c s3cp -l json -d 'Print the result (or the error) as one JSON object on stdout'
complete -c s3cp -s q -l quiet -d 'Print nothing but errors; no progress bar'
complete -c s3cp -s v -l verbose -d 'More detail on stderr: -v what s3cp does, -vv each request, -vvv the SDK\'s own logs. RUST_LOG overrides'
complete -c s3cp -l dry-run -l dryrun -d 'Print the plan (method, parts, directives, ACL, encryption) and send no write request'
complete -c s3cp -s h -l help -d 'Print help (see more with \'--help\')'
complete -c s3cp -s V -l version -d 'Print version'
