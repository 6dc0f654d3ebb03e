# fish completion for oex. Event types come from `oex list --names`.
set -l oex_commands list show metadata schema encode decode compat

complete -c oex -f
complete -c oex -n "not __fish_seen_subcommand_from $oex_commands" -l help -d 'Show help'
complete -c oex -n "not __fish_seen_subcommand_from $oex_commands" -l version -d 'Show version'
complete -c oex -n "not __fish_seen_subcommand_from $oex_commands" -l defs -r -F -d 'Add event definitions from DIR'

complete -c oex -n "not __fish_seen_subcommand_from $oex_commands" -a list -d 'List event types'
complete -c oex -n "not __fish_seen_subcommand_from $oex_commands" -a show -d 'Show an event type and its data'
complete -c oex -n "not __fish_seen_subcommand_from $oex_commands" -a metadata -d 'Generate event metadata'
complete -c oex -n "not __fish_seen_subcommand_from $oex_commands" -a schema -d 'Avro schemas identical to upstream'
complete -c oex -n "not __fish_seen_subcommand_from $oex_commands" -a encode -d 'Payload to Avro bytes'
complete -c oex -n "not __fish_seen_subcommand_from $oex_commands" -a decode -d 'Avro bytes to a payload'
complete -c oex -n "not __fish_seen_subcommand_from $oex_commands" -a compat -d 'Schema compatibility check'

complete -c oex -n "__fish_seen_subcommand_from show metadata schema encode decode compat" -a "(oex list --names 2>/dev/null)"

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

complete -c oex -n "__fish_seen_subcommand_from encode decode" -l hex -d 'Hex instead of raw bytes'
complete -c oex -n "__fish_seen_subcommand_from encode" -s o -l output -r -F -d 'Write the bytes to FILE'
complete -c oex -n "__fish_seen_subcommand_from decode" -l writer-schema -r -F -d 'Schema the bytes were written with'
complete -c oex -n "__fish_seen_subcommand_from decode compat" -l json -d 'JSON output'
complete -c oex -n "__fish_seen_subcommand_from compat" -l old -r -F -d 'Old schema (.avsc)'
complete -c oex -n "__fish_seen_subcommand_from compat" -l new -r -F -d 'New schema (.avsc)'
complete -c oex -n "__fish_seen_subcommand_from compat" -l against -r -F -d 'Folder of stored schemas'
complete -c oex -n "__fish_seen_subcommand_from compat" -l direction -x -a "backward forward full" -d 'Which way'
