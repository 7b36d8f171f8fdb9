# The profile names of the AWS config files (for --profile).
_s3cp_aws_profiles() {
    { command sed -n -e 's/^[[:space:]]*\[[[:space:]]*default[[:space:]]*\].*/default/p' -e 's/^[[:space:]]*\[[[:space:]]*profile[[:space:]][[:space:]]*\([^][:space:]][^][:space:]]*\)[[:space:]]*\].*/\1/p' "${AWS_CONFIG_FILE:-$HOME/.aws/config}" 2>/dev/null; command sed -n -e 's/^[[:space:]]*\[[[:space:]]*\([^][:space:]][^][:space:]]*\)[[:space:]]*\].*/\1/p' "${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}" 2>/dev/null; } | command sort -u
}

_s3cp() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="s3cp"
                ;;
            s3cp,batch)
                cmd="s3cp__subcmd__batch"
                ;;
            s3cp,help)
                cmd="s3cp__subcmd__help"
                ;;
            s3cp,mv)
                cmd="s3cp__subcmd__mv"
                ;;
            s3cp,uploads)
                cmd="s3cp__subcmd__uploads"
                ;;
            s3cp__subcmd__batch,cancel)
                cmd="s3cp__subcmd__batch__subcmd__cancel"
                ;;
            s3cp__subcmd__batch,help)
                cmd="s3cp__subcmd__batch__subcmd__help"
                ;;
            s3cp__subcmd__batch,status)
                cmd="s3cp__subcmd__batch__subcmd__status"
                ;;
            s3cp__subcmd__batch,wait)
                cmd="s3cp__subcmd__batch__subcmd__wait"
                ;;
            s3cp__subcmd__batch__subcmd__help,cancel)
                cmd="s3cp__subcmd__batch__subcmd__help__subcmd__cancel"
                ;;
            s3cp__subcmd__batch__subcmd__help,help)
                cmd="s3cp__subcmd__batch__subcmd__help__subcmd__help"
                ;;
            s3cp__subcmd__batch__subcmd__help,status)
                cmd="s3cp__subcmd__batch__subcmd__help__subcmd__status"
                ;;
            s3cp__subcmd__batch__subcmd__help,wait)
                cmd="s3cp__subcmd__batch__subcmd__help__subcmd__wait"
                ;;
            s3cp__subcmd__help,batch)
                cmd="s3cp__subcmd__help__subcmd__batch"
                ;;
            s3cp__subcmd__help,help)
                cmd="s3cp__subcmd__help__subcmd__help"
                ;;
            s3cp__subcmd__help,mv)
                cmd="s3cp__subcmd__help__subcmd__mv"
                ;;
            s3cp__subcmd__help,uploads)
                cmd="s3cp__subcmd__help__subcmd__uploads"
                ;;
            s3cp__subcmd__help__subcmd__batch,cancel)
                cmd="s3cp__subcmd__help__subcmd__batch__subcmd__cancel"
                ;;
            s3cp__subcmd__help__subcmd__batch,status)
                cmd="s3cp__subcmd__help__subcmd__batch__subcmd__status"
                ;;
            s3cp__subcmd__help__subcmd__batch,wait)
                cmd="s3cp__subcmd__help__subcmd__batch__subcmd__wait"
                ;;
            s3cp__subcmd__help__subcmd__uploads,abort)
                cmd="s3cp__subcmd__help__subcmd__uploads__subcmd__abort"
                ;;
            s3cp__subcmd__help__subcmd__uploads,list)
                cmd="s3cp__subcmd__help__subcmd__uploads__subcmd__list"
                ;;
            s3cp__subcmd__uploads,abort)
                cmd="s3cp__subcmd__uploads__subcmd__abort"
                ;;
            s3cp__subcmd__uploads,help)
                cmd="s3cp__subcmd__uploads__subcmd__help"
                ;;
            s3cp__subcmd__uploads,list)
                cmd="s3cp__subcmd__uploads__subcmd__list"
                ;;
            s3cp__subcmd__uploads__subcmd__help,abort)
                cmd="s3cp__subcmd__uploads__subcmd__help__subcmd__abort"
                ;;
            s3cp__subcmd__uploads__subcmd__help,help)
                cmd="s3cp__subcmd__uploads__subcmd__help__subcmd__help"
                ;;
            s3cp__subcmd__uploads__subcmd__help,list)
                cmd="s3cp__subcmd__uploads__subcmd__help__subcmd__list"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        s3cp)
            opts="-r -q -v -h -V --recursive --include --exclude --from-file --jobs --shard --fail-fast --require-objects --source-region --source-profile --source-endpoint-url --multipart-threshold --part-size --copy-mode --concurrency --keep-partial --resume --no-resume --metadata-directive --metadata --content-type --cache-control --content-disposition --content-encoding --content-language --expires --tagging-directive --tagging --annotation-directive --acl --grant-read --grant-read-acp --grant-write-acp --grant-full-control --copy-acl --sse --sse-kms-key-id --sse-kms-encryption-context --bucket-key-enabled --sse-c --sse-c-key --sse-c-key-file --sse-c-copy-source --sse-c-copy-source-key --sse-c-copy-source-key-file --storage-class --object-lock-mode --object-lock-retain-until-date --object-lock-legal-hold --website-redirect --checksum-algorithm --verify --no-overwrite --skip-existing --skip-same --if-none-match --if-match --request-payer --expected-bucket-owner --expected-source-bucket-owner --copy-source-if-match --copy-source-if-none-match --copy-source-if-modified-since --copy-source-if-unmodified-since --if-modified-since --if-unmodified-since --batch --batch-role --batch-reports --batch-confirm --no-wait --only-show-errors --progress --progress-interval --dryrun --dry-run --region --profile --endpoint-url --path-style --max-attempts --retry-mode --account-id --json --quiet --verbose --help --version mv uploads batch help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --include)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --exclude)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --from-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --jobs)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --shard)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --source-region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --source-profile)
                    COMPREPLY=($(compgen -W "$(_s3cp_aws_profiles)" -- "${cur}"))
                    return 0
                    ;;
                --source-endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --multipart-threshold)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --part-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --copy-mode)
                    COMPREPLY=($(compgen -W "auto server stream" -- "${cur}"))
                    return 0
                    ;;
                --concurrency)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --metadata-directive)
                    COMPREPLY=($(compgen -W "COPY REPLACE MERGE" -- "${cur}"))
                    return 0
                    ;;
                --metadata)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --content-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cache-control)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --content-disposition)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --content-encoding)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --content-language)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --expires)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tagging-directive)
                    COMPREPLY=($(compgen -W "COPY REPLACE" -- "${cur}"))
                    return 0
                    ;;
                --tagging)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --annotation-directive)
                    COMPREPLY=($(compgen -W "COPY EXCLUDE" -- "${cur}"))
                    return 0
                    ;;
                --acl)
                    COMPREPLY=($(compgen -W "authenticated-read aws-exec-read bucket-owner-full-control bucket-owner-read private public-read public-read-write" -- "${cur}"))
                    return 0
                    ;;
                --grant-read)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --grant-read-acp)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --grant-write-acp)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --grant-full-control)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sse)
                    COMPREPLY=($(compgen -W "AES256 aws:backup aws:fsx aws:kms aws:kms:dsse" -- "${cur}"))
                    return 0
                    ;;
                --sse-kms-key-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sse-kms-encryption-context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sse-c)
                    COMPREPLY=($(compgen -W "AES256" -- "${cur}"))
                    return 0
                    ;;
                --sse-c-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sse-c-key-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sse-c-copy-source)
                    COMPREPLY=($(compgen -W "AES256" -- "${cur}"))
                    return 0
                    ;;
                --sse-c-copy-source-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sse-c-copy-source-key-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --storage-class)
                    COMPREPLY=($(compgen -W "AWS_BACKUP_LOW_COST_WARM AWS_BACKUP_WARM DEEP_ARCHIVE EXPRESS_ONEZONE FSX_ONTAP FSX_OPENZFS GLACIER GLACIER_IR INTELLIGENT_TIERING ONEZONE_IA OUTPOSTS REDUCED_REDUNDANCY SNOW STANDARD STANDARD_IA" -- "${cur}"))
                    return 0
                    ;;
                --object-lock-mode)
                    COMPREPLY=($(compgen -W "COMPLIANCE GOVERNANCE" -- "${cur}"))
                    return 0
                    ;;
                --object-lock-retain-until-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --object-lock-legal-hold)
                    COMPREPLY=($(compgen -W "OFF ON" -- "${cur}"))
                    return 0
                    ;;
                --website-redirect)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --checksum-algorithm)
                    COMPREPLY=($(compgen -W "CRC32 CRC32C CRC64NVME MD5 SHA1 SHA256 SHA512 XXHASH128 XXHASH3 XXHASH64" -- "${cur}"))
                    return 0
                    ;;
                --if-none-match)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --if-match)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-payer)
                    COMPREPLY=($(compgen -W "requester" -- "${cur}"))
                    return 0
                    ;;
                --expected-bucket-owner)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --expected-source-bucket-owner)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --copy-source-if-match)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --copy-source-if-none-match)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --copy-source-if-modified-since)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --copy-source-if-unmodified-since)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --if-modified-since)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --if-unmodified-since)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch-role)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch-reports)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --progress)
                    COMPREPLY=($(compgen -W "bar lines none" -- "${cur}"))
                    return 0
                    ;;
                --progress-interval)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "$(_s3cp_aws_profiles)" -- "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-attempts)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-mode)
                    COMPREPLY=($(compgen -W "standard adaptive" -- "${cur}"))
                    return 0
                    ;;
                --account-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__batch)
            opts="-q -v -h --region --profile --endpoint-url --path-style --max-attempts --retry-mode --account-id --json --quiet --verbose --help status wait cancel help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "$(_s3cp_aws_profiles)" -- "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-attempts)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-mode)
                    COMPREPLY=($(compgen -W "standard adaptive" -- "${cur}"))
                    return 0
                    ;;
                --account-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__batch__subcmd__cancel)
            opts="-q -v -h --region --profile --endpoint-url --path-style --max-attempts --retry-mode --account-id --json --quiet --verbose --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "$(_s3cp_aws_profiles)" -- "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-attempts)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-mode)
                    COMPREPLY=($(compgen -W "standard adaptive" -- "${cur}"))
                    return 0
                    ;;
                --account-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__batch__subcmd__help)
            opts="status wait cancel help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__batch__subcmd__help__subcmd__cancel)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__batch__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__batch__subcmd__help__subcmd__status)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__batch__subcmd__help__subcmd__wait)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__batch__subcmd__status)
            opts="-q -v -h --region --profile --endpoint-url --path-style --max-attempts --retry-mode --account-id --json --quiet --verbose --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "$(_s3cp_aws_profiles)" -- "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-attempts)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-mode)
                    COMPREPLY=($(compgen -W "standard adaptive" -- "${cur}"))
                    return 0
                    ;;
                --account-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__batch__subcmd__wait)
            opts="-q -v -h --region --profile --endpoint-url --path-style --max-attempts --retry-mode --account-id --json --quiet --verbose --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "$(_s3cp_aws_profiles)" -- "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-attempts)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-mode)
                    COMPREPLY=($(compgen -W "standard adaptive" -- "${cur}"))
                    return 0
                    ;;
                --account-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__help)
            opts="mv uploads batch help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__help__subcmd__batch)
            opts="status wait cancel"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__help__subcmd__batch__subcmd__cancel)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__help__subcmd__batch__subcmd__status)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__help__subcmd__batch__subcmd__wait)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__help__subcmd__mv)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__help__subcmd__uploads)
            opts="list abort"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__help__subcmd__uploads__subcmd__abort)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__help__subcmd__uploads__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__mv)
            opts="-r -q -v -h --recursive --include --exclude --from-file --jobs --shard --fail-fast --require-objects --source-region --source-profile --source-endpoint-url --multipart-threshold --part-size --copy-mode --concurrency --keep-partial --resume --no-resume --metadata-directive --metadata --content-type --cache-control --content-disposition --content-encoding --content-language --expires --tagging-directive --tagging --annotation-directive --acl --grant-read --grant-read-acp --grant-write-acp --grant-full-control --copy-acl --sse --sse-kms-key-id --sse-kms-encryption-context --bucket-key-enabled --sse-c --sse-c-key --sse-c-key-file --sse-c-copy-source --sse-c-copy-source-key --sse-c-copy-source-key-file --storage-class --object-lock-mode --object-lock-retain-until-date --object-lock-legal-hold --website-redirect --checksum-algorithm --verify --no-overwrite --skip-existing --skip-same --if-none-match --if-match --request-payer --expected-bucket-owner --expected-source-bucket-owner --copy-source-if-match --copy-source-if-none-match --copy-source-if-modified-since --copy-source-if-unmodified-since --if-modified-since --if-unmodified-since --batch --batch-role --batch-reports --batch-confirm --no-wait --only-show-errors --progress --progress-interval --dryrun --dry-run --delete-version --region --profile --endpoint-url --path-style --max-attempts --retry-mode --account-id --json --quiet --verbose --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --include)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --exclude)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --from-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --jobs)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --shard)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --source-region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --source-profile)
                    COMPREPLY=($(compgen -W "$(_s3cp_aws_profiles)" -- "${cur}"))
                    return 0
                    ;;
                --source-endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --multipart-threshold)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --part-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --copy-mode)
                    COMPREPLY=($(compgen -W "auto server stream" -- "${cur}"))
                    return 0
                    ;;
                --concurrency)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --metadata-directive)
                    COMPREPLY=($(compgen -W "COPY REPLACE MERGE" -- "${cur}"))
                    return 0
                    ;;
                --metadata)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --content-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cache-control)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --content-disposition)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --content-encoding)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --content-language)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --expires)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tagging-directive)
                    COMPREPLY=($(compgen -W "COPY REPLACE" -- "${cur}"))
                    return 0
                    ;;
                --tagging)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --annotation-directive)
                    COMPREPLY=($(compgen -W "COPY EXCLUDE" -- "${cur}"))
                    return 0
                    ;;
                --acl)
                    COMPREPLY=($(compgen -W "authenticated-read aws-exec-read bucket-owner-full-control bucket-owner-read private public-read public-read-write" -- "${cur}"))
                    return 0
                    ;;
                --grant-read)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --grant-read-acp)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --grant-write-acp)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --grant-full-control)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sse)
                    COMPREPLY=($(compgen -W "AES256 aws:backup aws:fsx aws:kms aws:kms:dsse" -- "${cur}"))
                    return 0
                    ;;
                --sse-kms-key-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sse-kms-encryption-context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sse-c)
                    COMPREPLY=($(compgen -W "AES256" -- "${cur}"))
                    return 0
                    ;;
                --sse-c-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sse-c-key-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sse-c-copy-source)
                    COMPREPLY=($(compgen -W "AES256" -- "${cur}"))
                    return 0
                    ;;
                --sse-c-copy-source-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sse-c-copy-source-key-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --storage-class)
                    COMPREPLY=($(compgen -W "AWS_BACKUP_LOW_COST_WARM AWS_BACKUP_WARM DEEP_ARCHIVE EXPRESS_ONEZONE FSX_ONTAP FSX_OPENZFS GLACIER GLACIER_IR INTELLIGENT_TIERING ONEZONE_IA OUTPOSTS REDUCED_REDUNDANCY SNOW STANDARD STANDARD_IA" -- "${cur}"))
                    return 0
                    ;;
                --object-lock-mode)
                    COMPREPLY=($(compgen -W "COMPLIANCE GOVERNANCE" -- "${cur}"))
                    return 0
                    ;;
                --object-lock-retain-until-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --object-lock-legal-hold)
                    COMPREPLY=($(compgen -W "OFF ON" -- "${cur}"))
                    return 0
                    ;;
                --website-redirect)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --checksum-algorithm)
                    COMPREPLY=($(compgen -W "CRC32 CRC32C CRC64NVME MD5 SHA1 SHA256 SHA512 XXHASH128 XXHASH3 XXHASH64" -- "${cur}"))
                    return 0
                    ;;
                --if-none-match)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --if-match)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-payer)
                    COMPREPLY=($(compgen -W "requester" -- "${cur}"))
                    return 0
                    ;;
                --expected-bucket-owner)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --expected-source-bucket-owner)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --copy-source-if-match)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --copy-source-if-none-match)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --copy-source-if-modified-since)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --copy-source-if-unmodified-since)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --if-modified-since)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --if-unmodified-since)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch-role)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch-reports)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --progress)
                    COMPREPLY=($(compgen -W "bar lines none" -- "${cur}"))
                    return 0
                    ;;
                --progress-interval)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "$(_s3cp_aws_profiles)" -- "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-attempts)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-mode)
                    COMPREPLY=($(compgen -W "standard adaptive" -- "${cur}"))
                    return 0
                    ;;
                --account-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__uploads)
            opts="-q -v -h --region --profile --endpoint-url --path-style --max-attempts --retry-mode --account-id --json --quiet --verbose --help list abort help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "$(_s3cp_aws_profiles)" -- "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-attempts)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-mode)
                    COMPREPLY=($(compgen -W "standard adaptive" -- "${cur}"))
                    return 0
                    ;;
                --account-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__uploads__subcmd__abort)
            opts="-q -v -h --all --older-than --upload-id --dryrun --dry-run --region --profile --endpoint-url --path-style --max-attempts --retry-mode --account-id --json --quiet --verbose --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --older-than)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --upload-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "$(_s3cp_aws_profiles)" -- "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-attempts)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-mode)
                    COMPREPLY=($(compgen -W "standard adaptive" -- "${cur}"))
                    return 0
                    ;;
                --account-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__uploads__subcmd__help)
            opts="list abort help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__uploads__subcmd__help__subcmd__abort)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__uploads__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__uploads__subcmd__help__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        s3cp__subcmd__uploads__subcmd__list)
            opts="-q -v -h --older-than --region --profile --endpoint-url --path-style --max-attempts --retry-mode --account-id --json --quiet --verbose --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --older-than)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "$(_s3cp_aws_profiles)" -- "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-attempts)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-mode)
                    COMPREPLY=($(compgen -W "standard adaptive" -- "${cur}"))
                    return 0
                    ;;
                --account-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _s3cp -o nosort -o bashdefault -o default s3cp
else
    complete -F _s3cp -o bashdefault -o default s3cp
fi
