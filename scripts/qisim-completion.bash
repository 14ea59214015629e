# bash completion for qisim (installed by make install): the commands, each command's options
# as its own --help lists them, metric names after --metric, levels after --level, files elsewhere.
_qisim() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} qisim=${COMP_WORDS[0]}
    local commands
    commands=$("$qisim" --help 2>/dev/null | awk '/^commands:/ { on = 1; next } on && /^$/ { on = 0 } on { print $1 }')
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$commands help --help --version" -- "$cur"))
        return
    fi
    local cmd=${COMP_WORDS[1]}
    if [ "$cmd" = help ]; then
        COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        return
    fi
    case $prev in
    --metric)
        COMPREPLY=($(compgen -W "$("$qisim" metrics 2>/dev/null | awk 'NR > 1 { print $1 }')" -- "$cur"))
        return ;;
    --level)
        COMPREPLY=($(compgen -W "team trust region system" -- "$cur"))
        return ;;
    --band)
        COMPREPLY=($(compgen -W "ci range none" -- "$cur"))
        return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$("$qisim" "$cmd" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _qisim qisim
