# bash completion for otts                                  -*- shell-script -*-
# Install as /usr/share/bash-completion/completions/otts (or source it).
# Keep in step with cli/*.cpp: tests/blackbox/test_docs.sh checks that every long option of
# `otts <subcommand> --help` appears here.

_otts() {
    local cur prev words cword split=false
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion -s || return
    else
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
    fi

    local global_opts="--home --db --secret-file --previous-secret-file --leeway --endpoint --json
        -q --quiet -v --verbose --version -h --help"
    # Options that take a value (any subcommand); their value is never a subcommand.
    local valued=" --home --db --secret-file --previous-secret-file --leeway --ttl --user --difficulty
        --claim --expect --pow --nonce --prefix --threads --timeout --max-iterations --out --email
        --days --workspace-limit --seat-count --endpoint --license --pin --to
        --host --port --ws-port --fixed-pin --log-format --pow-difficulty --pow-ladder --cors-origin
        --store --dynamodb-endpoint --endpoint-url --views --passphrase-file --page --burn-token "
    valued=${valued//$'\n'/ }

    # The subcommand (and, for license, its subcommand) and positionals seen so far.
    local cmd="" sub="" npos=0 i w
    for ((i = 1; i < cword; i++)); do
        w=${words[i]}
        case $w in
            --*=*) ;;
            -*)
                [[ $valued == *" $w "* ]] && i=$((i + 1))
                ;;
            *)
                if [[ -z $cmd ]]; then
                    cmd=$w
                elif [[ ($cmd == license || $cmd == dynamodb || $cmd == secret) && -z $sub ]]; then
                    sub=$w
                else
                    npos=$((npos + 1))
                fi
                ;;
        esac
    done

    # Values of options.
    case $prev in
        --home)
            if declare -F _filedir >/dev/null 2>&1; then _filedir -d; else
                mapfile -t COMPREPLY < <(compgen -d -- "$cur"); fi
            return
            ;;
        --db | --secret-file | --previous-secret-file | --out | --license | --passphrase-file)
            if declare -F _filedir >/dev/null 2>&1; then _filedir; else
                mapfile -t COMPREPLY < <(compgen -f -- "$cur"); fi
            return
            ;;
        --expect)
            mapfile -t COMPREPLY < <(compgen -W "one-time create user license" -- "$cur")
            return
            ;;
        --log-format)
            mapfile -t COMPREPLY < <(compgen -W "text json" -- "$cur")
            return
            ;;
        --host | --port | --ws-port | --fixed-pin | --pow-difficulty | --pow-ladder | --cors-origin)
            return
            ;;
        --leeway | --ttl | --user | --difficulty | --claim | --pow | --nonce | --prefix | \
            --threads | --timeout | --max-iterations | --email | --days | --workspace-limit | \
            --seat-count | --endpoint | --pin | --to | --views | --page | --burn-token)
            return
            ;;
    esac
    [[ $split == true ]] && return

    local opts="" words_here=""
    case $cmd in
        "")
            words_here="issue verify decode solve-pow keygen license request-pin verify-pin outbox serve dynamodb secret"
            ;;
        issue)
            opts="--ttl --user --difficulty --claim"
            ((npos == 0)) && words_here="one-time create user"
            ;;
        verify)
            opts="--expect --pow --nonce --no-consume"
            ;;
        decode) ;;
        solve-pow)
            opts="--prefix --nonce --difficulty --threads --timeout --max-iterations --bench"
            ;;
        keygen)
            opts="--out"
            ((npos == 0)) && words_here="hs256 es256"
            ;;
        request-pin)
            opts="--license"
            ;;
        verify-pin)
            opts="--license --pin"
            ;;
        outbox)
            opts="--to --clear"
            ;;
        serve)
            opts="--host --port --ws-port --db --in-memory --fixed-pin --log-format --pow-difficulty
                --pow-ladder --rate-limits --cors-origin --threads --store --dynamodb-endpoint"
            ;;
        dynamodb)
            if [[ -z $sub ]]; then
                words_here="create-tables"
            elif [[ $sub == create-tables ]]; then
                opts="--endpoint-url"
            fi
            ;;
        secret)
            case $sub in
                "") words_here="create get burn" ;;
                create) opts="--ttl --views --passphrase-file --page" ;;
                get) opts="--passphrase-file" ;;
                burn) opts="--burn-token" ;;
            esac
            ;;
        license)
            if [[ -z $sub ]]; then
                words_here="create"
            elif [[ $sub == create ]]; then
                opts="--email --days --workspace-limit --seat-count"
            fi
            ;;
    esac

    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$opts $global_opts" -- "$cur")
    else
        mapfile -t COMPREPLY < <(compgen -W "$words_here" -- "$cur")
    fi
} &&
    complete -F _otts otts

# ex: filetype=sh
