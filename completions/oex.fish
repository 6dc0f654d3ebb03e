# fish completion for oex. Event types come from `oex list --names`.
set -l oex_commands list show metadata schema

complete -c oex -f
complete -c oex -n "not __fish_seen_subcommand_from $oex_commands" -l help -d 'Show help'
complete -c oex -n "not __fish_seen_subcommand_from $oex_commands" -l version -d 'Show version'
complete -c oex -n "not __fish_seen_subcommand_from $oex_commands" -l defs -r -F -d 'Add event definitions from DIR'

complete -c oex -n "not __fish_seen_subcommand_from $oex_commands" -a list -d 'List event types'
complete -c oex -n "not __fish_seen_subcommand_from $oex_commands" -a show -d 'Show an event type and its data'
complete -c oex -n "not __fish_seen_subcommand_from $oex_commands" -a metadata -d 'Generate event metadata'
complete -c oex -n "not __fish_seen_subcommand_from $oex_commands" -a schema -d 'Avro schemas identical to upstream'

complete -c oex -n "__fish_seen_subcommand_from show metadata schema" -a "(oex list --names 2>/dev/null)"

complete -c oex -n "__fish_seen_subcommand_from list" -l subdomain -x -a "analytics authz content_authoring enterprise learning" -d 'Only this subdomain'
complete -c oex -n "__fish_seen_subcommand_from list" -l bus-only -d 'Only events that can go on the bus'
complete -c oex -n "__fish_seen_subcommand_from list" -l names -d 'One event type per line'
complete -c oex -n "__fish_seen_subcommand_from list show" -l json -d 'JSON output'

complete -c oex -n "__fish_seen_subcommand_from metadata" -l time -x -d 'Event time (UTC, ISO 8601)'
complete -c oex -n "__fish_seen_subcommand_from metadata" -l id -x -d 'Event id (UUID)'
complete -c oex -n "__fish_seen_subcommand_from metadata" -l source -x -d 'Source'
complete -c oex -n "__fish_seen_subcommand_from metadata" -l sourcehost -x -d 'Source host'
complete -c oex -n "__fish_seen_subcommand_from metadata" -l sourcelib -x -d 'Library version X.Y.Z'
complete -c oex -n "__fish_seen_subcommand_from metadata" -l minorversion -x -d 'Minor version'
complete -c oex -n "__fish_seen_subcommand_from metadata" -l count -x -d 'How many objects'

complete -c oex -n "__fish_seen_subcommand_from schema" -l all -d 'Every event that can go on the bus'
complete -c oex -n "__fish_seen_subcommand_from schema" -l format -x -a avro -d 'Schema format'
complete -c oex -n "__fish_seen_subcommand_from schema" -l out -r -F -d 'Output directory'
