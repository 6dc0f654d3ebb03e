#!/usr/bin/python3
"""Interop check: `oex produce` / `oex consume` on Kafka against the real openedx event-bus-kafka 6.1 code.

Against librdkafka's mock cluster (the project's kafka_mock_cluster helper) and the project's schema
registry test double (tests/tools/schema_registry.py), both started here on 127.0.0.1:

  control   upstream's producer (create_producer().send, then its flush) writes events with real
            signal data (attrs objects built from `oex sample` payloads, every bus event type) and
            upstream's own consumer (KafkaEventConsumer's consume loop) reads them back.
  a         `oex consume --json` reads what upstream's producer wrote: same metadata and data, no error.
  b         `oex produce --metadata FILE` writes the same payloads and metadata. Each message read raw
            must equal what upstream's producer writes for them: the headers (names, order, values),
            the value (0x00, the 4-byte schema id, the Avro), the key (0x00, the key schema's id, the
            Avro of the key field) and the partition (that of the same key in part a). Then upstream's
            consumer must hand every event to a receiver with equal metadata, from_event_bus=True and
            the data it gets when its own producer sent the payload.

Harness choices that change nothing on the wire (all within this script):
  - Debian 12's python3-confluent-kafka is 1.7, whose SerializationContext takes no `headers`
    argument (2.x does; event-bus-kafka 6.1 passes it). A subclass that accepts and keeps it replaces
    confluent_kafka.serialization.SerializationContext before event-bus-kafka is imported.
  - Upstream's consumer joins a new group with librdkafka's default auto.offset.reset (latest), so
    it would skip what was produced before it started; its Consumer class is replaced by a subclass
    that sets auto.offset.reset=earliest, counts commits (the loop stops once every expected message
    is committed) and idle polls after assignment (it also stops after a few empty polls).
  - Event keys: the event's key field from `oex list --json` (`key_field`), as an app would configure
    it; for the events without one, the first plain string field of the data (oex gets it with
    --key-field). An event whose key upstream cannot serialize is left out, with a note.

Upstream code (never part of this repository) is extracted at run time from bare git mirrors (see
tests/data/avro/upstream_env.py): event-bus-kafka 6.1.0, tag v6.1.0,
cc50e0cd0479de82b2db9e3b978fa5344302d151 (openedx/event-bus-kafka), plus openedx-events 11.2.0,
fastavro 1.12.2, opaque-keys, ccx-keys. From Debian 12:
    apt-get install -y python3-confluent-kafka python3-requests python3-django python3-attr \
        python3-stevedore python3-bson python3-typing-extensions
Run with Debian's /usr/bin/python3 (3.11).

Usage:
    /usr/bin/python3 tests/interop/kafka_interop.py [--oex build/oex] [--mock-cluster build/tools/kafka_mock_cluster]
        [--registry tests/tools/schema_registry.py] [--mirrors /work/.mirror] [--types T,T...] [--upstream-only] [-v]
Exit status: 0 every check passed; 1 a mismatch (each is printed); 2 a setup error; 77 skipped
because the upstream mirrors are absent.
"""
import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import (  # noqa: E402
    REPO, SKIP, STANDINS, Failures, Recorder,
    add_common_arguments, bus_types, check_consume_lines, compare_received, control_verdict,
    exit_status, missing_mirrors_message, oex_lacks_bus, part_verdict, produce_with_oex,
    recorded_exceptions, run_oex, upstream_cases, upstream_env, varied_metadata)

PREFIX = "interop"
KAFKA_PINS = [
    ("openedx+event-bus-kafka", "cc50e0cd0479de82b2db9e3b978fa5344302d151", "edx-event-bus-kafka", "6.1.0"),
]


class Helper:
    """A helper process that prints its address as its first line and runs until stdin closes."""

    def __init__(self, command, name):
        self.name = name
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.address = self.process.stdout.readline().strip()
        if not self.address:
            self.stop()
            raise RuntimeError(f"{name} did not start ({' '.join(command)})")

    def stop(self):
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=10)
            except (subprocess.TimeoutExpired, BrokenPipeError):
                self.process.kill()
                self.process.wait()


def adapt_confluent_kafka():
    """Let confluent-kafka 1.7's SerializationContext take the headers event-bus-kafka 6.1 passes."""
    import confluent_kafka.serialization as serialization

    base = serialization.SerializationContext

    class SerializationContext(base):
        def __init__(self, topic, field, headers=None):
            super().__init__(topic, field)
            self.headers = headers

    serialization.SerializationContext = SerializationContext


def counting_consumer_class(state):
    """A confluent_kafka.Consumer that reads a new group from the earliest offset and stops the loop
    of state["owner"] once state["expected"] messages are committed or it polls idle too often."""
    import confluent_kafka

    class CountingConsumer(confluent_kafka.Consumer):
        def __init__(self, config):
            super().__init__({**config, "auto.offset.reset": "earliest"})

        def commit(self, *args, **kwargs):
            result = super().commit(*args, **kwargs)
            state["committed"] += 1
            if state["committed"] >= state["expected"]:
                state["owner"]._shut_down()
            return result

        def poll(self, *args, **kwargs):
            message = super().poll(*args, **kwargs)
            if message is None and self.assignment():
                state["idle"] += 1
                if state["idle"] >= state["idle_limit"]:
                    state["owner"]._shut_down()
            elif message is not None:
                state["idle"] = 0
            state["polls"] += 1
            if state["polls"] >= state["poll_limit"]:
                state["owner"]._shut_down()
            return message

    return CountingConsumer


def consume_upstream(env, topic, group, expected):
    """Upstream's KafkaEventConsumer loop over topic; its receivers must get [(label, metadata, data)]."""
    import edx_event_bus_kafka.internal.consumer as upstream_consumer

    state = {"committed": 0, "idle": 0, "polls": 0, "expected": len(expected), "idle_limit": 5,
             "poll_limit": 120 + 5 * len(expected), "owner": None}
    original = upstream_consumer.Consumer
    upstream_consumer.Consumer = counting_consumer_class(state)
    try:
        before = len(recorded_exceptions())
        consumer = upstream_consumer.KafkaEventConsumer(topic, group)
        state["owner"] = consumer
        with Recorder(env, f"interop-{group}") as recorder:
            consumer.consume_indefinitely()
    finally:
        upstream_consumer.Consumer = original
    return recorder.received, recorded_exceptions()[before:], state["committed"]


def check_upstream_consumer(failures, where, env, topic, group, expected):
    received, errors, committed = consume_upstream(env, topic, group, expected)
    if errors:
        failures.add(where, f"upstream's consumer recorded errors: {errors!r}")
    if committed != len(expected):
        failures.add(where, f"upstream's consumer committed {committed} messages, expected {len(expected)}")
    compare_received(failures, where, received, expected)
    return len(received)


def read_raw(bootstrap, full_topic, count, timeout=60):
    """The topic's messages as they are on the wire, by (partition, offset)."""
    import confluent_kafka

    consumer = confluent_kafka.Consumer({"bootstrap.servers": bootstrap, "group.id": "interop-raw",
                                         "enable.auto.commit": False})
    try:
        metadata = consumer.list_topics(full_topic, timeout=10)
        partitions = sorted(metadata.topics[full_topic].partitions)
        consumer.assign([confluent_kafka.TopicPartition(full_topic, p, confluent_kafka.OFFSET_BEGINNING)
                         for p in partitions])
        messages = []
        deadline = time.monotonic() + timeout
        while len(messages) < count and time.monotonic() < deadline:
            message = consumer.poll(1.0)
            if message is None or message.error():
                continue
            messages.append({"partition": message.partition(), "offset": message.offset(),
                             "key": message.key(), "value": message.value(), "headers": message.headers() or []})
        return messages
    finally:
        consumer.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="See the header of this file for what is checked and how.")
    add_common_arguments(parser)
    parser.add_argument("--mock-cluster", default=os.path.join(REPO, "build", "tools", "kafka_mock_cluster"))
    parser.add_argument("--registry", default=os.path.join(REPO, "tests", "tools", "schema_registry.py"))
    args = parser.parse_args()

    skip = missing_mirrors_message(args.mirrors, KAFKA_PINS)
    if skip:
        print(skip)
        return SKIP
    for path in (args.mock_cluster, args.registry):
        if not os.path.isfile(path):
            print(f"setup: {path} not found (build the project; the Kafka test helpers)", file=sys.stderr)
            return 2
    lacking = None if args.upstream_only else oex_lacks_bus(args.oex)
    if lacking:
        print(f"setup: {lacking}", file=sys.stderr)
        return 2

    folder = tempfile.mkdtemp(prefix="oex-kafka-interop-")
    helpers = []
    try:
        helpers.append(Helper([args.mock_cluster], "kafka_mock_cluster"))
        helpers.append(Helper([sys.executable, args.registry, "--log", os.path.join(folder, "registry.log")],
                              "schema_registry.py"))
        return run_checks(args, folder, helpers[0].address, helpers[1].address)
    except RuntimeError as error:
        print(f"setup: {error}", file=sys.stderr)
        return 2
    finally:
        for helper in helpers:
            helper.stop()
        shutil.rmtree(folder, ignore_errors=True)


def run_checks(args, folder, bootstrap, registry):
    settings = {
        "EVENT_BUS_KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "EVENT_BUS_KAFKA_SCHEMA_REGISTRY_URL": registry,
        "EVENT_BUS_TOPIC_PREFIX": PREFIX,
        "EVENT_BUS_KAFKA_CONSUMER_POLL_TIMEOUT": 1.0,
        "EVENT_BUS_KAFKA_CONSUMER_POLL_FAILURE_SLEEP": 0.1,
    }
    env = upstream_env.load(args.mirrors, extra_pins=KAFKA_PINS, standins=STANDINS, django_settings=settings)
    # Upstream logs every error it records with its traceback; the check reports them itself.
    logging.getLogger("edx_event_bus_kafka").setLevel(logging.DEBUG if args.verbose else logging.CRITICAL)
    try:
        import confluent_kafka
        import confluent_kafka.schema_registry.avro  # noqa: F401 (event-bus-kafka silently disables itself without it)
    except ImportError as error:
        raise RuntimeError(f"confluent-kafka with its schema registry support does not import ({error}): "
                           "apt-get install -y python3-confluent-kafka python3-requests")
    adapt_confluent_kafka()
    import edx_event_bus_kafka
    from confluent_kafka.serialization import MessageField, SerializationContext
    from edx_event_bus_kafka import create_producer
    from edx_event_bus_kafka.internal.producer import extract_event_key, get_serializers
    from edx_event_bus_kafka.internal.utils import _get_headers_from_metadata
    from openedx_events.data import EventsMetadata

    if not edx_event_bus_kafka.__file__.startswith(env["roots"]["edx-event-bus-kafka"]):
        raise RuntimeError(f"event-bus-kafka loaded from {edx_event_bus_kafka.__file__}, not from the pinned tree")
    if edx_event_bus_kafka.__version__ != "6.1.0":
        raise RuntimeError(f"unexpected event-bus-kafka version {edx_event_bus_kafka.__version__}")
    print(f"upstream: event-bus-kafka {edx_event_bus_kafka.__version__}, confluent-kafka {confluent_kafka.version()[0]} "
          f"(librdkafka {confluent_kafka.libversion()[0]}), openedx-events {env['versions']['openedx-events']}, "
          f"fastavro {env['versions']['fastavro']}; mock cluster {bootstrap}, registry {registry}")

    types = args.types.split(",") if args.types else bus_types(args.oex)
    code, out, err = run_oex(args.oex, "list", "--json")
    if code != 0:
        raise RuntimeError(f"oex list --json: exit {code}: {err.strip()}")
    key_fields = {item["event_type"]: item["key_field"] for item in json.loads(out)}
    cases, skipped = upstream_cases(env, args.oex, types)
    failures = Failures()

    # --- control, and (a) ------------------------------------------------------------------------------
    producer = create_producer()
    topic_a = "up2oex"
    expected_a = []
    notes = set()
    for index, case in enumerate(cases):
        md = varied_metadata(EventsMetadata, case["signal"], index)
        fallback = first_string_field(env["serializer"].AvroSignalSerializer(case["signal"]).schema)
        key_field = key_fields[md.event_type] or fallback
        before = len(recorded_exceptions())
        producer.send(signal=case["signal"], topic=topic_a, event_key_field=key_field, event_data=case["data"],
                      event_metadata=md)
        if len(recorded_exceptions()) > before and key_field != fallback:
            notes.add(f"{md.event_type}: upstream cannot use the catalog's key field {key_field!r} "
                      f"({recorded_exceptions()[-1]}); used {fallback!r} (oex: --key-field)")
            del recorded_exceptions()[before:]
            key_field = fallback
            producer.send(signal=case["signal"], topic=topic_a, event_key_field=key_field,
                          event_data=case["data"], event_metadata=md)
        if len(recorded_exceptions()) > before:
            skipped.append(f"{case['label']}: upstream's producer refused it "
                           f"(key field {key_field!r}: {recorded_exceptions()[-1]!r})")
            del recorded_exceptions()[before:]
            continue
        case["key_field"] = key_field
        case["oex_args"] = [] if key_field == key_fields[md.event_type] else ["--key-field", key_field]
        expected_a.append((case, md))
    producer.prepare_for_shutdown()
    for line in sorted(notes):
        print(f"note: {line}")
    for line in skipped:
        print(f"note: left out {line}")
    print(f"{len(expected_a)} payloads of {len(types)} event types")
    if recorded_exceptions():
        failures.add("upstream producer", f"recorded errors: {recorded_exceptions()!r}")
    raw_a = read_raw(bootstrap, f"{PREFIX}-{topic_a}", len(expected_a))
    if len(raw_a) != len(expected_a):
        failures.add("upstream producer", f"the topic holds {len(raw_a)} messages, expected {len(expected_a)}")
    if args.verbose and raw_a:
        print("a message written by upstream's producer:", raw_a[0])
    # Kafka orders messages within a partition only: the comparisons go by event id.
    by_id = by_event_id(raw_a)

    got = check_upstream_consumer(failures, "control", env, topic_a, "upstream-control",
                                  [(c["label"], md, c["roundtrip"]) for c, md in expected_a])
    if not control_verdict(failures, got, len(expected_a)):
        return 1
    if args.upstream_only:
        return 0

    count_before = len(failures.items)
    command = ["consume", "--bus", f"kafka://{bootstrap}", "--registry", registry, "--prefix", PREFIX,
               "--topic", topic_a, "--group", "oex-reader", "--from", "beginning", "--max", str(len(expected_a)),
               "--idle", "30", "--json"]
    code, out, err = run_oex(args.oex, *command)
    if code != 0:
        failures.add("a: oex consume", f"exit {code}: {err.strip()[:1000]}")
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    by_event = {(line.get("metadata") or {}).get("id"): line for line in lines}
    ordered = [by_event.get(str(md.id), {"error": "not printed by oex consume"}) for _, md in expected_a]
    if len(lines) != len(expected_a):
        failures.add("a: oex consume", f"printed {len(lines)} messages, expected {len(expected_a)}")
    check_consume_lines(failures, "a:", ordered, expected_a)
    part_verdict(failures, f"a: upstream producer -> oex {' '.join(command[:1] + command[9:])}", len(lines),
                 len(expected_a), count_before)

    # --- (b) -------------------------------------------------------------------------------------------
    count_before = len(failures.items)
    topic_b = "oex2up"
    expected_b = produce_with_oex(failures, args.oex, folder, [c for c, _ in expected_a], topic_b,
                                  ["--bus", f"kafka://{bootstrap}", "--registry", registry, "--prefix", PREFIX])
    raw_b = read_raw(bootstrap, f"{PREFIX}-{topic_b}", len(expected_b))
    if len(raw_b) != len(expected_b):
        failures.add("b: topic", f"holds {len(raw_b)} messages, expected {len(expected_b)}")
    if args.verbose and raw_b:
        print("a message written by oex produce:", raw_b[0])
    oex_by_id = by_event_id(raw_b)
    full_b = f"{PREFIX}-{topic_b}"
    partitions_compared = 0
    for (case, md), (_, md_a) in zip(expected_b, expected_a):
        where = f"b: {case['label']}"
        message = oex_by_id.get(str(md.id))
        if message is None:
            failures.add(where, f"no message with ce_id {md.id}")
            continue
        # What upstream's producer writes for this metadata and data (serializers registered after oex's run).
        headers = _get_headers_from_metadata(md)
        key_serializer, value_serializer = get_serializers(case["signal"], case["key_field"])
        key = key_serializer(extract_event_key(case["data"], case["key_field"]),
                             SerializationContext(full_b, MessageField.KEY, headers))
        value = value_serializer(case["data"], SerializationContext(full_b, MessageField.VALUE, headers))
        if message["headers"] != list(headers.items()):  # upstream passes a dict: its order is the wire order
            failures.add(where, f"headers {message['headers']!r}, upstream writes {list(headers.items())!r}")
        if message["value"] != value:
            failures.add(where, f"value {describe(message['value'])}, upstream writes {describe(value)}")
        if message["key"] != key:
            failures.add(where, f"key {describe(message['key'])}, upstream writes {describe(key)}")
        upstream_message = by_id.get(str(md_a.id))
        if upstream_message and upstream_message["key"] == key:
            partitions_compared += 1
            if upstream_message["partition"] != message["partition"]:
                failures.add(where, f"partition {message['partition']}, upstream's producer put the same key "
                                    f"in partition {upstream_message['partition']}")
    print(f"b: raw messages of oex produce against what upstream's producer writes for the same metadata and data: "
          f"{len(expected_b)} compared (headers, key, value), {partitions_compared} partitions compared "
          f"{'OK' if len(failures.items) == count_before else 'FAILED'}")

    got = check_upstream_consumer(failures, "b:", env, topic_b, "upstream-reader",
                                  [(c["label"], md, c["roundtrip"]) for c, md in expected_b])
    part_verdict(failures, "b: oex produce --metadata FILE -> upstream consumer", got, len(expected_b), count_before)
    return exit_status(failures, f"{len(expected_a)} events each way, metadata and data equal, raw messages equal")


def by_event_id(messages):
    """Raw messages by the value of their ce_id header (None when they have none)."""
    return {next((v.decode() for k, v in m["headers"] if k == "ce_id"), None): m for m in messages}


def first_string_field(schema, path=()):
    """The dotted path of the first field whose type is a plain string, depth first (a key field for
    the events whose catalog entry names none; oex then gets it with --key-field)."""
    for field in schema.get("fields", []):
        if field["type"] == "string":
            return ".".join(path + (field["name"],))
        if isinstance(field["type"], dict) and field["type"].get("type") == "record":
            found = first_string_field(field["type"], path + (field["name"],))
            if found:
                return found
    return None


def describe(data):
    if data is None:
        return "None"
    return f"{len(data)} bytes {data[:5].hex()}..{data[-8:].hex()}" if len(data) > 16 else data.hex()


if __name__ == "__main__":
    sys.exit(main())
