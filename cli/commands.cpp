#include "commands.hpp"

namespace oex::cli {

std::span<const Command> commands()
{
  static const Command k_commands[] = {
    {"list", "List event types (all, or those matching a glob)",
     "List the event types of the catalog. PATTERN is a shell glob on the event type, e.g.\n"
     "'*.enrollment.*'. The default is a table: the event type, AVRO (whether oex can make\n"
     "its Avro schema: oex schema, the event bus), WARNING (whether openedx-events warns about\n"
     "it; oex show prints the warning) and the data; on a terminal it fits the width (COLUMNS,\n"
     "else the terminal's). --names prints one event type a line, --json an array with\n"
     "everything about each event.",
     add_list_command},
    {"show", "Show an event type: annotations and its data as a tree",
     "Show an event type: its annotations, then every field of its data with its type and\n"
     "whether it is required, optional (may be null or absent) or has a default. Nested data\n"
     "classes are expanded.",
     add_show_command},
    {"metadata", "Generate event metadata as openedx-events does",
     "Print event metadata (OEP-41) for TYPE as openedx-events' EventsMetadata.to_json() does,\n"
     "one JSON object a line: id (uuid1), event_type, minorversion, source\n"
     "(openedx/<EVENTS_SERVICE_NAME or SERVICE_VARIANT or SERVICE_NAME_UNSET>/web), sourcehost\n"
     "(the host name), time (UTC, isoformat) and sourcelib (the catalog's version).",
     add_metadata_command},
    {"schema", "Print or write an event's Avro schema, identical to upstream",
     "Print the Avro schema of TYPE exactly as openedx-events generates it (same key order,\n"
     "json.dumps(indent=2) layout), or with --all --out DIR write\n"
     "<event type with '.' as '+'>_schema.avsc for every event that can go on the event bus.\n"
     "--format json-schema gives the payload's JSON Schema (draft 2020-12) instead, the rules\n"
     "of oex validate for other tools (files TYPE.schema.json with --out).",
     add_schema_command},
    {"validate", "Check payloads against an event type and report every problem",
     "Check payload documents (JSON objects holding the event's data keys, as upstream's\n"
     "to_dict() makes them) and print every finding as FILE:LINE:COL: PATH: MESSAGE. A value is\n"
     "valid when openedx-events could rebuild its data classes from it and put it on the bus:\n"
     "types, required and optional fields, datetimes Python's fromisoformat accepts, UUIDs, and\n"
     "opaque keys by the opaque-keys grammars. Malformed JSON outside --jsonl is an input error.",
     add_validate_command},
    {"sample", "Generate valid payloads with realistic values",
     "Print a valid payload for TYPE with realistic values (keys that parse, UTC times, emails\n"
     "that look like emails). The same --seed gives the same payload; --set PATH=VALUE changes a\n"
     "value, parsed by the field's type; --minimal leaves out every field that may be absent;\n"
     "--count N prints N payloads as JSON Lines; --envelope adds metadata.",
     add_sample_command},
    {"send", "Fire an event at receiver plugins and exec receivers, and report each result",
     "Check PAYLOAD (findings as oex validate prints them, exit 1, nothing sent), make metadata\n"
     "as send_event does (or take --metadata: receivers then see from_event_bus true), and call\n"
     "every receiver listening to TYPE in order: plugins (--plugin, OEX_PLUGIN_PATH) then\n"
     "--receiver exec:COMMAND. Each receiver's response or error is reported with its duration.\n"
     "Plugins run isolated, in one worker process per plugin kept across events: a crash,\n"
     "abort, exit or hang (past --timeout) is that receiver's error, the others still run and\n"
     "the next event gets a fresh worker; what a receiver left running when it returns is\n"
     "killed. What a receiver prints is its output, and at most --max-response bytes of each\n"
     "answer and output are kept. Text output escapes control characters; --json prints one\n"
     "JSON document in every outcome.\n"
     "--envelope reads what sample --envelope writes. Exit status: 0 every receiver ok, 1\n"
     "invalid payload or a receiver failed, 2 usage or load error.",
     add_send_command},
    {"plugins", "List receiver plugins, what they listen to, and any that failed to load",
     "Load the plugins named by --plugin and those in the OEX_PLUGIN_PATH folders (*.so) and\n"
     "list each with its receivers (plugin:receiver), the event types they listen to and what\n"
     "it printed while loading, then the plugins that failed to load and why. A file is loaded\n"
     "once, however it is named.",
     add_plugins_command},
    {"completion", "Print the shell completion script for bash, zsh or fish",
     "Print the completion script for SHELL, made from the commands and options of this oex\n"
     "(completions/ holds the same scripts). json prints the command tree they are made from.",
     add_completion_command, true},
    {"encode", "Write a payload as the Avro bytes openedx-events puts on the event bus",
     "Check PAYLOAD (findings as oex validate prints them, exit 1, nothing written), then write\n"
     "the schemaless Avro binary of TYPE's CloudEvent record exactly as openedx-events'\n"
     "serialize_event_data_to_bytes (fastavro) writes it: absent fields as their defaults,\n"
     "datetimes as Python's isoformat(), map entries in key order. Raw bytes go to stdout (never\n"
     "to a terminal), --hex prints hex, -o writes a file.",
     add_encode_command},
    {"decode", "Read Avro bytes from the event bus back into a payload",
     "Read schemaless Avro bytes of TYPE (--hex: as hex text) and print the payload as one line\n"
     "of JSON, in the form oex validate takes. --writer-schema: the bytes were written with\n"
     "another (older or newer) schema; they are resolved into TYPE's current schema by the\n"
     "Avro specification's rules. Bad bytes are one line FILE: byte N: PATH: PROBLEM, exit 1.",
     add_decode_command},
    {"compat", "Check that a schema change keeps producers and consumers compatible",
     "Compare two Avro schemas (--old, --new) or every bus event of the catalog with the\n"
     "schemas stored in --against DIR, by the Avro specification's resolution rules: backward\n"
     "(new readers read old data), forward (old readers read new data) or full (both, the\n"
     "default). Every incompatibility is printed with its path and reason. Exit status: 0\n"
     "compatible, 1 incompatible, 2 usage error or a bad schema.",
     add_compat_command},
    {"produce", "Put events on the event bus (Redis Streams or Kafka), as upstream's producers do",
     "Check PAYLOAD (findings as oex validate prints them, exit 1, nothing sent), make metadata\n"
     "as send does (--time, --id, or --metadata FILE), encode the data as Avro and XADD it to\n"
     "the stream PREFIX-TOPIC with the fields event-bus-redis 1.0 writes (type, id, source,\n"
     "time, minorversion, sourcehost, sourcelib, event_data), MAXLEN ~ N. Prints the entry id\n"
     "and the event id. --jsonl: one payload a line, all checked before any is sent, then sent\n"
     "pipelined. --config FILE instead of --topic: to every enabled topic the producer\n"
     "configuration (as oex check-config reads it) gives for TYPE, the same event to each (errors\n"
     "in it: exit 1, nothing sent; no enabled topic for TYPE: exit 2).\n"
     "A failure of Redis (cannot connect, authentication, wrong type at the key, out\n"
     "of memory) is an error, exit 2. Environment: EVENT_BUS_REDIS_CONNECTION_URL,\n"
     "EVENT_BUS_TOPIC_PREFIX, EVENT_BUS_REDIS_STREAM_MAX_LEN. On Kafka (--bus kafka://...\n"
     "or EVENT_BUS_KAFKA_BOOTSTRAP_SERVERS) it writes what event-bus-kafka 6.1 writes (framed\n"
     "Avro value and key, ce_* headers) and waits for every delivery report.",
     add_produce_command},
    {"consume", "Read events from the event bus in a consumer group and run receivers on them",
     "Read the stream PREFIX-TOPIC in consumer group GROUP as event-bus-redis does (on Kafka,\n"
     "as event-bus-kafka does, committing offsets only after handling): this\n"
     "consumer's own unacknowledged messages first, then (--claim-idle) those a dead consumer\n"
     "left, then new ones. Each message is decoded and dispatched to the receivers (send's\n"
     "options: --plugin, OEX_PLUGIN_PATH, --receiver exec:...) with its metadata, so receivers\n"
     "see from_event_bus true; without receivers it is printed. A message is acknowledged only\n"
     "after it was handled; bad messages are reported and never stop the consumer. SIGINT or\n"
     "SIGTERM: finish the message in hand, acknowledge it, exit. --no-group reads without a\n"
     "group instead (Kafka: every partition, as kcat -C; Redis: XREAD), from --from, and\n"
     "acknowledges nothing. Exit status: 0 all handled, 1 some messages were bad or receivers\n"
     "failed, 2 usage or bus error.",
     add_consume_command},
    {"bus", "Look at the event bus: oex bus info",
     "oex bus info [--topic TOPIC] [--json]: the streams (Kafka: topics) under the prefix with their length,\n"
     "first and last entry, consumer groups with their consumers, pending counts, idle times\n"
     "and lag.",
     add_bus_command},
    {"docs", "Write the catalog as a static site to browse, search and link to",
     "Write a static site into --out DIR that works opened from disk (file://) or from any\n"
     "static host, with nothing loaded from the network: index.html lists every event type by\n"
     "subdomain with a search box (type, variable name, data class, field); a page per event\n"
     "(annotations, the data as a tree, a sample payload, example metadata, the Avro schema\n"
     "and JSON Schema, the commands to sample, validate and send it) and per data class (its\n"
     "fields, the events that use it). --against SCHEMAS_DIR adds each event's compatibility\n"
     "with its stored Avro schema (as oex compat --against) and lists the changes. The same\n"
     "catalog gives the same bytes. Prints the path of index.html. --format eventcatalog\n"
     "writes the same content as an EventCatalog project folder instead.",
     add_docs_command},
    {"lint", "Check event definitions: naming, key fields, data classes, the bus",
     "Lint the event definitions: the built-in catalog, or with --defs (or OEX_DEFS_PATH) only\n"
     "those files (--builtin adds the built-in catalog). Each finding is\n"
     "FILE:LINE:COL: SEVERITY: MESSAGE [RULE]. Errors: defs (the file's form), unknown-class,\n"
     "required-cycle, minor-version, event-type-name (org.openedx.<subdomain>.<subject>.\n"
     "<action>.v<N>), avro-name, subdomain, data-key, key-field. Warnings: bus-type,\n"
     "bus-warning, unused-class, description, trigger-repository. Exit status: 0 no errors,\n"
     "1 errors (or, with --strict, warnings), 2 usage error.",
     add_lint_command},
    {"check-config", "Check an event bus producer configuration (EVENT_BUS_PRODUCER_CONFIG)",
     "Check FILE, openedx-events' EVENT_BUS_PRODUCER_CONFIG as JSON:\n"
     "{\"<event type>\": {\"<topic>\": {\"event_key_field\": \"a.b\", \"enabled\": true}}}.\n"
     "Findings, each FILE:LINE:COL: SEVERITY: MESSAGE [RULE]: unknown event types (with the\n"
     "closest one), events that cannot go on the bus, key fields that do not resolve to a\n"
     "string or integer, enabled not a boolean, missing or unknown keys, topic names Kafka\n"
     "refuses, a topic two events share with different key fields. Exit status: 0 no errors,\n"
     "1 errors (or, with --strict, warnings), 2 usage error or unreadable file.",
     add_check_config_command},
  };
  return k_commands;
}

} // namespace oex::cli
