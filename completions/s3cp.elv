
use builtin;
use str;

set edit:completion:arg-completer[s3cp] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 's3cp'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'s3cp'= {
            cand --include 'With --recursive: take back keys (relative to SRC) matching this glob that an earlier --exclude left out. Everything is included until an --exclude matches, so an --include alone changes nothing: for only the .txt keys, give --exclude ''*'' --include ''*.txt''. Repeatable; the last matching filter wins, as in aws-cli'
            cand --exclude 'With --recursive: skip keys (relative to SRC) matching this glob, unless a later --include matches too. Repeatable'
            cand --from-file 'Copy what a manifest lists, one ''SRC DST'' per line (''-'': stdin)'
            cand --jobs 'Objects copied at once in a bulk run (all their requests share --concurrency) [default: twice the requests in flight]'
            cand --shard 'Copy only shard I of N (1-based): a stable hash of each source key picks its shard, so N runners that each take one shard copy every object exactly once'
            cand --region 'AWS region of the destination bucket (and of the source''s)'
            cand --source-region 'AWS region of the source bucket, when it is not --region''s (as in aws-cli): the source''s HEAD, tags, ACL, listing and reads go there'
            cand --profile 'Named profile of ~/.aws/config and ~/.aws/credentials'
            cand --source-profile 'Profile of the source, when another identity or store reads it (a bucket of another account, another store): its credentials, region and endpoint_url. The destination keeps --profile'
            cand --endpoint-url 'Send requests to this endpoint instead of AWS (an S3-compatible store)'
            cand --source-endpoint-url 'The source''s endpoint, when it lives in another store than the destination (MinIO, Garage, another provider): the copy is then streamed through this machine (--copy-mode). The destination keeps --endpoint-url'
            cand --max-attempts 'Attempts per request, the first included: no request is sent more than N times (the SDK''s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile''s max_attempts, else 5]'
            cand --retry-mode 'The SDK''s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile''s retry_mode, else standard]'
            cand --multipart-threshold 'Objects larger than this are copied in parts; up to it, one atomic CopyObject (streamed: one PutObject, at most the part size). At most 5GiB. Sizes: 8MiB, 5GiB, 1.5GB, plain bytes [default: 5GiB; streamed: the part size]'
            cand --part-size 'Part size of a multipart copy, from 5MiB to 5GiB; grown automatically so that no copy needs more than 10,000 parts. `source`: copy a multipart source with its own part boundaries, whatever the threshold, so that the destination''s ETag equals the source''s (a single-part source is copied by one CopyObject, which keeps it too) [default: 256MiB; streamed: 16MiB]'
            cand --copy-mode 'auto: copy server-side when both ends are the same store (the same endpoint, or both AWS), else stream the bytes through this machine. server: never stream (refused between two stores). stream: always stream (GetObject, then PutObject or UploadPart), as between accounts whose destination cannot read the source'
            cand --concurrency 'Requests in flight at once, shared by all objects and parts, fixed at N [default: adaptive: from 32, growing while throughput grows, up to 512, backing off when S3 answers SlowDown]'
            cand --metadata-directive 'COPY keeps the source''s metadata and headers, REPLACE uses only those given, MERGE keeps the source''s and overrides those given. Without it, --metadata, any Content-* flag or --expires means REPLACE (as in aws-cli), which drops the source''s Content-Type, other headers and metadata: give MERGE to keep them'
            cand --metadata 'User metadata (x-amz-meta-*), as KEY=VALUE[,KEY=VALUE]; repeatable. Without --metadata-directive this means REPLACE, which drops the source''s metadata and headers, Content-Type too: add --metadata-directive MERGE to keep them'
            cand --content-type 'Content-Type of the destination. Without --metadata-directive this means REPLACE, which drops the source''s other headers and metadata: add --metadata-directive MERGE to keep them'
            cand --cache-control 'Cache-Control of the destination. Without --metadata-directive this means REPLACE, which drops the source''s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them'
            cand --content-disposition 'Content-Disposition of the destination. Without --metadata-directive this means REPLACE, which drops the source''s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them'
            cand --content-encoding 'Content-Encoding of the destination. Without --metadata-directive this means REPLACE, which drops the source''s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them'
            cand --content-language 'Content-Language of the destination. Without --metadata-directive this means REPLACE, which drops the source''s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them'
            cand --expires 'Expires of the destination: RFC 3339 (2030-01-01T00:00:00Z) or an HTTP date. Without --metadata-directive this means REPLACE, which drops the source''s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them'
            cand --tagging-directive 'COPY keeps the source''s tags; REPLACE uses only --tagging'
            cand --tagging 'Tags as a URL query: ''k=v&k2=v2''. Without a directive, means REPLACE'
            cand --acl 'A canned ACL for the destination'
            cand --grant-read 'Grantees with READ, as ''id=..., uri=..., emailAddress=...'''
            cand --grant-read-acp 'Grantees with READ_ACP'
            cand --grant-write-acp 'Grantees with WRITE_ACP'
            cand --grant-full-control 'Grantees with FULL_CONTROL'
            cand --sse 'Server-side encryption of the destination'
            cand --sse-kms-key-id 'KMS key (id, ARN or alias) for --sse aws:kms or aws:kms:dsse'
            cand --sse-kms-encryption-context 'KMS encryption context: base64 of a JSON object'
            cand --sse-c 'Encrypt the destination with a customer-provided key (SSE-C)'
            cand --sse-c-key 'The destination''s SSE-C key: 32 raw bytes, as in aws-cli. Prefer --sse-c-key-file or S3CP_SSE_C_KEY (base64) to keep it out of shell history'
            cand --sse-c-key-file 'File holding the destination''s SSE-C key (32 raw bytes, or base64)'
            cand --sse-c-copy-source 'The source is encrypted with a customer-provided key (SSE-C)'
            cand --sse-c-copy-source-key 'The source''s SSE-C key: 32 raw bytes. Prefer --sse-c-copy-source-key-file or S3CP_SSE_C_COPY_SOURCE_KEY (base64)'
            cand --sse-c-copy-source-key-file 'File holding the source''s SSE-C key (32 raw bytes, or base64)'
            cand --storage-class 'Storage class of the destination [S3''s default: STANDARD]'
            cand --object-lock-mode 'Object Lock mode; needs --object-lock-retain-until-date'
            cand --object-lock-retain-until-date 'Object Lock retention date (RFC 3339 or HTTP date); needs --object-lock-mode'
            cand --object-lock-legal-hold 'Object Lock legal hold'
            cand --website-redirect 'Website redirect location of the destination'
            cand --checksum-algorithm 'Have S3 compute this checksum for the destination. By default a copy keeps the source''s (a multipart copy too, when it is a full-object CRC); a CRC named here is full-object on both paths'
            cand --if-none-match 'Only ''*'': the same as --no-overwrite (If-None-Match: * on CopyObject and CompleteMultipartUpload), as in aws-cli. A condition on the source''s ETag is --copy-source-if-none-match'
            cand --if-match 'Overwrite the destination only if its ETag is this (If-Match on CopyObject and CompleteMultipartUpload), as in aws-cli: a destination that is missing or changed fails the copy. A condition on the source''s ETag is --copy-source-if-match'
            cand --request-payer 'Agree to pay for requests on a Requester Pays bucket'
            cand --expected-bucket-owner 'Fail unless the destination bucket belongs to this account id'
            cand --expected-source-bucket-owner 'Fail unless the source bucket belongs to this account id'
            cand --copy-source-if-match 'Copy only if the source''s ETag is this'
            cand --copy-source-if-none-match 'Copy only if the source''s ETag is not this'
            cand --copy-source-if-modified-since 'Copy only if the source changed after this date (RFC 3339 or HTTP date)'
            cand --copy-source-if-unmodified-since 'Copy only if the source did not change after this date'
            cand --if-modified-since 'The old name of --copy-source-if-modified-since: refused with the new name, so a script written for it does not copy unconditionally'
            cand --if-unmodified-since 'The old name of --copy-source-if-unmodified-since (refused)'
            cand --progress 'Progress on stderr: a bar (on a terminal), a line every --progress-interval (for logs), or none. Default: bar on a terminal, lines otherwise'
            cand --progress-interval 'How often --progress lines prints a line: 30s, 1m, 500ms; a bare number is seconds. A run shorter than this prints none'
            cand -r 'Copy every object under the SRC prefix to the DST prefix'
            cand --recursive 'Copy every object under the SRC prefix to the DST prefix'
            cand --fail-fast 'Stop at the first failed object (by default the others go on)'
            cand --require-objects 'Exit 1 when the run selects no object (a prefix with nothing under it, filters or a shard that leave nothing, an empty manifest): a CI job that copied nothing fails instead of passing'
            cand --path-style 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need'
            cand --keep-partial 'On Ctrl-C or a failure, keep the multipart upload (and its journal in the state directory) so that the next run of the same command can finish it, instead of aborting it. (A run that continues an upload keeps it anyway.)'
            cand --resume 'Insist on finishing an interrupted multipart copy of SRC to DST: exit 2 when there is none to finish (a plain rerun finishes it too, and copies afresh what it cannot finish). With -r or --from-file: exit 2 when no copy of the run was interrupted. A source that changed since is refused'
            cand --no-resume 'Copy afresh even where an interrupted copy could be finished: abort the upload its journal names (s3cp''s own) first'
            cand --copy-acl 'Read the source''s ACL and give the destination the same grants'
            cand --bucket-key-enabled 'Use an S3 Bucket Key for SSE-KMS'
            cand --verify 'Require every copy to end proved identical to its source. What the source''s checksum or ETag cannot prove is proved by reading the source (its bytes pass through this machine once) and comparing its CRC64NVME with the one S3 computed for the destination'
            cand --no-overwrite 'Refuse to overwrite an existing destination: sends If-None-Match: * (atomic, no HEAD-then-copy race). AWS S3 honours it; moto and some S3-compatible stores ignore it on CopyObject and overwrite'
            cand --skip-existing 'Skip an object whose destination already exists, whatever it holds: with --recursive the destination listing decides (no request per object); a single copy or --from-file sends one HEAD of the destination first, and nothing else when it exists. For reruns'
            cand --skip-same 'Skip an object whose destination is the same as the source: the same size and ETag, or, where the ETags cannot tell (a multipart copy, SSE-KMS), the same full-object checksum (a HEAD of both). Anything else is copied over; -v says why. With --recursive the destination listing is walked beside the source''s'
            cand --json 'Print results as JSON Lines on stdout'
            cand -q 'Print nothing but errors; no progress bar'
            cand --quiet 'Print nothing but errors; no progress bar'
            cand --only-show-errors 'Print failures and the bulk summary only (aws-cli''s name): no line per copied object, no progress'
            cand -v 'More detail on stderr: -v, -vv, -vvv'
            cand --verbose 'More detail on stderr: -v, -vv, -vvv'
            cand --dry-run 'Print the plan and send no write request'
            cand --dryrun 'Print the plan and send no write request'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand uploads 'Show or clean up incomplete multipart uploads'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'s3cp;uploads'= {
            cand --region 'AWS region of the destination bucket (and of the source''s)'
            cand --profile 'Named profile of ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send requests to this endpoint instead of AWS (an S3-compatible store)'
            cand --max-attempts 'Attempts per request, the first included: no request is sent more than N times (the SDK''s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile''s max_attempts, else 5]'
            cand --retry-mode 'The SDK''s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile''s retry_mode, else standard]'
            cand --path-style 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need'
            cand --json 'Print results as JSON Lines on stdout'
            cand -q 'Print nothing but errors; no progress bar'
            cand --quiet 'Print nothing but errors; no progress bar'
            cand -v 'More detail on stderr: -v, -vv, -vvv'
            cand --verbose 'More detail on stderr: -v, -vv, -vvv'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List the incomplete multipart uploads under s3://BUCKET[/PREFIX]'
            cand abort 'Abort incomplete multipart uploads: one (--upload-id), or those under s3://BUCKET[/PREFIX] (--all, or --older-than). Without one of these, nothing is aborted: the uploads that would be are listed and s3cp exits 2'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'s3cp;uploads;list'= {
            cand --older-than 'Only uploads started longer ago than this: 30m, 12h, 7d'
            cand --region 'AWS region of the destination bucket (and of the source''s)'
            cand --profile 'Named profile of ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send requests to this endpoint instead of AWS (an S3-compatible store)'
            cand --max-attempts 'Attempts per request, the first included: no request is sent more than N times (the SDK''s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile''s max_attempts, else 5]'
            cand --retry-mode 'The SDK''s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile''s retry_mode, else standard]'
            cand --path-style 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need'
            cand --json 'Print results as JSON Lines on stdout'
            cand -q 'Print nothing but errors; no progress bar'
            cand --quiet 'Print nothing but errors; no progress bar'
            cand -v 'More detail on stderr: -v, -vv, -vvv'
            cand --verbose 'More detail on stderr: -v, -vv, -vvv'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'s3cp;uploads;abort'= {
            cand --older-than 'Only uploads started longer ago than this: 30m, 12h, 7d'
            cand --upload-id 'Abort only this upload, of exactly the key given (not a prefix), as s3cp''s messages name it'
            cand --region 'AWS region of the destination bucket (and of the source''s)'
            cand --profile 'Named profile of ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send requests to this endpoint instead of AWS (an S3-compatible store)'
            cand --max-attempts 'Attempts per request, the first included: no request is sent more than N times (the SDK''s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile''s max_attempts, else 5]'
            cand --retry-mode 'The SDK''s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile''s retry_mode, else standard]'
            cand --all 'Abort every upload under the prefix (another writer''s live uploads too)'
            cand --dry-run 'List the uploads that would be aborted, and abort none'
            cand --dryrun 'List the uploads that would be aborted, and abort none'
            cand --path-style 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need'
            cand --json 'Print results as JSON Lines on stdout'
            cand -q 'Print nothing but errors; no progress bar'
            cand --quiet 'Print nothing but errors; no progress bar'
            cand -v 'More detail on stderr: -v, -vv, -vvv'
            cand --verbose 'More detail on stderr: -v, -vv, -vvv'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'s3cp;uploads;help'= {
            cand list 'List the incomplete multipart uploads under s3://BUCKET[/PREFIX]'
            cand abort 'Abort incomplete multipart uploads: one (--upload-id), or those under s3://BUCKET[/PREFIX] (--all, or --older-than). Without one of these, nothing is aborted: the uploads that would be are listed and s3cp exits 2'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'s3cp;uploads;help;list'= {
        }
        &'s3cp;uploads;help;abort'= {
        }
        &'s3cp;uploads;help;help'= {
        }
        &'s3cp;help'= {
            cand uploads 'Show or clean up incomplete multipart uploads'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'s3cp;help;uploads'= {
            cand list 'List the incomplete multipart uploads under s3://BUCKET[/PREFIX]'
            cand abort 'Abort incomplete multipart uploads: one (--upload-id), or those under s3://BUCKET[/PREFIX] (--all, or --older-than). Without one of these, nothing is aborted: the uploads that would be are listed and s3cp exits 2'
        }
        &'s3cp;help;uploads;list'= {
        }
        &'s3cp;help;uploads;abort'= {
        }
        &'s3cp;help;help'= {
        }
    ]
    $completions[$command]
}
