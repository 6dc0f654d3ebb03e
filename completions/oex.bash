# bash completion for oex. Event types come from `oex list --names`.
_oex()
{
    local cur prev cmd i
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    local commands="list show metadata schema encode decode compat"
    local global_opts="--help --version --defs"

    cmd=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            --defs) ((i++)) ;;
            -*) ;;
            *) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done

    case $prev in
        --defs|--out|--against)
            COMPREPLY=($(compgen -d -- "$cur")); return ;;
        -o|--output|--writer-schema|--old|--new)
            COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --direction)
            COMPREPLY=($(compgen -W "backward forward full" -- "$cur")); return ;;
        --format)
            COMPREPLY=($(compgen -W "avro" -- "$cur")); return ;;
        --subdomain)
            COMPREPLY=($(compgen -W "analytics authz content_authoring enterprise learning" -- "$cur")); return ;;
        --time|--id|--source|--sourcehost|--sourcelib|--minorversion|--count)
            return ;;
    esac

    if [[ -z $cmd ]]; then
        COMPREPLY=($(compgen -W "$commands $global_opts" -- "$cur"))
        return
    fi

    local opts
    case $cmd in
        list) opts="--subdomain --bus-only --names --json --help" ;;
        show) opts="--json --help" ;;
        metadata) opts="--time --id --source --sourcehost --sourcelib --minorversion --count --help" ;;
        schema) opts="--all --format --out --help" ;;
        encode) opts="--hex -o --output --help" ;;
        decode) opts="--hex --writer-schema --json --help" ;;
        compat) opts="--old --new --against --direction --json --help" ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    elif [[ $cmd != list ]]; then
        local types
        types=$("${COMP_WORDS[0]}" list --names 2>/dev/null)
        COMPREPLY=($(compgen -W "$types" -- "$cur"))
    fi
}
complete -F _oex oex
