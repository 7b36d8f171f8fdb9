# The profile names of the AWS config files (for --profile).
function __s3cp_aws_profiles
    set -l config ~/.aws/config
    set -q AWS_CONFIG_FILE; and set config $AWS_CONFIG_FILE
    set -l credentials ~/.aws/credentials
    set -q AWS_SHARED_CREDENTIALS_FILE; and set credentials $AWS_SHARED_CREDENTIALS_FILE
    begin; command sed -n -e 's/^[[:space:]]*\[[[:space:]]*default[[:space:]]*\].*/default/p' -e 's/^[[:space:]]*\[[[:space:]]*profile[[:space:]][[:space:]]*\([^][:space:]][^][:space:]]*\)[[:space:]]*\].*/\1/p' $config 2>/dev/null; command sed -n -e 's/^[[:space:]]*\[[[:space:]]*\([^][:space:]][^][:space:]]*\)[[:space:]]*\].*/\1/p' $credentials 2>/dev/null; end | command sort -u
end

# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_s3cp_global_optspecs
    string join \n r/recursive include= exclude= from-file= jobs= shard= fail-fast require-objects source-region= source-profile= source-endpoint-url= multipart-threshold= part-size= copy-mode= concurrency= keep-partial resume no-resume metadata-directive= metadata= content-type= cache-control= content-disposition= content-encoding= content-language= expires= tagging-directive= tagging= annotation-directive= acl= grant-read= grant-read-acp= grant-write-acp= grant-full-control= copy-acl sse= sse-kms-key-id= sse-kms-encryption-context= bucket-key-enabled sse-c= sse-c-key= sse-c-key-file= sse-c-copy-source= sse-c-copy-source-key= sse-c-copy-source-key-file= storage-class= object-lock-mode= object-lock-retain-until-date= object-lock-legal-hold= website-redirect= checksum-algorithm= verify no-overwrite skip-existing skip-same if-none-match= if-match= request-payer= expected-bucket-owner= expected-source-bucket-owner= copy-source-if-match= copy-source-if-none-match= copy-source-if-modified-since= copy-source-if-unmodified-since= if-modified-since= if-unmodified-since= batch batch-role= batch-reports= batch-confirm no-wait only-show-errors progress= progress-interval= dry-run region= profile= endpoint-url= path-style max-attempts= retry-mode= account-id= json q/quiet v/verbose h/help V/version
end

function __fish_s3cp_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_s3cp_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_s3cp_using_subcommand
    set -l cmd (__fish_s3cp_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c s3cp -n "__fish_s3cp_needs_command" -l include -d 'With --recursive: take back keys (relative to SRC) matching this glob that an earlier --exclude left out. Everything is included until an --exclude matches, so an --include alone changes nothing: for only the .txt keys, give --exclude \'*\' --include \'*.txt\'. Repeatable; the last matching filter wins, as in aws-cli' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l exclude -d 'With --recursive: skip keys (relative to SRC) matching this glob, unless a later --include matches too. Repeatable' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l from-file -d 'Copy what a manifest lists, one \'SRC DST\' per line (\'-\': stdin)' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l jobs -d 'Objects copied at once in a bulk run (all their requests share --concurrency) [default: a quarter more than the requests in flight]' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l shard -d 'Copy only shard I of N (1-based): a stable hash of each source key picks its shard, so N runners that each take one shard copy every object exactly once' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l source-region -d 'AWS region of the source bucket, when it is not --region\'s (as in aws-cli): the source\'s HEAD, tags, ACL, listing and reads go there' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l source-profile -d 'Profile of the source, when another identity or store reads it (a bucket of another account, another store): its credentials, region and endpoint_url. The destination keeps --profile' -r -f -a "(__s3cp_aws_profiles)"
complete -c s3cp -n "__fish_s3cp_needs_command" -l source-endpoint-url -d 'The source\'s endpoint, when it lives in another store than the destination (MinIO, Garage, another provider): the copy is then streamed through this machine (--copy-mode). The destination keeps --endpoint-url' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l multipart-threshold -d 'Objects larger than this are copied in parts; up to it, one atomic CopyObject (streamed: one PutObject, at most the part size). At most 5GiB. Sizes: 8MiB, 5GiB, 1.5GB, plain bytes [default: 5GiB; streamed: the part size]' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l part-size -d 'Part size of a multipart copy, from 5MiB to 5GiB; grown automatically so that no copy needs more than 10,000 parts. `source`: copy a multipart source with its own part boundaries, whatever the threshold, so that the destination\'s ETag equals the source\'s (a single-part source is copied by one CopyObject, which keeps it too) [default: 256MiB; streamed: 16MiB]' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l copy-mode -d 'auto: copy server-side when both ends are the same store (the same endpoint, or both AWS), else stream the bytes through this machine. server: never stream (refused between two stores). stream: always stream (GetObject, then PutObject or UploadPart), as between accounts whose destination cannot read the source' -r -f -a "auto\t''
server\t''
stream\t''"
complete -c s3cp -n "__fish_s3cp_needs_command" -l concurrency -d 'Requests in flight at once, shared by all objects and parts, fixed at N [default: adaptive: from 32, growing while throughput grows, up to 512, backing off when S3 answers SlowDown]' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l metadata-directive -d 'COPY keeps the source\'s metadata and headers, REPLACE uses only those given, MERGE keeps the source\'s and overrides those given. Without it, --metadata, any Content-* flag or --expires means REPLACE (as in aws-cli), which drops the source\'s Content-Type, other headers and metadata: give MERGE to keep them' -r -f -a "COPY\t'Keep the source\'s metadata and headers (S3\'s default)'
REPLACE\t'Use only the metadata and headers given on the command line'
MERGE\t'Keep the source\'s, overriding only the ones given (s3cp\'s own)'"
complete -c s3cp -n "__fish_s3cp_needs_command" -l metadata -d 'User metadata (x-amz-meta-*), as KEY=VALUE[,KEY=VALUE]; repeatable. Without --metadata-directive this means REPLACE, which drops the source\'s metadata and headers, Content-Type too: add --metadata-directive MERGE to keep them' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l content-type -d 'Content-Type of the destination. Without --metadata-directive this means REPLACE, which drops the source\'s other headers and metadata: add --metadata-directive MERGE to keep them' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l cache-control -d 'Cache-Control of the destination. Without --metadata-directive this means REPLACE, which drops the source\'s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l content-disposition -d 'Content-Disposition of the destination. Without --metadata-directive this means REPLACE, which drops the source\'s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l content-encoding -d 'Content-Encoding of the destination. Without --metadata-directive this means REPLACE, which drops the source\'s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l content-language -d 'Content-Language of the destination. Without --metadata-directive this means REPLACE, which drops the source\'s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l expires -d 'Expires of the destination: RFC 3339 (2030-01-01T00:00:00Z) or an HTTP date. Without --metadata-directive this means REPLACE, which drops the source\'s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l tagging-directive -d 'COPY keeps the source\'s tags; REPLACE uses only --tagging' -r -f -a "COPY\t'Keep the source\'s tags (S3\'s default)'
REPLACE\t'Use only the tags given with --tagging (none without it)'"
complete -c s3cp -n "__fish_s3cp_needs_command" -l tagging -d 'Tags as a URL query: \'k=v&k2=v2\'. Without a directive, means REPLACE' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l annotation-directive -d 'COPY gives the destination the source\'s object annotations (S3\'s default; a multipart or streamed copy reads and writes each one); EXCLUDE copies none' -r -f -a "COPY\t'Copy the source\'s annotations (S3\'s default)'
EXCLUDE\t'Copy none'"
complete -c s3cp -n "__fish_s3cp_needs_command" -l acl -d 'A canned ACL for the destination' -r -f -a "authenticated-read\t''
aws-exec-read\t''
bucket-owner-full-control\t''
bucket-owner-read\t''
private\t''
public-read\t''
public-read-write\t''"
complete -c s3cp -n "__fish_s3cp_needs_command" -l grant-read -d 'Grantees with READ, as \'id=..., uri=..., emailAddress=...\'' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l grant-read-acp -d 'Grantees with READ_ACP' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l grant-write-acp -d 'Grantees with WRITE_ACP' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l grant-full-control -d 'Grantees with FULL_CONTROL' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l sse -d 'Server-side encryption of the destination' -r -f -a "AES256\t''
aws:backup\t''
aws:fsx\t''
aws:kms\t''
aws:kms:dsse\t''"
complete -c s3cp -n "__fish_s3cp_needs_command" -l sse-kms-key-id -d 'KMS key (id, ARN or alias) for --sse aws:kms or aws:kms:dsse' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l sse-kms-encryption-context -d 'KMS encryption context: base64 of a JSON object' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l sse-c -d 'Encrypt the destination with a customer-provided key (SSE-C)' -r -f -a "AES256\t''"
complete -c s3cp -n "__fish_s3cp_needs_command" -l sse-c-key -d 'The destination\'s SSE-C key: 32 raw bytes, as in aws-cli. Prefer --sse-c-key-file or S3CP_SSE_C_KEY (base64) to keep it out of shell history' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l sse-c-key-file -d 'File holding the destination\'s SSE-C key (32 raw bytes, or base64)' -r -F
complete -c s3cp -n "__fish_s3cp_needs_command" -l sse-c-copy-source -d 'The source is encrypted with a customer-provided key (SSE-C)' -r -f -a "AES256\t''"
complete -c s3cp -n "__fish_s3cp_needs_command" -l sse-c-copy-source-key -d 'The source\'s SSE-C key: 32 raw bytes. Prefer --sse-c-copy-source-key-file or S3CP_SSE_C_COPY_SOURCE_KEY (base64)' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l sse-c-copy-source-key-file -d 'File holding the source\'s SSE-C key (32 raw bytes, or base64)' -r -F
complete -c s3cp -n "__fish_s3cp_needs_command" -l storage-class -d 'Storage class of the destination [S3\'s default: STANDARD]' -r -f -a "AWS_BACKUP_LOW_COST_WARM\t''
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
complete -c s3cp -n "__fish_s3cp_needs_command" -l object-lock-mode -d 'Object Lock mode; needs --object-lock-retain-until-date' -r -f -a "COMPLIANCE\t''
GOVERNANCE\t''"
complete -c s3cp -n "__fish_s3cp_needs_command" -l object-lock-retain-until-date -d 'Object Lock retention date (RFC 3339 or HTTP date); needs --object-lock-mode' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l object-lock-legal-hold -d 'Object Lock legal hold' -r -f -a "OFF\t''
ON\t''"
complete -c s3cp -n "__fish_s3cp_needs_command" -l website-redirect -d 'Website redirect location of the destination' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l checksum-algorithm -d 'Have S3 compute this checksum for the destination. By default a copy keeps the source\'s (a multipart copy too: a full-object CRC as it is, any other algorithm as COMPOSITE); a CRC named here is full-object on both paths' -r -f -a "CRC32\t''
CRC32C\t''
CRC64NVME\t''
MD5\t''
SHA1\t''
SHA256\t''
SHA512\t''
XXHASH128\t''
XXHASH3\t''
XXHASH64\t''"
complete -c s3cp -n "__fish_s3cp_needs_command" -l if-none-match -d 'Only \'*\': the same as --no-overwrite (If-None-Match: * on CopyObject and CompleteMultipartUpload), as in aws-cli. A condition on the source\'s ETag is --copy-source-if-none-match' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l if-match -d 'Overwrite the destination only if its ETag is this (If-Match on CopyObject and CompleteMultipartUpload), as in aws-cli: a destination that is missing or changed fails the copy. A condition on the source\'s ETag is --copy-source-if-match' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l request-payer -d 'Agree to pay for requests on a Requester Pays bucket' -r -f -a "requester\t''"
complete -c s3cp -n "__fish_s3cp_needs_command" -l expected-bucket-owner -d 'Fail unless the destination bucket belongs to this account id' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l expected-source-bucket-owner -d 'Fail unless the source bucket belongs to this account id' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l copy-source-if-match -d 'Copy only if the source\'s ETag is this' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l copy-source-if-none-match -d 'Copy only if the source\'s ETag is not this' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l copy-source-if-modified-since -d 'Copy only if the source changed after this date (RFC 3339 or HTTP date)' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l copy-source-if-unmodified-since -d 'Copy only if the source did not change after this date' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l if-modified-since -d 'The old name of --copy-source-if-modified-since: refused with the new name, so a script written for it does not copy unconditionally' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l if-unmodified-since -d 'The old name of --copy-source-if-unmodified-since (refused)' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l batch-role -d 'The IAM role the job runs as (arn:aws:iam::ACCOUNT:role/NAME): it must trust batchoperations.s3.amazonaws.com and may read the sources and the manifest and write the copies and the report' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l batch-reports -d 'Where the job\'s manifest and completion report go: s3://BUCKET/PREFIX/, outside both SRC and DST' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l progress -d 'Progress on stderr: a bar (on a terminal), a line every --progress-interval (for logs), or none. Default: bar on a terminal, lines otherwise' -r -f -a "bar\t'A bar redrawn in place (only drawn on a terminal)'
lines\t'A line every --progress-interval, for logs'
none\t'No progress'"
complete -c s3cp -n "__fish_s3cp_needs_command" -l progress-interval -d 'How often --progress lines prints a line: 30s, 1m, 500ms; a bare number is seconds. A run shorter than this prints none' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l region -d 'AWS region of the destination bucket (and of the source\'s)' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l profile -d 'Named profile of ~/.aws/config and ~/.aws/credentials' -r -f -a "(__s3cp_aws_profiles)"
complete -c s3cp -n "__fish_s3cp_needs_command" -l endpoint-url -d 'Send requests to this endpoint instead of AWS (an S3-compatible store)' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l max-attempts -d 'Attempts per request, the first included: no request is sent more than N times (the SDK\'s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile\'s max_attempts, else 5]' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -l retry-mode -d 'The SDK\'s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile\'s retry_mode, else standard]' -r -f -a "standard\t''
adaptive\t''"
complete -c s3cp -n "__fish_s3cp_needs_command" -l account-id -d 'The AWS account that owns S3 Batch Operations jobs (--batch, s3cp batch) [default: the credentials\' account, from STS]' -r
complete -c s3cp -n "__fish_s3cp_needs_command" -s r -l recursive -d 'Copy every object under the SRC prefix to the DST prefix'
complete -c s3cp -n "__fish_s3cp_needs_command" -l fail-fast -d 'Stop at the first failed object (by default the others go on)'
complete -c s3cp -n "__fish_s3cp_needs_command" -l require-objects -d 'Exit 1 when the run selects no object (a prefix with nothing under it, filters or a shard that leave nothing, an empty manifest): a CI job that copied nothing fails instead of passing'
complete -c s3cp -n "__fish_s3cp_needs_command" -l keep-partial -d 'On Ctrl-C or a failure, keep the multipart upload (and its journal in the state directory) so that the next run of the same command can finish it, instead of aborting it. (A run that continues an upload keeps it anyway.)'
complete -c s3cp -n "__fish_s3cp_needs_command" -l resume -d 'Insist on finishing an interrupted multipart copy of SRC to DST: exit 2 when there is none to finish (a plain rerun finishes it too, and copies afresh what it cannot finish). With -r or --from-file: exit 2 when no copy of the run was interrupted. A source that changed since is refused'
complete -c s3cp -n "__fish_s3cp_needs_command" -l no-resume -d 'Copy afresh even where an interrupted copy could be finished: abort the upload its journal names (s3cp\'s own) first'
complete -c s3cp -n "__fish_s3cp_needs_command" -l copy-acl -d 'Read the source\'s ACL and give the destination the same grants'
complete -c s3cp -n "__fish_s3cp_needs_command" -l bucket-key-enabled -d 'Use an S3 Bucket Key for SSE-KMS'
complete -c s3cp -n "__fish_s3cp_needs_command" -l verify -d 'Require every copy to end proved identical to its source. What the source\'s checksum or ETag cannot prove is proved by reading the source (its bytes pass through this machine once) and comparing its CRC64NVME with the one S3 computed for the destination'
complete -c s3cp -n "__fish_s3cp_needs_command" -l no-overwrite -d 'Refuse to overwrite an existing destination: sends If-None-Match: * (atomic, no HEAD-then-copy race). AWS S3 honours it; moto and some S3-compatible stores ignore it on CopyObject and overwrite'
complete -c s3cp -n "__fish_s3cp_needs_command" -l skip-existing -d 'Skip an object whose destination already exists, whatever it holds: with --recursive the destination listing decides (no request per object); a single copy or --from-file sends one HEAD of the destination first, and nothing else when it exists. For reruns'
complete -c s3cp -n "__fish_s3cp_needs_command" -l skip-same -d 'Skip an object whose destination is the same as the source: the same size and ETag, or, where the ETags cannot tell (a multipart copy, SSE-KMS), the same full-object checksum (a HEAD of both). Anything else is copied over; -v says why. With --recursive the destination listing is walked beside the source\'s'
complete -c s3cp -n "__fish_s3cp_needs_command" -l batch -d 'Hand the copy to an S3 Batch Operations job (with --recursive or --from-file): s3cp lists and filters, uploads the job\'s manifest under --batch-reports, creates one job in the destination\'s region and watches it to its end. Objects above --multipart-threshold (at most 5 GiB, a job\'s limit) are copied by s3cp itself, meanwhile'
complete -c s3cp -n "__fish_s3cp_needs_command" -l batch-confirm -d 'Create the job awaiting confirmation instead of running it at once: s3cp prints how to confirm it, and how to watch it (s3cp batch wait JOB_ID), and exits without waiting'
complete -c s3cp -n "__fish_s3cp_needs_command" -l no-wait -d 'Print the job\'s id once it is created and exit 0, without watching it (s3cp batch wait JOB_ID watches it later)'
complete -c s3cp -n "__fish_s3cp_needs_command" -l only-show-errors -d 'Print failures and the bulk summary only (aws-cli\'s name): no line per copied object, no progress'
complete -c s3cp -n "__fish_s3cp_needs_command" -l dry-run -l dryrun -d 'Print the plan and send no write request'
complete -c s3cp -n "__fish_s3cp_needs_command" -l path-style -d 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need'
complete -c s3cp -n "__fish_s3cp_needs_command" -l json -d 'Print results as JSON Lines on stdout'
complete -c s3cp -n "__fish_s3cp_needs_command" -s q -l quiet -d 'Print nothing but errors; no progress bar'
complete -c s3cp -n "__fish_s3cp_needs_command" -s v -l verbose -d 'More detail on stderr: -v, -vv, -vvv'
complete -c s3cp -n "__fish_s3cp_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c s3cp -n "__fish_s3cp_needs_command" -s V -l version -d 'Print version'
complete -c s3cp -n "__fish_s3cp_needs_command" -a "mv" -d 'Move: copy, then delete each source once its copy is proved'
complete -c s3cp -n "__fish_s3cp_needs_command" -a "uploads" -d 'Show or clean up incomplete multipart uploads'
complete -c s3cp -n "__fish_s3cp_needs_command" -a "batch" -d 'Watch, show or cancel an S3 Batch Operations job that s3cp --batch created'
complete -c s3cp -n "__fish_s3cp_needs_command" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l include -d 'With --recursive: take back keys (relative to SRC) matching this glob that an earlier --exclude left out. Everything is included until an --exclude matches, so an --include alone changes nothing: for only the .txt keys, give --exclude \'*\' --include \'*.txt\'. Repeatable; the last matching filter wins, as in aws-cli' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l exclude -d 'With --recursive: skip keys (relative to SRC) matching this glob, unless a later --include matches too. Repeatable' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l from-file -d 'Copy what a manifest lists, one \'SRC DST\' per line (\'-\': stdin)' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l jobs -d 'Objects copied at once in a bulk run (all their requests share --concurrency) [default: a quarter more than the requests in flight]' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l shard -d 'Copy only shard I of N (1-based): a stable hash of each source key picks its shard, so N runners that each take one shard copy every object exactly once' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l source-region -d 'AWS region of the source bucket, when it is not --region\'s (as in aws-cli): the source\'s HEAD, tags, ACL, listing and reads go there' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l source-profile -d 'Profile of the source, when another identity or store reads it (a bucket of another account, another store): its credentials, region and endpoint_url. The destination keeps --profile' -r -f -a "(__s3cp_aws_profiles)"
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l source-endpoint-url -d 'The source\'s endpoint, when it lives in another store than the destination (MinIO, Garage, another provider): the copy is then streamed through this machine (--copy-mode). The destination keeps --endpoint-url' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l multipart-threshold -d 'Objects larger than this are copied in parts; up to it, one atomic CopyObject (streamed: one PutObject, at most the part size). At most 5GiB. Sizes: 8MiB, 5GiB, 1.5GB, plain bytes [default: 5GiB; streamed: the part size]' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l part-size -d 'Part size of a multipart copy, from 5MiB to 5GiB; grown automatically so that no copy needs more than 10,000 parts. `source`: copy a multipart source with its own part boundaries, whatever the threshold, so that the destination\'s ETag equals the source\'s (a single-part source is copied by one CopyObject, which keeps it too) [default: 256MiB; streamed: 16MiB]' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l copy-mode -d 'auto: copy server-side when both ends are the same store (the same endpoint, or both AWS), else stream the bytes through this machine. server: never stream (refused between two stores). stream: always stream (GetObject, then PutObject or UploadPart), as between accounts whose destination cannot read the source' -r -f -a "auto\t''
server\t''
stream\t''"
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l concurrency -d 'Requests in flight at once, shared by all objects and parts, fixed at N [default: adaptive: from 32, growing while throughput grows, up to 512, backing off when S3 answers SlowDown]' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l metadata-directive -d 'COPY keeps the source\'s metadata and headers, REPLACE uses only those given, MERGE keeps the source\'s and overrides those given. Without it, --metadata, any Content-* flag or --expires means REPLACE (as in aws-cli), which drops the source\'s Content-Type, other headers and metadata: give MERGE to keep them' -r -f -a "COPY\t'Keep the source\'s metadata and headers (S3\'s default)'
REPLACE\t'Use only the metadata and headers given on the command line'
MERGE\t'Keep the source\'s, overriding only the ones given (s3cp\'s own)'"
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l metadata -d 'User metadata (x-amz-meta-*), as KEY=VALUE[,KEY=VALUE]; repeatable. Without --metadata-directive this means REPLACE, which drops the source\'s metadata and headers, Content-Type too: add --metadata-directive MERGE to keep them' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l content-type -d 'Content-Type of the destination. Without --metadata-directive this means REPLACE, which drops the source\'s other headers and metadata: add --metadata-directive MERGE to keep them' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l cache-control -d 'Cache-Control of the destination. Without --metadata-directive this means REPLACE, which drops the source\'s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l content-disposition -d 'Content-Disposition of the destination. Without --metadata-directive this means REPLACE, which drops the source\'s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l content-encoding -d 'Content-Encoding of the destination. Without --metadata-directive this means REPLACE, which drops the source\'s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l content-language -d 'Content-Language of the destination. Without --metadata-directive this means REPLACE, which drops the source\'s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l expires -d 'Expires of the destination: RFC 3339 (2030-01-01T00:00:00Z) or an HTTP date. Without --metadata-directive this means REPLACE, which drops the source\'s Content-Type, other headers and metadata: add --metadata-directive MERGE to keep them' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l tagging-directive -d 'COPY keeps the source\'s tags; REPLACE uses only --tagging' -r -f -a "COPY\t'Keep the source\'s tags (S3\'s default)'
REPLACE\t'Use only the tags given with --tagging (none without it)'"
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l tagging -d 'Tags as a URL query: \'k=v&k2=v2\'. Without a directive, means REPLACE' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l annotation-directive -d 'COPY gives the destination the source\'s object annotations (S3\'s default; a multipart or streamed copy reads and writes each one); EXCLUDE copies none' -r -f -a "COPY\t'Copy the source\'s annotations (S3\'s default)'
EXCLUDE\t'Copy none'"
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l acl -d 'A canned ACL for the destination' -r -f -a "authenticated-read\t''
aws-exec-read\t''
bucket-owner-full-control\t''
bucket-owner-read\t''
private\t''
public-read\t''
public-read-write\t''"
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l grant-read -d 'Grantees with READ, as \'id=..., uri=..., emailAddress=...\'' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l grant-read-acp -d 'Grantees with READ_ACP' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l grant-write-acp -d 'Grantees with WRITE_ACP' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l grant-full-control -d 'Grantees with FULL_CONTROL' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l sse -d 'Server-side encryption of the destination' -r -f -a "AES256\t''
aws:backup\t''
aws:fsx\t''
aws:kms\t''
aws:kms:dsse\t''"
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l sse-kms-key-id -d 'KMS key (id, ARN or alias) for --sse aws:kms or aws:kms:dsse' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l sse-kms-encryption-context -d 'KMS encryption context: base64 of a JSON object' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l sse-c -d 'Encrypt the destination with a customer-provided key (SSE-C)' -r -f -a "AES256\t''"
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l sse-c-key -d 'The destination\'s SSE-C key: 32 raw bytes, as in aws-cli. Prefer --sse-c-key-file or S3CP_SSE_C_KEY (base64) to keep it out of shell history' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l sse-c-key-file -d 'File holding the destination\'s SSE-C key (32 raw bytes, or base64)' -r -F
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l sse-c-copy-source -d 'The source is encrypted with a customer-provided key (SSE-C)' -r -f -a "AES256\t''"
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l sse-c-copy-source-key -d 'The source\'s SSE-C key: 32 raw bytes. Prefer --sse-c-copy-source-key-file or S3CP_SSE_C_COPY_SOURCE_KEY (base64)' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l sse-c-copy-source-key-file -d 'File holding the source\'s SSE-C key (32 raw bytes, or base64)' -r -F
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l storage-class -d 'Storage class of the destination [S3\'s default: STANDARD]' -r -f -a "AWS_BACKUP_LOW_COST_WARM\t''
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
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l object-lock-mode -d 'Object Lock mode; needs --object-lock-retain-until-date' -r -f -a "COMPLIANCE\t''
GOVERNANCE\t''"
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l object-lock-retain-until-date -d 'Object Lock retention date (RFC 3339 or HTTP date); needs --object-lock-mode' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l object-lock-legal-hold -d 'Object Lock legal hold' -r -f -a "OFF\t''
ON\t''"
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l website-redirect -d 'Website redirect location of the destination' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l checksum-algorithm -d 'Have S3 compute this checksum for the destination. By default a copy keeps the source\'s (a multipart copy too: a full-object CRC as it is, any other algorithm as COMPOSITE); a CRC named here is full-object on both paths' -r -f -a "CRC32\t''
CRC32C\t''
CRC64NVME\t''
MD5\t''
SHA1\t''
SHA256\t''
SHA512\t''
XXHASH128\t''
XXHASH3\t''
XXHASH64\t''"
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l if-none-match -d 'Only \'*\': the same as --no-overwrite (If-None-Match: * on CopyObject and CompleteMultipartUpload), as in aws-cli. A condition on the source\'s ETag is --copy-source-if-none-match' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l if-match -d 'Overwrite the destination only if its ETag is this (If-Match on CopyObject and CompleteMultipartUpload), as in aws-cli: a destination that is missing or changed fails the copy. A condition on the source\'s ETag is --copy-source-if-match' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l request-payer -d 'Agree to pay for requests on a Requester Pays bucket' -r -f -a "requester\t''"
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l expected-bucket-owner -d 'Fail unless the destination bucket belongs to this account id' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l expected-source-bucket-owner -d 'Fail unless the source bucket belongs to this account id' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l copy-source-if-match -d 'Copy only if the source\'s ETag is this' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l copy-source-if-none-match -d 'Copy only if the source\'s ETag is not this' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l copy-source-if-modified-since -d 'Copy only if the source changed after this date (RFC 3339 or HTTP date)' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l copy-source-if-unmodified-since -d 'Copy only if the source did not change after this date' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l if-modified-since -d 'The old name of --copy-source-if-modified-since: refused with the new name, so a script written for it does not copy unconditionally' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l if-unmodified-since -d 'The old name of --copy-source-if-unmodified-since (refused)' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l batch-role -d 'The IAM role the job runs as (arn:aws:iam::ACCOUNT:role/NAME): it must trust batchoperations.s3.amazonaws.com and may read the sources and the manifest and write the copies and the report' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l batch-reports -d 'Where the job\'s manifest and completion report go: s3://BUCKET/PREFIX/, outside both SRC and DST' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l progress -d 'Progress on stderr: a bar (on a terminal), a line every --progress-interval (for logs), or none. Default: bar on a terminal, lines otherwise' -r -f -a "bar\t'A bar redrawn in place (only drawn on a terminal)'
lines\t'A line every --progress-interval, for logs'
none\t'No progress'"
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l progress-interval -d 'How often --progress lines prints a line: 30s, 1m, 500ms; a bare number is seconds. A run shorter than this prints none' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l region -d 'AWS region of the destination bucket (and of the source\'s)' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l profile -d 'Named profile of ~/.aws/config and ~/.aws/credentials' -r -f -a "(__s3cp_aws_profiles)"
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l endpoint-url -d 'Send requests to this endpoint instead of AWS (an S3-compatible store)' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l max-attempts -d 'Attempts per request, the first included: no request is sent more than N times (the SDK\'s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile\'s max_attempts, else 5]' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l retry-mode -d 'The SDK\'s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile\'s retry_mode, else standard]' -r -f -a "standard\t''
adaptive\t''"
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l account-id -d 'The AWS account that owns S3 Batch Operations jobs (--batch, s3cp batch) [default: the credentials\' account, from STS]' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -s r -l recursive -d 'Copy every object under the SRC prefix to the DST prefix'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l fail-fast -d 'Stop at the first failed object (by default the others go on)'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l require-objects -d 'Exit 1 when the run selects no object (a prefix with nothing under it, filters or a shard that leave nothing, an empty manifest): a CI job that copied nothing fails instead of passing'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l keep-partial -d 'On Ctrl-C or a failure, keep the multipart upload (and its journal in the state directory) so that the next run of the same command can finish it, instead of aborting it. (A run that continues an upload keeps it anyway.)'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l resume -d 'Insist on finishing an interrupted multipart copy of SRC to DST: exit 2 when there is none to finish (a plain rerun finishes it too, and copies afresh what it cannot finish). With -r or --from-file: exit 2 when no copy of the run was interrupted. A source that changed since is refused'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l no-resume -d 'Copy afresh even where an interrupted copy could be finished: abort the upload its journal names (s3cp\'s own) first'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l copy-acl -d 'Read the source\'s ACL and give the destination the same grants'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l bucket-key-enabled -d 'Use an S3 Bucket Key for SSE-KMS'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l verify -d 'Require every copy to end proved identical to its source. What the source\'s checksum or ETag cannot prove is proved by reading the source (its bytes pass through this machine once) and comparing its CRC64NVME with the one S3 computed for the destination'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l no-overwrite -d 'Refuse to overwrite an existing destination: sends If-None-Match: * (atomic, no HEAD-then-copy race). AWS S3 honours it; moto and some S3-compatible stores ignore it on CopyObject and overwrite'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l skip-existing -d 'Skip an object whose destination already exists, whatever it holds: with --recursive the destination listing decides (no request per object); a single copy or --from-file sends one HEAD of the destination first, and nothing else when it exists. For reruns'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l skip-same -d 'Skip an object whose destination is the same as the source: the same size and ETag, or, where the ETags cannot tell (a multipart copy, SSE-KMS), the same full-object checksum (a HEAD of both). Anything else is copied over; -v says why. With --recursive the destination listing is walked beside the source\'s'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l batch -d 'Hand the copy to an S3 Batch Operations job (with --recursive or --from-file): s3cp lists and filters, uploads the job\'s manifest under --batch-reports, creates one job in the destination\'s region and watches it to its end. Objects above --multipart-threshold (at most 5 GiB, a job\'s limit) are copied by s3cp itself, meanwhile'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l batch-confirm -d 'Create the job awaiting confirmation instead of running it at once: s3cp prints how to confirm it, and how to watch it (s3cp batch wait JOB_ID), and exits without waiting'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l no-wait -d 'Print the job\'s id once it is created and exit 0, without watching it (s3cp batch wait JOB_ID watches it later)'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l only-show-errors -d 'Print failures and the bulk summary only (aws-cli\'s name): no line per copied object, no progress'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l dry-run -l dryrun -d 'Print the plan and send no write request'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l delete-version -d 'In a versioned source bucket, delete the copied version itself (by its version id, never another) instead of adding a delete marker'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l path-style -d 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -l json -d 'Print results as JSON Lines on stdout'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -s q -l quiet -d 'Print nothing but errors; no progress bar'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -s v -l verbose -d 'More detail on stderr: -v, -vv, -vvv'
complete -c s3cp -n "__fish_s3cp_using_subcommand mv" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and not __fish_seen_subcommand_from list abort help" -l region -d 'AWS region of the destination bucket (and of the source\'s)' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and not __fish_seen_subcommand_from list abort help" -l profile -d 'Named profile of ~/.aws/config and ~/.aws/credentials' -r -f -a "(__s3cp_aws_profiles)"
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and not __fish_seen_subcommand_from list abort help" -l endpoint-url -d 'Send requests to this endpoint instead of AWS (an S3-compatible store)' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and not __fish_seen_subcommand_from list abort help" -l max-attempts -d 'Attempts per request, the first included: no request is sent more than N times (the SDK\'s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile\'s max_attempts, else 5]' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and not __fish_seen_subcommand_from list abort help" -l retry-mode -d 'The SDK\'s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile\'s retry_mode, else standard]' -r -f -a "standard\t''
adaptive\t''"
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and not __fish_seen_subcommand_from list abort help" -l account-id -d 'The AWS account that owns S3 Batch Operations jobs (--batch, s3cp batch) [default: the credentials\' account, from STS]' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and not __fish_seen_subcommand_from list abort help" -l path-style -d 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and not __fish_seen_subcommand_from list abort help" -l json -d 'Print results as JSON Lines on stdout'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and not __fish_seen_subcommand_from list abort help" -s q -l quiet -d 'Print nothing but errors; no progress bar'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and not __fish_seen_subcommand_from list abort help" -s v -l verbose -d 'More detail on stderr: -v, -vv, -vvv'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and not __fish_seen_subcommand_from list abort help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and not __fish_seen_subcommand_from list abort help" -f -a "list" -d 'List the incomplete multipart uploads under s3://BUCKET[/PREFIX]'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and not __fish_seen_subcommand_from list abort help" -f -a "abort" -d 'Abort incomplete multipart uploads: one (--upload-id), or those under s3://BUCKET[/PREFIX] (--all, or --older-than). Without one of these, nothing is aborted: the uploads that would be are listed and s3cp exits 2'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and not __fish_seen_subcommand_from list abort help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from list" -l older-than -d 'Only uploads started longer ago than this: 30m, 12h, 7d' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from list" -l region -d 'AWS region of the destination bucket (and of the source\'s)' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from list" -l profile -d 'Named profile of ~/.aws/config and ~/.aws/credentials' -r -f -a "(__s3cp_aws_profiles)"
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from list" -l endpoint-url -d 'Send requests to this endpoint instead of AWS (an S3-compatible store)' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from list" -l max-attempts -d 'Attempts per request, the first included: no request is sent more than N times (the SDK\'s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile\'s max_attempts, else 5]' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from list" -l retry-mode -d 'The SDK\'s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile\'s retry_mode, else standard]' -r -f -a "standard\t''
adaptive\t''"
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from list" -l account-id -d 'The AWS account that owns S3 Batch Operations jobs (--batch, s3cp batch) [default: the credentials\' account, from STS]' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from list" -l path-style -d 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from list" -l json -d 'Print results as JSON Lines on stdout'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing but errors; no progress bar'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr: -v, -vv, -vvv'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from abort" -l older-than -d 'Only uploads started longer ago than this: 30m, 12h, 7d' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from abort" -l upload-id -d 'Abort only this upload, of exactly the key given (not a prefix), as s3cp\'s messages name it' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from abort" -l region -d 'AWS region of the destination bucket (and of the source\'s)' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from abort" -l profile -d 'Named profile of ~/.aws/config and ~/.aws/credentials' -r -f -a "(__s3cp_aws_profiles)"
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from abort" -l endpoint-url -d 'Send requests to this endpoint instead of AWS (an S3-compatible store)' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from abort" -l max-attempts -d 'Attempts per request, the first included: no request is sent more than N times (the SDK\'s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile\'s max_attempts, else 5]' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from abort" -l retry-mode -d 'The SDK\'s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile\'s retry_mode, else standard]' -r -f -a "standard\t''
adaptive\t''"
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from abort" -l account-id -d 'The AWS account that owns S3 Batch Operations jobs (--batch, s3cp batch) [default: the credentials\' account, from STS]' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from abort" -l all -d 'Abort every upload under the prefix (another writer\'s live uploads too)'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from abort" -l dry-run -l dryrun -d 'List the uploads that would be aborted, and abort none'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from abort" -l path-style -d 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from abort" -l json -d 'Print results as JSON Lines on stdout'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from abort" -s q -l quiet -d 'Print nothing but errors; no progress bar'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from abort" -s v -l verbose -d 'More detail on stderr: -v, -vv, -vvv'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from abort" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the incomplete multipart uploads under s3://BUCKET[/PREFIX]'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from help" -f -a "abort" -d 'Abort incomplete multipart uploads: one (--upload-id), or those under s3://BUCKET[/PREFIX] (--all, or --older-than). Without one of these, nothing is aborted: the uploads that would be are listed and s3cp exits 2'
complete -c s3cp -n "__fish_s3cp_using_subcommand uploads; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and not __fish_seen_subcommand_from status wait cancel help" -l region -d 'AWS region of the destination bucket (and of the source\'s)' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and not __fish_seen_subcommand_from status wait cancel help" -l profile -d 'Named profile of ~/.aws/config and ~/.aws/credentials' -r -f -a "(__s3cp_aws_profiles)"
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and not __fish_seen_subcommand_from status wait cancel help" -l endpoint-url -d 'Send requests to this endpoint instead of AWS (an S3-compatible store)' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and not __fish_seen_subcommand_from status wait cancel help" -l max-attempts -d 'Attempts per request, the first included: no request is sent more than N times (the SDK\'s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile\'s max_attempts, else 5]' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and not __fish_seen_subcommand_from status wait cancel help" -l retry-mode -d 'The SDK\'s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile\'s retry_mode, else standard]' -r -f -a "standard\t''
adaptive\t''"
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and not __fish_seen_subcommand_from status wait cancel help" -l account-id -d 'The AWS account that owns S3 Batch Operations jobs (--batch, s3cp batch) [default: the credentials\' account, from STS]' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and not __fish_seen_subcommand_from status wait cancel help" -l path-style -d 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and not __fish_seen_subcommand_from status wait cancel help" -l json -d 'Print results as JSON Lines on stdout'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and not __fish_seen_subcommand_from status wait cancel help" -s q -l quiet -d 'Print nothing but errors; no progress bar'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and not __fish_seen_subcommand_from status wait cancel help" -s v -l verbose -d 'More detail on stderr: -v, -vv, -vvv'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and not __fish_seen_subcommand_from status wait cancel help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and not __fish_seen_subcommand_from status wait cancel help" -f -a "status" -d 'Print the job\'s status and task counts'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and not __fish_seen_subcommand_from status wait cancel help" -f -a "wait" -d 'Watch the job to its end, as s3cp --batch does: its progress, then one line per failed task and the summary (exit 1 if any failed)'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and not __fish_seen_subcommand_from status wait cancel help" -f -a "cancel" -d 'Ask S3 to cancel the job (the tasks already done stay done)'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and not __fish_seen_subcommand_from status wait cancel help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from status" -l region -d 'AWS region of the destination bucket (and of the source\'s)' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from status" -l profile -d 'Named profile of ~/.aws/config and ~/.aws/credentials' -r -f -a "(__s3cp_aws_profiles)"
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from status" -l endpoint-url -d 'Send requests to this endpoint instead of AWS (an S3-compatible store)' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from status" -l max-attempts -d 'Attempts per request, the first included: no request is sent more than N times (the SDK\'s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile\'s max_attempts, else 5]' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from status" -l retry-mode -d 'The SDK\'s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile\'s retry_mode, else standard]' -r -f -a "standard\t''
adaptive\t''"
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from status" -l account-id -d 'The AWS account that owns S3 Batch Operations jobs (--batch, s3cp batch) [default: the credentials\' account, from STS]' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from status" -l path-style -d 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from status" -l json -d 'Print results as JSON Lines on stdout'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print nothing but errors; no progress bar'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More detail on stderr: -v, -vv, -vvv'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from wait" -l region -d 'AWS region of the destination bucket (and of the source\'s)' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from wait" -l profile -d 'Named profile of ~/.aws/config and ~/.aws/credentials' -r -f -a "(__s3cp_aws_profiles)"
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from wait" -l endpoint-url -d 'Send requests to this endpoint instead of AWS (an S3-compatible store)' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from wait" -l max-attempts -d 'Attempts per request, the first included: no request is sent more than N times (the SDK\'s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile\'s max_attempts, else 5]' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from wait" -l retry-mode -d 'The SDK\'s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile\'s retry_mode, else standard]' -r -f -a "standard\t''
adaptive\t''"
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from wait" -l account-id -d 'The AWS account that owns S3 Batch Operations jobs (--batch, s3cp batch) [default: the credentials\' account, from STS]' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from wait" -l path-style -d 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from wait" -l json -d 'Print results as JSON Lines on stdout'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from wait" -s q -l quiet -d 'Print nothing but errors; no progress bar'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from wait" -s v -l verbose -d 'More detail on stderr: -v, -vv, -vvv'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from cancel" -l region -d 'AWS region of the destination bucket (and of the source\'s)' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from cancel" -l profile -d 'Named profile of ~/.aws/config and ~/.aws/credentials' -r -f -a "(__s3cp_aws_profiles)"
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from cancel" -l endpoint-url -d 'Send requests to this endpoint instead of AWS (an S3-compatible store)' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from cancel" -l max-attempts -d 'Attempts per request, the first included: no request is sent more than N times (the SDK\'s retries are the only ones) [default: AWS_MAX_ATTEMPTS or the profile\'s max_attempts, else 5]' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from cancel" -l retry-mode -d 'The SDK\'s retry mode: standard (backoff), or adaptive (also slows the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE or the profile\'s retry_mode, else standard]' -r -f -a "standard\t''
adaptive\t''"
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from cancel" -l account-id -d 'The AWS account that owns S3 Batch Operations jobs (--batch, s3cp batch) [default: the credentials\' account, from STS]' -r
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from cancel" -l path-style -d 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from cancel" -l json -d 'Print results as JSON Lines on stdout'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from cancel" -s q -l quiet -d 'Print nothing but errors; no progress bar'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from cancel" -s v -l verbose -d 'More detail on stderr: -v, -vv, -vvv'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from cancel" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from help" -f -a "status" -d 'Print the job\'s status and task counts'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from help" -f -a "wait" -d 'Watch the job to its end, as s3cp --batch does: its progress, then one line per failed task and the summary (exit 1 if any failed)'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from help" -f -a "cancel" -d 'Ask S3 to cancel the job (the tasks already done stay done)'
complete -c s3cp -n "__fish_s3cp_using_subcommand batch; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c s3cp -n "__fish_s3cp_using_subcommand help; and not __fish_seen_subcommand_from mv uploads batch help" -f -a "mv" -d 'Move: copy, then delete each source once its copy is proved'
complete -c s3cp -n "__fish_s3cp_using_subcommand help; and not __fish_seen_subcommand_from mv uploads batch help" -f -a "uploads" -d 'Show or clean up incomplete multipart uploads'
complete -c s3cp -n "__fish_s3cp_using_subcommand help; and not __fish_seen_subcommand_from mv uploads batch help" -f -a "batch" -d 'Watch, show or cancel an S3 Batch Operations job that s3cp --batch created'
complete -c s3cp -n "__fish_s3cp_using_subcommand help; and not __fish_seen_subcommand_from mv uploads batch help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c s3cp -n "__fish_s3cp_using_subcommand help; and __fish_seen_subcommand_from uploads" -f -a "list" -d 'List the incomplete multipart uploads under s3://BUCKET[/PREFIX]'
complete -c s3cp -n "__fish_s3cp_using_subcommand help; and __fish_seen_subcommand_from uploads" -f -a "abort" -d 'Abort incomplete multipart uploads: one (--upload-id), or those under s3://BUCKET[/PREFIX] (--all, or --older-than). Without one of these, nothing is aborted: the uploads that would be are listed and s3cp exits 2'
complete -c s3cp -n "__fish_s3cp_using_subcommand help; and __fish_seen_subcommand_from batch" -f -a "status" -d 'Print the job\'s status and task counts'
complete -c s3cp -n "__fish_s3cp_using_subcommand help; and __fish_seen_subcommand_from batch" -f -a "wait" -d 'Watch the job to its end, as s3cp --batch does: its progress, then one line per failed task and the summary (exit 1 if any failed)'
complete -c s3cp -n "__fish_s3cp_using_subcommand help; and __fish_seen_subcommand_from batch" -f -a "cancel" -d 'Ask S3 to cancel the job (the tasks already done stay done)'

# `s3cp --profile <TAB>`: the conditions above fail on a flag whose value
# is the word being completed.
function __s3cp_completing_a_profile
    set -l words (commandline -opc)
    contains -- "$words[-1]" --profile --source-profile
end
complete -c s3cp -n __s3cp_completing_a_profile -f -a "(__s3cp_aws_profiles)"
