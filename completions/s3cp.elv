
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
            cand --region 'AWS region of the buckets [default: from the environment or profile, else us-east-1]'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send requests to this endpoint instead of AWS (an S3-compatible store). AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL work too'
            cand --multipart-threshold 'Objects larger than this are copied in parts; up to it, one atomic CopyObject. At most 5GiB. Sizes: 8MiB, 5GiB, 1.5GB, plain bytes'
            cand --part-size 'Part size of a multipart copy, from 5MiB to 5GiB; grown automatically so that no copy needs more than 10,000 parts'
            cand --concurrency 'UploadPartCopy requests in flight at once'
            cand --path-style 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need'
            cand --json 'Print the result (or the error) as one JSON object on stdout'
            cand -q 'Print nothing but errors; no progress bar'
            cand --quiet 'Print nothing but errors; no progress bar'
            cand -v 'More detail on stderr: -v what s3cp does, -vv each request, -vvv the SDK''s own logs. RUST_LOG overrides'
            cand --verbose 'More detail on stderr: -v what s3cp does, -vv each request, -vvv the SDK''s own logs. RUST_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
    ]
    $completions[$command]
}
