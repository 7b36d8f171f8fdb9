
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
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the buckets [default: from the environment or profile, else us-east-1]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send requests to this endpoint instead of AWS (an S3-compatible store). AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL work too')
            [CompletionResult]::new('--multipart-threshold', '--multipart-threshold', [CompletionResultType]::ParameterName, 'Objects larger than this are copied in parts; up to it, one atomic CopyObject. At most 5GiB. Sizes: 8MiB, 5GiB, 1.5GB, plain bytes')
            [CompletionResult]::new('--part-size', '--part-size', [CompletionResultType]::ParameterName, 'Part size of a multipart copy, from 5MiB to 5GiB; grown automatically so that no copy needs more than 10,000 parts')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'UploadPartCopy requests in flight at once')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Use path-style addressing (https://host/bucket/key), which most S3-compatible stores need')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result (or the error) as one JSON object on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors; no progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors; no progress bar')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v what s3cp does, -vv each request, -vvv the SDK''s own logs. RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v what s3cp does, -vv each request, -vvv the SDK''s own logs. RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
