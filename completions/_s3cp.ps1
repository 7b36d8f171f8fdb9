
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 's3cp' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        's3cp'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        's3cp' {
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'With --recursive: take back keys (relative to SRC) matching this glob that an earlier --exclude left out. Everything is included until an --exclude matches, so an --include alone changes nothing: for only the .txt keys, give --exclude ''*'' --include ''*.txt''. Repeatable; the last matching filter wins, as in aws-cli')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'With --recursive: skip keys (relative to SRC) matching this glob, unless a later --include matches too. Repeatable')
            [CompletionResult]::new('--from-file', '--from-file', [CompletionResultType]::ParameterName, 'Copy what a manifest lists, one ''SRC DST'' per line (''-'': stdin)')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Objects copied at once in a bulk run (all their requests share --concurrency) [default: a quarter more than the requests in flight]')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Copy only shard I of N (1-based): a stable hash of each source key picks its shard, so N runners that each take one shard copy every object exactly once')
            [CompletionResult]::new('--source-region', '--source-region', [CompletionResultType]::ParameterName, 'AWS region of the source bucket, when it is not --region''s (as in aws-cli): the source''s HEAD, tags, ACL, listing and reads go there')
            [CompletionResult]::new('--source-profile', '--source-profile', [CompletionResultType]::ParameterName, 'Profile of the source, when another identity or store reads it (a bucket of another account, another store): its credentials, region and endpoint_url. The destination keeps --profile')
            [CompletionResult]::new('--source-endpoint-url', '--source-endpoint-url', [CompletionResultType]::ParameterName, 'The source''s endpoint, when it lives in another store than the destination (MinIO, Garage, another provider): the copy is then streamed through this machine (--copy-mode). The destination keeps --endpoint-url')
            [CompletionResult]::new('--multipart-threshold', '--multipart-threshold', [CompletionResultType]::ParameterName, 'Objects larger than this are copied in parts; up to it, one atomic CopyObject (streamed: one PutObject, at most the part size). At most 5GiB. Sizes: 8MiB, 5GiB, 1.5GB, plain bytes [default: 5GiB; streamed: the part size]')
            [CompletionResult]::new('--part-size', '--part-size', [CompletionResultType]::ParameterName, 'Part size of a multipart copy, from 5MiB to 5GiB; grown automatically so that no copy needs more than 10,000 parts. `source`: copy a multipart source with its own part boundaries, whatever the threshold, so that the destination''s ETag equals the source''s (a single-part source is copied by one CopyObject, which keeps it too) [default: 256MiB; streamed: 16MiB]')
            [CompletionResult]::new('--copy-mode', '--copy-mode', [CompletionResultType]::ParameterName, 'auto: copy server-side when both ends are the same store (the same endpoint, or both AWS), else stream the bytes through this machine. server: never stream (refused between two stores). stream: always stream (GetObject, then PutObject or UploadPart), as between accounts whose destination cannot read the source')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at once, shared by all objects and parts, fixed at N [default: adaptive: from 32, growing while throughput grows, up to 512, backing off when S3 answers SlowDown]')
            [CompletionResult]::new('--metadata-directive', '--metadata-directive', [CompletionResultType]::ParameterName, 'COPY keeps the source''s metadata and headers, REPLACE uses only those given, MERGE keeps the source''s and overrides those given. Without it, --metadata, any Content-* flag or --expires means REPLACE (as in aws-cli), which drops the source''s Content-Type, other headers and metadata: give MERGE to keep them')
            [CompletionResult]::new('--metadata', '--metadata', [CompletionResultType]::ParameterName, 'User metadata (x-amz-meta-*), as KEY=VALUE[,KEY=VALUE]; repeatable. Without --metadata-directive this means REPLACE, which drops the source''s metadata and headers, Content-Type too: add --metadata-directive MERGE to keep them')
            [CompletionResult]::new('--content-type', '--content-type', [CompletionResultType]::ParameterName, 'Content-Type of the destination. Without --metadata-directive this means REPLACE, which drops the source''s other headers and metadata: add --metadata-directive MERGE to keep them')
            [CompletionResult]::new('--cache-control', '--cache-control', [CompletionResultType]::ParameterName, 'Cache-Control of the destination. Without --metadata-directive this means REPLACE, which drops the source''s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them')
            [CompletionResult]::new('--content-disposition', '--content-disposition', [CompletionResultType]::ParameterName, 'Content-Disposition of the destination. Without --metadata-directive this means REPLACE, which drops the source''s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them')
            [CompletionResult]::new('--content-encoding', '--content-encoding', [CompletionResultType]::ParameterName, 'Content-Encoding of the destination. Without --metadata-directive this means REPLACE, which drops the source''s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them')
            [CompletionResult]::new('--content-language', '--content-language', [CompletionResultType]::ParameterName, 'Content-Language of the destination. Without --metadata-directive this means REPLACE, which drops the source''s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them')
            [CompletionResult]::new('--expires', '--expires', [CompletionResultType]::ParameterName, 'Expires of the destination: RFC 3339 (2030-01-01T00:00:00Z) or an HTTP date. Without --metadata-directive this means REPLACE, which drops the source''s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them')
            [CompletionResult]::new('--tagging-directive', '--tagging-directive', [CompletionResultType]::ParameterName, 'COPY keeps the source''s tags; REPLACE uses only --tagging')
            [CompletionResult]::new('--tagging', '--tagging', [CompletionResultType]::ParameterName, 'Tags as a URL query: ''k=v&k2=v2''. Without a directive, means REPLACE')
            [CompletionResult]::new('--annotation-directive', '--annotation-directive', [CompletionResultType]::ParameterName, 'COPY gives the destination the source''s object annotations (S3''s default; a multipart or streamed copy reads and writes each one); EXCLUDE copies none')
            [CompletionResult]::new('--acl', '--acl', [CompletionResultType]::ParameterName, 'A canned ACL for the destination')
            [CompletionResult]::new('--grant-read', '--grant-read', [CompletionResultType]::ParameterName, 'Grantees with READ, as ''id=..., uri=..., emailAddress=...''')
            [CompletionResult]::new('--grant-read-acp', '--grant-read-acp', [CompletionResultType]::ParameterName, 'Grantees with READ_ACP')
            [CompletionResult]::new('--grant-write-acp', '--grant-write-acp', [CompletionResultType]::ParameterName, 'Grantees with WRITE_ACP')
            [CompletionResult]::new('--grant-full-control', '--grant-full-control', [CompletionResultType]::ParameterName, 'Grantees with FULL_CONTROL')
            [CompletionResult]::new('--sse', '--sse', [CompletionResultType]::ParameterName, 'Server-side encryption of the destination')
            [CompletionResult]::new('--sse-kms-key-id', '--sse-kms-key-id', [CompletionResultType]::ParameterName, 'KMS key (id, ARN or alias) for --sse aws:kms or aws:kms:dsse')
            [CompletionResult]::new('--sse-kms-encryption-context', '--sse-kms-encryption-context', [CompletionResultType]::ParameterName, 'KMS encryption context: base64 of a JSON object')
            [CompletionResult]::new('--sse-c', '--sse-c', [CompletionResultType]::ParameterName, 'Encrypt the destination with a customer-provided key (SSE-C)')
            [CompletionResult]::new('--sse-c-key', '--sse-c-key', [CompletionResultType]::ParameterName, 'The destination''s SSE-C key: 32 raw bytes, as in aws-cli. Prefer --sse-c-key-file or S3CP_SSE_C_KEY (base64) to keep it out of shell history')
            [CompletionResult]::new('--sse-c-key-file', '--sse-c-key-file', [CompletionResultType]::ParameterName, 'File holding the destination''s SSE-C key (32 raw bytes, or base64)')
            [CompletionResult]::new('--sse-c-copy-source', '--sse-c-copy-source', [CompletionResultType]::ParameterName, 'The source is encrypted with a customer-provided key (SSE-C)')
            [CompletionResult]::new('--sse-c-copy-source-key', '--sse-c-copy-source-key', [CompletionResultType]::ParameterName, 'The source''s SSE-C key: 32 raw bytes. Prefer --sse-c-copy-source-key-file or S3CP_SSE_C_COPY_SOURCE_KEY (base64)')
            [CompletionResult]::new('--sse-c-copy-source-key-file', '--sse-c-copy-source-key-file', [CompletionResultType]::ParameterName, 'File holding the source''s SSE-C key (32 raw bytes, or base64)')
            [CompletionResult]::new('--storage-class', '--storage-class', [CompletionResultType]::ParameterName, 'Storage class of the destination [S3''s default: STANDARD]')
            [CompletionResult]::new('--object-lock-mode', '--object-lock-mode', [CompletionResultType]::ParameterName, 'Object Lock mode; needs --object-lock-retain-until-date')
            [CompletionResult]::new('--object-lock-retain-until-date', '--object-lock-retain-until-date', [CompletionResultType]::ParameterName, 'Object Lock retention date (RFC 3339 or HTTP date); needs --object-lock-mode')
            [CompletionResult]::new('--object-lock-legal-hold', '--object-lock-legal-hold', [CompletionResultType]::ParameterName, 'Object Lock legal hold')
            [CompletionResult]::new('--website-redirect', '--website-redirect', [CompletionResultType]::ParameterName, 'Website redirect location of the destination')
            [CompletionResult]::new('--checksum-algorithm', '--checksum-algorithm', [CompletionResultType]::ParameterName, 'Have S3 compute this checksum for the destination. By default a copy keeps the source''s (a multipart copy too: a full-object CRC as it is, any other algorithm as COMPOSITE); a CRC named here is full-object on both paths')
            [CompletionResult]::new('--if-none-match', '--if-none-match', [CompletionResultType]::ParameterName, 'Only ''*'': the same as --no-overwrite (If-None-Match: * on CopyObject and CompleteMultipartUpload), as in aws-cli. A condition on the source''s ETag is --copy-source-if-none-match')
            [CompletionResult]::new('--if-match', '--if-match', [CompletionResultType]::ParameterName, 'Overwrite the destination only if its ETag is this (If-Match on CopyObject and CompleteMultipartUpload), as in aws-cli: a destination that is missing or changed fails the copy. A condition on the source''s ETag is --copy-source-if-match')
            [CompletionResult]::new('--request-payer', '--request-payer', [CompletionResultType]::ParameterName, 'Agree to pay for requests on a Requester Pays bucket')
            [CompletionResult]::new('--expected-bucket-owner', '--expected-bucket-owner', [CompletionResultType]::ParameterName, 'Fail unless the destination bucket belongs to this account id')
            [CompletionResult]::new('--expected-source-bucket-owner', '--expected-source-bucket-owner', [CompletionResultType]::ParameterName, 'Fail unless the source bucket belongs to this account id')
            [CompletionResult]::new('--copy-source-if-match', '--copy-source-if-match', [CompletionResultType]::ParameterName, 'Copy only if the source''s ETag is this')
            [CompletionResult]::new('--copy-source-if-none-match', '--copy-source-if-none-match', [CompletionResultType]::ParameterName, 'Copy only if the source''s ETag is not this')
            [CompletionResult]::new('--copy-source-if-modified-since', '--copy-source-if-modified-since', [CompletionResultType]::ParameterName, 'Copy only if the source changed after this date (RFC 3339 or HTTP date)')
            [CompletionResult]::new('--copy-source-if-unmodified-since', '--copy-source-if-unmodified-since', [CompletionResultType]::ParameterName, 'Copy only if the source did not change after this date')
            [CompletionResult]::new('--if-modified-since', '--if-modified-since', [CompletionResultType]::ParameterName, 'The old name of --copy-source-if-modified-since: refused with the new name, so a script written for it does not copy unconditionally')
            [CompletionResult]::new('--if-unmodified-since', '--if-unmodified-since', [CompletionResultType]::ParameterName, 'The old name of --copy-source-if-unmodified-since (refused)')
            [CompletionResult]::new('--batch-role', '--batch-role', [CompletionResultType]::ParameterName, 'The IAM role the job runs as (arn:aws:iam::ACCOUNT:role/NAME): it must trust batchoperations.s3.amazonaws.com and may read the sources and the manifest and write the copies and the report')
            [CompletionResult]::new('--batch-reports', '--batch-reports', [CompletionResultType]::ParameterName, 'Where the job''s manifest and completion report go: s3://BUCKET/PREFIX/, outside both SRC and DST')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress on stderr: a bar (on a terminal), a line every --progress-interval (for logs), or none. Default: bar on a terminal, lines otherwise')
            [CompletionResult]::new('--progress-interval', '--progress-interval', [CompletionResultType]::ParameterName, 'How often --progress lines prints a line: 30s, 1m, 500ms; a bare number is seconds. A run shorter than this prints none')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the destination bucket (and of the source''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile of ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send requests to this endpoint instead of AWS (an S3-compatible store)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request, the first included: no request is sent more than N times (the SDK''s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile''s max_attempts, else 5]')
            [CompletionResult]::new('--retry-mode', '--retry-mode', [CompletionResultType]::ParameterName, 'The SDK''s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile''s retry_mode, else standard]')
            [CompletionResult]::new('--account-id', '--account-id', [CompletionResultType]::ParameterName, 'The AWS account that owns S3 Batch Operations jobs (--batch, s3cp batch) [default: the credentials'' account, from STS]')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Copy every object under the SRC prefix to the DST prefix')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'Copy every object under the SRC prefix to the DST prefix')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'Stop at the first failed object (by default the others go on)')
            [CompletionResult]::new('--require-objects', '--require-objects', [CompletionResultType]::ParameterName, 'Exit 1 when the run selects no object (a prefix with nothing under it, filters or a shard that leave nothing, an empty manifest): a CI job that copied nothing fails instead of passing')
            [CompletionResult]::new('--keep-partial', '--keep-partial', [CompletionResultType]::ParameterName, 'On Ctrl-C or a failure, keep the multipart upload (and its journal in the state directory) so that the next run of the same command can finish it, instead of aborting it. (A run that continues an upload keeps it anyway.)')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Insist on finishing an interrupted multipart copy of SRC to DST: exit 2 when there is none to finish (a plain rerun finishes it too, and copies afresh what it cannot finish). With -r or --from-file: exit 2 when no copy of the run was interrupted. A source that changed since is refused')
            [CompletionResult]::new('--no-resume', '--no-resume', [CompletionResultType]::ParameterName, 'Copy afresh even where an interrupted copy could be finished: abort the upload its journal names (s3cp''s own) first')
            [CompletionResult]::new('--copy-acl', '--copy-acl', [CompletionResultType]::ParameterName, 'Read the source''s ACL and give the destination the same grants')
            [CompletionResult]::new('--bucket-key-enabled', '--bucket-key-enabled', [CompletionResultType]::ParameterName, 'Use an S3 Bucket Key for SSE-KMS')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Require every copy to end proved identical to its source. What the source''s checksum or ETag cannot prove is proved by reading the source (its bytes pass through this machine once) and comparing its CRC64NVME with the one S3 computed for the destination')
            [CompletionResult]::new('--no-overwrite', '--no-overwrite', [CompletionResultType]::ParameterName, 'Refuse to overwrite an existing destination: sends If-None-Match: * (atomic, no HEAD-then-copy race). AWS S3 honours it; moto and some S3-compatible stores ignore it on CopyObject and overwrite')
            [CompletionResult]::new('--skip-existing', '--skip-existing', [CompletionResultType]::ParameterName, 'Skip an object whose destination already exists, whatever it holds: with --recursive the destination listing decides (no request per object); a single copy or --from-file sends one HEAD of the destination first, and nothing else when it exists. For reruns')
            [CompletionResult]::new('--skip-same', '--skip-same', [CompletionResultType]::ParameterName, 'Skip an object whose destination is the same as the source: the same size and ETag, or, where the ETags cannot tell (a multipart copy, SSE-KMS), the same full-object checksum (a HEAD of both). Anything else is copied over; -v says why. With --recursive the destination listing is walked beside the source''s')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Hand the copy to an S3 Batch Operations job (with --recursive or --from-file): s3cp lists and filters, uploads the job''s manifest under --batch-reports, creates one job in the destination''s region and watches it to its end. Objects above --multipart-threshold (at most 5 GiB, a job''s limit) are copied by s3cp itself, meanwhile')
            [CompletionResult]::new('--batch-confirm', '--batch-confirm', [CompletionResultType]::ParameterName, 'Create the job awaiting confirmation instead of running it at once: s3cp prints how to confirm it, and how to watch it (s3cp batch wait JOB_ID), and exits without waiting')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Print the job''s id once it is created and exit 0, without watching it (s3cp batch wait JOB_ID watches it later)')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Print failures and the bulk summary only (aws-cli''s name): no line per copied object, no progress')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and send no write request')
            [CompletionResult]::new('--dryrun', '--dryrun', [CompletionResultType]::ParameterName, 'Print the plan and send no write request')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON Lines on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors; no progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors; no progress bar')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v, -vv, -vvv')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v, -vv, -vvv')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('mv', 'mv', [CompletionResultType]::ParameterValue, 'Move: copy, then delete each source once its copy is proved')
            [CompletionResult]::new('uploads', 'uploads', [CompletionResultType]::ParameterValue, 'Show or clean up incomplete multipart uploads')
            [CompletionResult]::new('batch', 'batch', [CompletionResultType]::ParameterValue, 'Watch, show or cancel an S3 Batch Operations job that s3cp --batch created')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        's3cp;mv' {
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'With --recursive: take back keys (relative to SRC) matching this glob that an earlier --exclude left out. Everything is included until an --exclude matches, so an --include alone changes nothing: for only the .txt keys, give --exclude ''*'' --include ''*.txt''. Repeatable; the last matching filter wins, as in aws-cli')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'With --recursive: skip keys (relative to SRC) matching this glob, unless a later --include matches too. Repeatable')
            [CompletionResult]::new('--from-file', '--from-file', [CompletionResultType]::ParameterName, 'Copy what a manifest lists, one ''SRC DST'' per line (''-'': stdin)')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Objects copied at once in a bulk run (all their requests share --concurrency) [default: a quarter more than the requests in flight]')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Copy only shard I of N (1-based): a stable hash of each source key picks its shard, so N runners that each take one shard copy every object exactly once')
            [CompletionResult]::new('--source-region', '--source-region', [CompletionResultType]::ParameterName, 'AWS region of the source bucket, when it is not --region''s (as in aws-cli): the source''s HEAD, tags, ACL, listing and reads go there')
            [CompletionResult]::new('--source-profile', '--source-profile', [CompletionResultType]::ParameterName, 'Profile of the source, when another identity or store reads it (a bucket of another account, another store): its credentials, region and endpoint_url. The destination keeps --profile')
            [CompletionResult]::new('--source-endpoint-url', '--source-endpoint-url', [CompletionResultType]::ParameterName, 'The source''s endpoint, when it lives in another store than the destination (MinIO, Garage, another provider): the copy is then streamed through this machine (--copy-mode). The destination keeps --endpoint-url')
            [CompletionResult]::new('--multipart-threshold', '--multipart-threshold', [CompletionResultType]::ParameterName, 'Objects larger than this are copied in parts; up to it, one atomic CopyObject (streamed: one PutObject, at most the part size). At most 5GiB. Sizes: 8MiB, 5GiB, 1.5GB, plain bytes [default: 5GiB; streamed: the part size]')
            [CompletionResult]::new('--part-size', '--part-size', [CompletionResultType]::ParameterName, 'Part size of a multipart copy, from 5MiB to 5GiB; grown automatically so that no copy needs more than 10,000 parts. `source`: copy a multipart source with its own part boundaries, whatever the threshold, so that the destination''s ETag equals the source''s (a single-part source is copied by one CopyObject, which keeps it too) [default: 256MiB; streamed: 16MiB]')
            [CompletionResult]::new('--copy-mode', '--copy-mode', [CompletionResultType]::ParameterName, 'auto: copy server-side when both ends are the same store (the same endpoint, or both AWS), else stream the bytes through this machine. server: never stream (refused between two stores). stream: always stream (GetObject, then PutObject or UploadPart), as between accounts whose destination cannot read the source')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at once, shared by all objects and parts, fixed at N [default: adaptive: from 32, growing while throughput grows, up to 512, backing off when S3 answers SlowDown]')
            [CompletionResult]::new('--metadata-directive', '--metadata-directive', [CompletionResultType]::ParameterName, 'COPY keeps the source''s metadata and headers, REPLACE uses only those given, MERGE keeps the source''s and overrides those given. Without it, --metadata, any Content-* flag or --expires means REPLACE (as in aws-cli), which drops the source''s Content-Type, other headers and metadata: give MERGE to keep them')
            [CompletionResult]::new('--metadata', '--metadata', [CompletionResultType]::ParameterName, 'User metadata (x-amz-meta-*), as KEY=VALUE[,KEY=VALUE]; repeatable. Without --metadata-directive this means REPLACE, which drops the source''s metadata and headers, Content-Type too: add --metadata-directive MERGE to keep them')
            [CompletionResult]::new('--content-type', '--content-type', [CompletionResultType]::ParameterName, 'Content-Type of the destination. Without --metadata-directive this means REPLACE, which drops the source''s other headers and metadata: add --metadata-directive MERGE to keep them')
            [CompletionResult]::new('--cache-control', '--cache-control', [CompletionResultType]::ParameterName, 'Cache-Control of the destination. Without --metadata-directive this means REPLACE, which drops the source''s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them')
            [CompletionResult]::new('--content-disposition', '--content-disposition', [CompletionResultType]::ParameterName, 'Content-Disposition of the destination. Without --metadata-directive this means REPLACE, which drops the source''s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them')
            [CompletionResult]::new('--content-encoding', '--content-encoding', [CompletionResultType]::ParameterName, 'Content-Encoding of the destination. Without --metadata-directive this means REPLACE, which drops the source''s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them')
            [CompletionResult]::new('--content-language', '--content-language', [CompletionResultType]::ParameterName, 'Content-Language of the destination. Without --metadata-directive this means REPLACE, which drops the source''s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them')
            [CompletionResult]::new('--expires', '--expires', [CompletionResultType]::ParameterName, 'Expires of the destination: RFC 3339 (2030-01-01T00:00:00Z) or an HTTP date. Without --metadata-directive this means REPLACE, which drops the source''s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them')
            [CompletionResult]::new('--tagging-directive', '--tagging-directive', [CompletionResultType]::ParameterName, 'COPY keeps the source''s tags; REPLACE uses only --tagging')
            [CompletionResult]::new('--tagging', '--tagging', [CompletionResultType]::ParameterName, 'Tags as a URL query: ''k=v&k2=v2''. Without a directive, means REPLACE')
            [CompletionResult]::new('--annotation-directive', '--annotation-directive', [CompletionResultType]::ParameterName, 'COPY gives the destination the source''s object annotations (S3''s default; a multipart or streamed copy reads and writes each one); EXCLUDE copies none')
            [CompletionResult]::new('--acl', '--acl', [CompletionResultType]::ParameterName, 'A canned ACL for the destination')
            [CompletionResult]::new('--grant-read', '--grant-read', [CompletionResultType]::ParameterName, 'Grantees with READ, as ''id=..., uri=..., emailAddress=...''')
            [CompletionResult]::new('--grant-read-acp', '--grant-read-acp', [CompletionResultType]::ParameterName, 'Grantees with READ_ACP')
            [CompletionResult]::new('--grant-write-acp', '--grant-write-acp', [CompletionResultType]::ParameterName, 'Grantees with WRITE_ACP')
            [CompletionResult]::new('--grant-full-control', '--grant-full-control', [CompletionResultType]::ParameterName, 'Grantees with FULL_CONTROL')
            [CompletionResult]::new('--sse', '--sse', [CompletionResultType]::ParameterName, 'Server-side encryption of the destination')
            [CompletionResult]::new('--sse-kms-key-id', '--sse-kms-key-id', [CompletionResultType]::ParameterName, 'KMS key (id, ARN or alias) for --sse aws:kms or aws:kms:dsse')
            [CompletionResult]::new('--sse-kms-encryption-context', '--sse-kms-encryption-context', [CompletionResultType]::ParameterName, 'KMS encryption context: base64 of a JSON object')
            [CompletionResult]::new('--sse-c', '--sse-c', [CompletionResultType]::ParameterName, 'Encrypt the destination with a customer-provided key (SSE-C)')
            [CompletionResult]::new('--sse-c-key', '--sse-c-key', [CompletionResultType]::ParameterName, 'The destination''s SSE-C key: 32 raw bytes, as in aws-cli. Prefer --sse-c-key-file or S3CP_SSE_C_KEY (base64) to keep it out of shell history')
            [CompletionResult]::new('--sse-c-key-file', '--sse-c-key-file', [CompletionResultType]::ParameterName, 'File holding the destination''s SSE-C key (32 raw bytes, or base64)')
            [CompletionResult]::new('--sse-c-copy-source', '--sse-c-copy-source', [CompletionResultType]::ParameterName, 'The source is encrypted with a customer-provided key (SSE-C)')
            [CompletionResult]::new('--sse-c-copy-source-key', '--sse-c-copy-source-key', [CompletionResultType]::ParameterName, 'The source''s SSE-C key: 32 raw bytes. Prefer --sse-c-copy-source-key-file or S3CP_SSE_C_COPY_SOURCE_KEY (base64)')
            [CompletionResult]::new('--sse-c-copy-source-key-file', '--sse-c-copy-source-key-file', [CompletionResultType]::ParameterName, 'File holding the source''s SSE-C key (32 raw bytes, or base64)')
            [CompletionResult]::new('--storage-class', '--storage-class', [CompletionResultType]::ParameterName, 'Storage class of the destination [S3''s default: STANDARD]')
            [CompletionResult]::new('--object-lock-mode', '--object-lock-mode', [CompletionResultType]::ParameterName, 'Object Lock mode; needs --object-lock-retain-until-date')
            [CompletionResult]::new('--object-lock-retain-until-date', '--object-lock-retain-until-date', [CompletionResultType]::ParameterName, 'Object Lock retention date (RFC 3339 or HTTP date); needs --object-lock-mode')
            [CompletionResult]::new('--object-lock-legal-hold', '--object-lock-legal-hold', [CompletionResultType]::ParameterName, 'Object Lock legal hold')
            [CompletionResult]::new('--website-redirect', '--website-redirect', [CompletionResultType]::ParameterName, 'Website redirect location of the destination')
            [CompletionResult]::new('--checksum-algorithm', '--checksum-algorithm', [CompletionResultType]::ParameterName, 'Have S3 compute this checksum for the destination. By default a copy keeps the source''s (a multipart copy too: a full-object CRC as it is, any other algorithm as COMPOSITE); a CRC named here is full-object on both paths')
            [CompletionResult]::new('--if-none-match', '--if-none-match', [CompletionResultType]::ParameterName, 'Only ''*'': the same as --no-overwrite (If-None-Match: * on CopyObject and CompleteMultipartUpload), as in aws-cli. A condition on the source''s ETag is --copy-source-if-none-match')
            [CompletionResult]::new('--if-match', '--if-match', [CompletionResultType]::ParameterName, 'Overwrite the destination only if its ETag is this (If-Match on CopyObject and CompleteMultipartUpload), as in aws-cli: a destination that is missing or changed fails the copy. A condition on the source''s ETag is --copy-source-if-match')
            [CompletionResult]::new('--request-payer', '--request-payer', [CompletionResultType]::ParameterName, 'Agree to pay for requests on a Requester Pays bucket')
            [CompletionResult]::new('--expected-bucket-owner', '--expected-bucket-owner', [CompletionResultType]::ParameterName, 'Fail unless the destination bucket belongs to this account id')
            [CompletionResult]::new('--expected-source-bucket-owner', '--expected-source-bucket-owner', [CompletionResultType]::ParameterName, 'Fail unless the source bucket belongs to this account id')
            [CompletionResult]::new('--copy-source-if-match', '--copy-source-if-match', [CompletionResultType]::ParameterName, 'Copy only if the source''s ETag is this')
            [CompletionResult]::new('--copy-source-if-none-match', '--copy-source-if-none-match', [CompletionResultType]::ParameterName, 'Copy only if the source''s ETag is not this')
            [CompletionResult]::new('--copy-source-if-modified-since', '--copy-source-if-modified-since', [CompletionResultType]::ParameterName, 'Copy only if the source changed after this date (RFC 3339 or HTTP date)')
            [CompletionResult]::new('--copy-source-if-unmodified-since', '--copy-source-if-unmodified-since', [CompletionResultType]::ParameterName, 'Copy only if the source did not change after this date')
            [CompletionResult]::new('--if-modified-since', '--if-modified-since', [CompletionResultType]::ParameterName, 'The old name of --copy-source-if-modified-since: refused with the new name, so a script written for it does not copy unconditionally')
            [CompletionResult]::new('--if-unmodified-since', '--if-unmodified-since', [CompletionResultType]::ParameterName, 'The old name of --copy-source-if-unmodified-since (refused)')
            [CompletionResult]::new('--batch-role', '--batch-role', [CompletionResultType]::ParameterName, 'The IAM role the job runs as (arn:aws:iam::ACCOUNT:role/NAME): it must trust batchoperations.s3.amazonaws.com and may read the sources and the manifest and write the copies and the report')
            [CompletionResult]::new('--batch-reports', '--batch-reports', [CompletionResultType]::ParameterName, 'Where the job''s manifest and completion report go: s3://BUCKET/PREFIX/, outside both SRC and DST')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress on stderr: a bar (on a terminal), a line every --progress-interval (for logs), or none. Default: bar on a terminal, lines otherwise')
            [CompletionResult]::new('--progress-interval', '--progress-interval', [CompletionResultType]::ParameterName, 'How often --progress lines prints a line: 30s, 1m, 500ms; a bare number is seconds. A run shorter than this prints none')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the destination bucket (and of the source''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile of ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send requests to this endpoint instead of AWS (an S3-compatible store)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request, the first included: no request is sent more than N times (the SDK''s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile''s max_attempts, else 5]')
            [CompletionResult]::new('--retry-mode', '--retry-mode', [CompletionResultType]::ParameterName, 'The SDK''s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile''s retry_mode, else standard]')
            [CompletionResult]::new('--account-id', '--account-id', [CompletionResultType]::ParameterName, 'The AWS account that owns S3 Batch Operations jobs (--batch, s3cp batch) [default: the credentials'' account, from STS]')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Copy every object under the SRC prefix to the DST prefix')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'Copy every object under the SRC prefix to the DST prefix')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'Stop at the first failed object (by default the others go on)')
            [CompletionResult]::new('--require-objects', '--require-objects', [CompletionResultType]::ParameterName, 'Exit 1 when the run selects no object (a prefix with nothing under it, filters or a shard that leave nothing, an empty manifest): a CI job that copied nothing fails instead of passing')
            [CompletionResult]::new('--keep-partial', '--keep-partial', [CompletionResultType]::ParameterName, 'On Ctrl-C or a failure, keep the multipart upload (and its journal in the state directory) so that the next run of the same command can finish it, instead of aborting it. (A run that continues an upload keeps it anyway.)')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Insist on finishing an interrupted multipart copy of SRC to DST: exit 2 when there is none to finish (a plain rerun finishes it too, and copies afresh what it cannot finish). With -r or --from-file: exit 2 when no copy of the run was interrupted. A source that changed since is refused')
            [CompletionResult]::new('--no-resume', '--no-resume', [CompletionResultType]::ParameterName, 'Copy afresh even where an interrupted copy could be finished: abort the upload its journal names (s3cp''s own) first')
            [CompletionResult]::new('--copy-acl', '--copy-acl', [CompletionResultType]::ParameterName, 'Read the source''s ACL and give the destination the same grants')
            [CompletionResult]::new('--bucket-key-enabled', '--bucket-key-enabled', [CompletionResultType]::ParameterName, 'Use an S3 Bucket Key for SSE-KMS')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Require every copy to end proved identical to its source. What the source''s checksum or ETag cannot prove is proved by reading the source (its bytes pass through this machine once) and comparing its CRC64NVME with the one S3 computed for the destination')
            [CompletionResult]::new('--no-overwrite', '--no-overwrite', [CompletionResultType]::ParameterName, 'Refuse to overwrite an existing destination: sends If-None-Match: * (atomic, no HEAD-then-copy race). AWS S3 honours it; moto and some S3-compatible stores ignore it on CopyObject and overwrite')
            [CompletionResult]::new('--skip-existing', '--skip-existing', [CompletionResultType]::ParameterName, 'Skip an object whose destination already exists, whatever it holds: with --recursive the destination listing decides (no request per object); a single copy or --from-file sends one HEAD of the destination first, and nothing else when it exists. For reruns')
            [CompletionResult]::new('--skip-same', '--skip-same', [CompletionResultType]::ParameterName, 'Skip an object whose destination is the same as the source: the same size and ETag, or, where the ETags cannot tell (a multipart copy, SSE-KMS), the same full-object checksum (a HEAD of both). Anything else is copied over; -v says why. With --recursive the destination listing is walked beside the source''s')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Hand the copy to an S3 Batch Operations job (with --recursive or --from-file): s3cp lists and filters, uploads the job''s manifest under --batch-reports, creates one job in the destination''s region and watches it to its end. Objects above --multipart-threshold (at most 5 GiB, a job''s limit) are copied by s3cp itself, meanwhile')
            [CompletionResult]::new('--batch-confirm', '--batch-confirm', [CompletionResultType]::ParameterName, 'Create the job awaiting confirmation instead of running it at once: s3cp prints how to confirm it, and how to watch it (s3cp batch wait JOB_ID), and exits without waiting')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Print the job''s id once it is created and exit 0, without watching it (s3cp batch wait JOB_ID watches it later)')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Print failures and the bulk summary only (aws-cli''s name): no line per copied object, no progress')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and send no write request')
            [CompletionResult]::new('--dryrun', '--dryrun', [CompletionResultType]::ParameterName, 'Print the plan and send no write request')
            [CompletionResult]::new('--delete-version', '--delete-version', [CompletionResultType]::ParameterName, 'In a versioned source bucket, delete the copied version itself (by its version id, never another) instead of adding a delete marker')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON Lines on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors; no progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors; no progress bar')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v, -vv, -vvv')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v, -vv, -vvv')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        's3cp;uploads' {
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the destination bucket (and of the source''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile of ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send requests to this endpoint instead of AWS (an S3-compatible store)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request, the first included: no request is sent more than N times (the SDK''s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile''s max_attempts, else 5]')
            [CompletionResult]::new('--retry-mode', '--retry-mode', [CompletionResultType]::ParameterName, 'The SDK''s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile''s retry_mode, else standard]')
            [CompletionResult]::new('--account-id', '--account-id', [CompletionResultType]::ParameterName, 'The AWS account that owns S3 Batch Operations jobs (--batch, s3cp batch) [default: the credentials'' account, from STS]')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON Lines on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors; no progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors; no progress bar')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v, -vv, -vvv')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v, -vv, -vvv')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the incomplete multipart uploads under s3://BUCKET[/PREFIX]')
            [CompletionResult]::new('abort', 'abort', [CompletionResultType]::ParameterValue, 'Abort incomplete multipart uploads: one (--upload-id), or those under s3://BUCKET[/PREFIX] (--all, or --older-than). Without one of these, nothing is aborted: the uploads that would be are listed and s3cp exits 2')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        's3cp;uploads;list' {
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Only uploads started longer ago than this: 30m, 12h, 7d')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the destination bucket (and of the source''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile of ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send requests to this endpoint instead of AWS (an S3-compatible store)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request, the first included: no request is sent more than N times (the SDK''s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile''s max_attempts, else 5]')
            [CompletionResult]::new('--retry-mode', '--retry-mode', [CompletionResultType]::ParameterName, 'The SDK''s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile''s retry_mode, else standard]')
            [CompletionResult]::new('--account-id', '--account-id', [CompletionResultType]::ParameterName, 'The AWS account that owns S3 Batch Operations jobs (--batch, s3cp batch) [default: the credentials'' account, from STS]')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON Lines on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors; no progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors; no progress bar')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v, -vv, -vvv')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v, -vv, -vvv')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        's3cp;uploads;abort' {
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Only uploads started longer ago than this: 30m, 12h, 7d')
            [CompletionResult]::new('--upload-id', '--upload-id', [CompletionResultType]::ParameterName, 'Abort only this upload, of exactly the key given (not a prefix), as s3cp''s messages name it')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the destination bucket (and of the source''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile of ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send requests to this endpoint instead of AWS (an S3-compatible store)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request, the first included: no request is sent more than N times (the SDK''s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile''s max_attempts, else 5]')
            [CompletionResult]::new('--retry-mode', '--retry-mode', [CompletionResultType]::ParameterName, 'The SDK''s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile''s retry_mode, else standard]')
            [CompletionResult]::new('--account-id', '--account-id', [CompletionResultType]::ParameterName, 'The AWS account that owns S3 Batch Operations jobs (--batch, s3cp batch) [default: the credentials'' account, from STS]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Abort every upload under the prefix (another writer''s live uploads too)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'List the uploads that would be aborted, and abort none')
            [CompletionResult]::new('--dryrun', '--dryrun', [CompletionResultType]::ParameterName, 'List the uploads that would be aborted, and abort none')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON Lines on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors; no progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors; no progress bar')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v, -vv, -vvv')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v, -vv, -vvv')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        's3cp;uploads;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the incomplete multipart uploads under s3://BUCKET[/PREFIX]')
            [CompletionResult]::new('abort', 'abort', [CompletionResultType]::ParameterValue, 'Abort incomplete multipart uploads: one (--upload-id), or those under s3://BUCKET[/PREFIX] (--all, or --older-than). Without one of these, nothing is aborted: the uploads that would be are listed and s3cp exits 2')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        's3cp;uploads;help;list' {
            break
        }
        's3cp;uploads;help;abort' {
            break
        }
        's3cp;uploads;help;help' {
            break
        }
        's3cp;batch' {
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the destination bucket (and of the source''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile of ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send requests to this endpoint instead of AWS (an S3-compatible store)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request, the first included: no request is sent more than N times (the SDK''s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile''s max_attempts, else 5]')
            [CompletionResult]::new('--retry-mode', '--retry-mode', [CompletionResultType]::ParameterName, 'The SDK''s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile''s retry_mode, else standard]')
            [CompletionResult]::new('--account-id', '--account-id', [CompletionResultType]::ParameterName, 'The AWS account that owns S3 Batch Operations jobs (--batch, s3cp batch) [default: the credentials'' account, from STS]')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON Lines on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors; no progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors; no progress bar')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v, -vv, -vvv')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v, -vv, -vvv')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Print the job''s status and task counts')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Watch the job to its end, as s3cp --batch does: its progress, then one line per failed task and the summary (exit 1 if any failed)')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Ask S3 to cancel the job (the tasks already done stay done)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        's3cp;batch;status' {
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the destination bucket (and of the source''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile of ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send requests to this endpoint instead of AWS (an S3-compatible store)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request, the first included: no request is sent more than N times (the SDK''s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile''s max_attempts, else 5]')
            [CompletionResult]::new('--retry-mode', '--retry-mode', [CompletionResultType]::ParameterName, 'The SDK''s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile''s retry_mode, else standard]')
            [CompletionResult]::new('--account-id', '--account-id', [CompletionResultType]::ParameterName, 'The AWS account that owns S3 Batch Operations jobs (--batch, s3cp batch) [default: the credentials'' account, from STS]')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON Lines on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors; no progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors; no progress bar')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v, -vv, -vvv')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v, -vv, -vvv')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        's3cp;batch;wait' {
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the destination bucket (and of the source''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile of ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send requests to this endpoint instead of AWS (an S3-compatible store)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request, the first included: no request is sent more than N times (the SDK''s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile''s max_attempts, else 5]')
            [CompletionResult]::new('--retry-mode', '--retry-mode', [CompletionResultType]::ParameterName, 'The SDK''s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile''s retry_mode, else standard]')
            [CompletionResult]::new('--account-id', '--account-id', [CompletionResultType]::ParameterName, 'The AWS account that owns S3 Batch Operations jobs (--batch, s3cp batch) [default: the credentials'' account, from STS]')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON Lines on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors; no progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors; no progress bar')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v, -vv, -vvv')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v, -vv, -vvv')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        's3cp;batch;cancel' {
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the destination bucket (and of the source''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile of ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send requests to this endpoint instead of AWS (an S3-compatible store)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request, the first included: no request is sent more than N times (the SDK''s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile''s max_attempts, else 5]')
            [CompletionResult]::new('--retry-mode', '--retry-mode', [CompletionResultType]::ParameterName, 'The SDK''s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile''s retry_mode, else standard]')
            [CompletionResult]::new('--account-id', '--account-id', [CompletionResultType]::ParameterName, 'The AWS account that owns S3 Batch Operations jobs (--batch, s3cp batch) [default: the credentials'' account, from STS]')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON Lines on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors; no progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors; no progress bar')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v, -vv, -vvv')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v, -vv, -vvv')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        's3cp;batch;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Print the job''s status and task counts')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Watch the job to its end, as s3cp --batch does: its progress, then one line per failed task and the summary (exit 1 if any failed)')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Ask S3 to cancel the job (the tasks already done stay done)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        's3cp;batch;help;status' {
            break
        }
        's3cp;batch;help;wait' {
            break
        }
        's3cp;batch;help;cancel' {
            break
        }
        's3cp;batch;help;help' {
            break
        }
        's3cp;help' {
            [CompletionResult]::new('mv', 'mv', [CompletionResultType]::ParameterValue, 'Move: copy, then delete each source once its copy is proved')
            [CompletionResult]::new('uploads', 'uploads', [CompletionResultType]::ParameterValue, 'Show or clean up incomplete multipart uploads')
            [CompletionResult]::new('batch', 'batch', [CompletionResultType]::ParameterValue, 'Watch, show or cancel an S3 Batch Operations job that s3cp --batch created')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        's3cp;help;mv' {
            break
        }
        's3cp;help;uploads' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the incomplete multipart uploads under s3://BUCKET[/PREFIX]')
            [CompletionResult]::new('abort', 'abort', [CompletionResultType]::ParameterValue, 'Abort incomplete multipart uploads: one (--upload-id), or those under s3://BUCKET[/PREFIX] (--all, or --older-than). Without one of these, nothing is aborted: the uploads that would be are listed and s3cp exits 2')
            break
        }
        's3cp;help;uploads;list' {
            break
        }
        's3cp;help;uploads;abort' {
            break
        }
        's3cp;help;batch' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Print the job''s status and task counts')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Watch the job to its end, as s3cp --batch does: its progress, then one line per failed task and the summary (exit 1 if any failed)')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Ask S3 to cancel the job (the tasks already done stay done)')
            break
        }
        's3cp;help;batch;status' {
            break
        }
        's3cp;help;batch;wait' {
            break
        }
        's3cp;help;batch;cancel' {
            break
        }
        's3cp;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
