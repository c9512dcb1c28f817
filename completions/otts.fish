# fish completion for otts. Install as ~/.config/fish/completions/otts.fish or in
# $__fish_data_dir/vendor_completions.d/.
# Keep in step with cli/*.cpp: tests/blackbox/test_docs.sh checks that every long option of
# `otts <subcommand> --help` appears here.

function __otts_no_command
    set -l cmd (commandline -opc)
    set -e cmd[1]
    set -l skip 0
    for w in $cmd
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $w
            case --home --db --secret-file --previous-secret-file --leeway --endpoint
                set skip 1
            case '-*'
            case '*'
                return 1
        end
    end
    return 0
end

# true when the words after the command and its subcommand hold no positional yet
function __otts_needs_positional
    set -l cmd (commandline -opc)
    set -l seen 0
    set -l skip 0
    for w in $cmd[2..-1]
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $w
            case --home --db --secret-file --previous-secret-file --leeway --ttl --user \
                --difficulty --claim --expect --pow --nonce --prefix --threads --timeout \
                --max-iterations --out --email --days --workspace-limit --seat-count \
                --endpoint --license --pin --to --host --port --ws-port --fixed-pin \
                --log-format --pow-difficulty --pow-ladder --cors-origin
                set skip 1
            case '-*'
            case '*'
                set seen (math $seen + 1)
        end
    end
    test $seen -le 1
end

complete -c otts -f

# Global options (accepted before and after the subcommand)
complete -c otts -l home -r -a '(__fish_complete_directories)' -d 'Data home'
complete -c otts -l db -r -F -d 'SQLite file of the store'
complete -c otts -l secret-file -r -F -d 'HS256 secret file'
complete -c otts -l previous-secret-file -r -F -d 'Verify-only previous secret (rotation)'
complete -c otts -l leeway -x -d 'Clock leeway for exp/nbf/iat, e.g. 30s'
complete -c otts -l endpoint -x -d 'Talk to a running otts at this URL'
complete -c otts -l json -d 'Machine-readable JSON on stdout'
complete -c otts -s q -l quiet -d 'No diagnostics on stderr except errors'
complete -c otts -s v -l verbose -d 'More diagnostics'
complete -c otts -l version -d 'Print the version and exit'
complete -c otts -s h -l help -d 'Print help and exit'

# Subcommands
complete -c otts -n __otts_no_command -a issue -d 'Issue a token: one-time (default), create or user'
complete -c otts -n __otts_no_command -a verify -d 'Verify a token (and consume it if single-use)'
complete -c otts -n __otts_no_command -a decode -d 'Show header and claims without verifying them'
complete -c otts -n __otts_no_command -a solve-pow -d 'Solve the proof of work of a create token'
complete -c otts -n __otts_no_command -a keygen -d 'Generate an HS256 secret or an ES256 key pair'
complete -c otts -n __otts_no_command -a license -d 'Make licenses (ES256, base64 text)'
complete -c otts -n __otts_no_command -a request-pin -d 'Mail a sign-in PIN for a license'
complete -c otts -n __otts_no_command -a verify-pin -d 'Exchange license + PIN for tokens'
complete -c otts -n __otts_no_command -a outbox -d 'Show or clear the mail otts serve has sent'
complete -c otts -n __otts_no_command -a serve -d 'Run the local emulator (token HTTP APIs)'
complete -c otts -n __otts_no_command -a dynamodb -d 'Manage the DynamoDB tables of a deployment'
complete -c otts -n __otts_no_command -a secret -d 'End-to-end encrypted secrets (sealed.fyi)'

# issue [one-time|create|user]
set -l c '__fish_seen_subcommand_from issue'
complete -c otts -n "$c; and __otts_needs_positional" -a 'one-time create user' -d 'Token family'
complete -c otts -n $c -l ttl -x -d 'Lifetime: 300, 5m, 8h, 30d'
complete -c otts -n $c -l user -x -d 'User id (userId claim of a user token)'
complete -c otts -n $c -l difficulty -x -d 'PoW difficulty in bits of a create token'
complete -c otts -n $c -l claim -x -d 'Extra claim NAME=VALUE'

# verify [TOKEN|-]
set c '__fish_seen_subcommand_from verify'
complete -c otts -n $c -l expect -x -a 'one-time create user license' -d 'Require this family'
complete -c otts -n $c -l pow -x -d 'PoW solution that redeems a create token'
complete -c otts -n $c -l nonce -x -d 'Nonce sent with the solution'
complete -c otts -n $c -l no-consume -d 'Only check: leave single-use tokens unconsumed'

# solve-pow [TOKEN|-]
set c '__fish_seen_subcommand_from solve-pow'
complete -c otts -n $c -l prefix -x -d 'Challenge prefix (instead of a token)'
complete -c otts -n $c -l nonce -x -d 'Challenge nonce (instead of a token)'
complete -c otts -n $c -l difficulty -x -d 'Leading zero bits (instead of a token)'
complete -c otts -n $c -l threads -x -d 'Worker threads (default: every core)'
complete -c otts -n $c -l timeout -x -d 'Give up after this many seconds'
complete -c otts -n $c -l max-iterations -x -d 'Give up after this many hashes'
complete -c otts -n $c -l bench -d 'Measure hashes/s on an unsolvable challenge'

# keygen [hs256|es256]
set c '__fish_seen_subcommand_from keygen'
complete -c otts -n "$c; and __otts_needs_positional" -a 'hs256 es256' -d 'Key type'
complete -c otts -n $c -l out -r -F -d 'Write the key to this file (0600)'

# request-pin / verify-pin / outbox (against a running otts serve)
set c '__fish_seen_subcommand_from request-pin verify-pin'
complete -c otts -n $c -l license -r -F -d 'License file, or - for stdin'
complete -c otts -n '__fish_seen_subcommand_from verify-pin' -l pin -x -d 'The six-digit PIN from the mail'
set c '__fish_seen_subcommand_from outbox'
complete -c otts -n $c -l to -x -d 'Only mail to this address'
complete -c otts -n $c -l clear -d 'Delete every mail in the outbox'

# serve
set c '__fish_seen_subcommand_from serve'
complete -c otts -n $c -l host -x -d 'Address to listen on (default 127.0.0.1)'
complete -c otts -n $c -l port -x -d 'HTTP port (default 8080; 0 picks a free one)'
complete -c otts -n $c -l ws-port -x -d 'WebSocket port (default 8081)'
complete -c otts -n $c -l db -r -F -d 'SQLite file'
complete -c otts -n $c -l in-memory -d 'Keep everything in memory'
complete -c otts -n $c -l fixed-pin -x -d 'Mail this PIN (tests only)'
complete -c otts -n $c -l log-format -x -a 'text json' -d 'Access log format'
complete -c otts -n $c -l pow-difficulty -x -d 'PoW difficulty in bits (default 18)'
complete -c otts -n $c -l pow-ladder -x -d 'Difficulty by issuance rate, e.g. 10:18,30:20'
complete -c otts -n $c -l rate-limits -d "Apply the originals' rate limits"
complete -c otts -n $c -l cors-origin -x -d 'Allow this browser origin (repeatable)'
complete -c otts -n $c -l threads -x -d 'Requests handled at once (default: 2 per core, at least 4)'
complete -c otts -n $c -l store -x -a 'sqlite dynamodb' -d 'Backend (default sqlite)'
complete -c otts -n $c -l dynamodb-endpoint -x -d 'DynamoDB endpoint URL'

# dynamodb create-tables
set c '__fish_seen_subcommand_from dynamodb'
complete -c otts -n "$c; and not __fish_seen_subcommand_from create-tables" -a create-tables -d 'Create the tables otts uses, with TTL'
complete -c otts -n "$c; and __fish_seen_subcommand_from create-tables" -l endpoint-url -x -d 'DynamoDB endpoint URL'

# license create
set c '__fish_seen_subcommand_from license'
complete -c otts -n "$c; and not __fish_seen_subcommand_from create" -a create -d 'Sign a license for an email address'
set c '__fish_seen_subcommand_from license; and __fish_seen_subcommand_from create'
complete -c otts -n $c -l email -x -d "The licensee's email address"
complete -c otts -n $c -l days -x -d 'Validity in days (default 365)'
complete -c otts -n $c -l workspace-limit -x -d 'workspace_limit claim'
complete -c otts -n $c -l seat-count -x -d 'seat_count claim'

# secret create|get|burn
set c '__fish_seen_subcommand_from secret'
complete -c otts -n "$c; and not __fish_seen_subcommand_from create get burn" -a create -d 'Encrypt stdin and store it; prints the link'
complete -c otts -n "$c; and not __fish_seen_subcommand_from create get burn" -a get -d 'Fetch and decrypt a secret by its link'
complete -c otts -n "$c; and not __fish_seen_subcommand_from create get burn" -a burn -d 'Delete a secret early'
set c '__fish_seen_subcommand_from secret; and __fish_seen_subcommand_from create'
complete -c otts -n $c -l ttl -x -d 'Lifetime, 15m to 90d (default 24h)'
complete -c otts -n $c -l views -x -a '1 2 3 4 5' -d 'Reads before deletion (default 1)'
complete -c otts -n $c -l page -x -d 'The page the link opens'
set c '__fish_seen_subcommand_from secret; and __fish_seen_subcommand_from create get'
complete -c otts -n $c -l passphrase-file -r -F -d 'The passphrase, from this file'
set c '__fish_seen_subcommand_from secret; and __fish_seen_subcommand_from burn'
complete -c otts -n $c -l burn-token -x -d 'The burn token from create --json'
