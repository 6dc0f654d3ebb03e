#!/usr/bin/python3
"""Interop check: `oex produce` / `oex consume` against the real openedx event-bus-redis 1.0 code.

What it does, against a redis-server it starts on a free 127.0.0.1 port in a temporary folder:

  control   upstream's producer (create_producer().send) writes events with real signal data (attrs
            objects built from `oex sample` payloads, for every bus event type), and upstream's own
            consumer (RedisEventConsumer's consume loop) reads them back. This checks the harness:
            if upstream cannot talk to itself here, nothing below means anything.
  a         `oex consume --json` reads the events upstream's producer wrote: same metadata (event
            type, id, source, sourcehost, time, minorversion, sourcelib) and the same data (what
            fastavro reads from the bytes upstream wrote), no error.
  b         `oex produce` writes the same payloads with the same kinds of metadata (given with
            --metadata FILE); the stream entries must be byte-identical, field by field and in
            order, to what upstream's producer writes for that metadata and data; and upstream's
            consumer must hand every event to a connected receiver with equal metadata,
            from_event_bus=True, and the data upstream gets when its own producer sent the payload.
  c         `oex produce --jsonl` (pipelined; metadata made by oex), once per event type with its
            payloads: every entry's fields in upstream's order, event_data byte-identical to upstream's
            serialization, id as oex printed it, metadata that upstream parses and writes back to the
            same bytes; and upstream's consumer hands each event to the receiver with that metadata
            and the data its own producer would give.
  d         the XADD command itself, as Redis MONITOR shows it, for one event with the same metadata
            and data: `oex produce` (default --maxlen) must send exactly upstream's (MAXLEN ~ 10000 *,
            fields in order), the stream name aside.
  e         one consumer group shared: two upstream consumers die holding a message each (pending),
            upstream's consumer loop in the same group handles the next 3, then `oex consume
            --claim-idle 1 --max N` takes the dead ones' messages over and handles the rest: each
            event handled once, nothing left pending.

Metadata varies over the events: times with and without a fraction, non-ASCII source and
sourcehost, a minorversion other than 0 and another sourcelib, so that every header's text form is
exercised.

Upstream code (never part of this repository): extracted at run time with `git archive` from bare
git mirrors (MIRRORS/<owner>+<name>/repo, the layout of the project's `fetch` tool) into a
temporary folder, with tests/data/avro/upstream_env.py:
  event-bus-redis 1.0.0  tag v1.0.0  8646176f29d206b9d05b64f70d1b98c059f40f06 (openedx/event-bus-redis)
  walrus          0.9.7  tag 0.9.7   206d8398d57870c1e4efe4c70af6dbb608b50aa0 (coleifer/walrus)
  openedx-events 11.2.0, fastavro 1.12.2, opaque-keys 4.0.0, ccx-keys 2.0.2: see upstream_env.py.
event-bus-redis 1.0's own requirements pin walrus 0.9.8 and redis-py 7.3.0: the walrus mirror ends
at 0.9.7 (the 5 commits after it leave walrus/containers.py and database.py alone) and Debian 12
has redis-py 4.3.4, so that is what runs here; the commands the stream code sends (XADD .. MAXLEN ~
N *, XGROUP CREATE, XREADGROUP, XPENDING, XAUTOCLAIM, XACK) are built by those two.
edx-django-utils (monitoring) and edx-toggles (SettingToggle) are replaced by small stand-ins
written below; the monitoring stand-in keeps every exception upstream records, and any recorded
exception is a failure (upstream's producer logs and swallows its errors). From Debian 12:
    apt-get install -y redis-server python3-django python3-redis python3-attr python3-stevedore \
        python3-bson python3-typing-extensions
Run with Debian's /usr/bin/python3 (3.11).

Usage:
    /usr/bin/python3 tests/interop/redis_interop.py [--oex build/oex] [--mirrors /work/.mirror]
        [--types T,T...] [--redis-server PATH] [-v]
Exit status: 0 every check passed; 1 a mismatch (each is printed); 2 a setup error (no oex
produce/consume, redis-server does not start, upstream fails to load); 77 skipped because the
upstream mirrors are absent (as in CI, where CTest reports the test as skipped).
"""
import argparse
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import (  # noqa: E402
    SKIP, STANDINS, Failures, Recorder,
    add_common_arguments, bus_types, check_consume_lines, compare_received, control_verdict,
    exit_status, free_port, missing_mirrors_message, oex_lacks_bus, part_verdict, produce_with_oex,
    recorded_exceptions, run_oex, upstream_cases, upstream_env, varied_metadata, write_case_files)

PREFIX = "interop"
FIELD_ORDER = [b"type", b"id", b"source", b"time", b"minorversion", b"sourcehost", b"sourcelib", b"event_data"]
REDIS_PINS = [
    ("openedx+event-bus-redis", "8646176f29d206b9d05b64f70d1b98c059f40f06", "edx-event-bus-redis", "1.0.0"),
    ("coleifer+walrus", "206d8398d57870c1e4efe4c70af6dbb608b50aa0", "walrus", "0.9.7"),
]

# ---------------------------------------------------------------------------------------------------
# redis-server in a temporary folder

class RedisServer:
    def __init__(self, binary, folder):
        self.binary = binary
        self.folder = folder
        self.port = None
        self.process = None

    def start(self):
        import redis
        for _ in range(5):  # another process may take the port between free_port() and the bind
            self.port = free_port()
            log = open(os.path.join(self.folder, "redis.log"), "w")
            self.process = subprocess.Popen(
                [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.folder,
                 "--save", "", "--appendonly", "no", "--daemonize", "no"],
                stdout=log, stderr=subprocess.STDOUT)
            client = redis.Redis(host="127.0.0.1", port=self.port)
            for _ in range(100):
                if self.process.poll() is not None:
                    break
                try:
                    client.ping()
                    return client
                except redis.exceptions.ConnectionError:
                    time.sleep(0.05)
            self.stop()
        raise RuntimeError(f"redis-server did not start; see {self.folder}/redis.log")

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# ---------------------------------------------------------------------------------------------------
# upstream consumer, bounded

def consume_upstream(env, topic, group, expected_count, idle_polls=3):
    """Run RedisEventConsumer's own loop until it has acknowledged expected_count messages or read
    nothing idle_polls times in a row. Returns (received events, exceptions upstream recorded, acks)."""
    from edx_event_bus_redis import RedisEventConsumer

    before = len(recorded_exceptions())
    consumer = RedisEventConsumer(topic, group, f"{group}-1", check_backlog=True)
    stream = consumer.consumer
    counts = {"acked": 0, "idle": 0}
    original_ack, original_read = stream.ack, stream.read

    def ack(*ids):
        result = original_ack(*ids)
        counts["acked"] += len(ids)
        if counts["acked"] >= expected_count:
            consumer._shut_down()
        return result

    def read(*args, **kwargs):
        result = original_read(*args, **kwargs)
        counts["idle"] = 0 if result else counts["idle"] + 1
        if counts["idle"] >= idle_polls:
            consumer._shut_down()
        return result

    stream.ack, stream.read = ack, read
    with Recorder(env, f"interop-{group}") as recorder:
        consumer.consume_indefinitely()
    return recorder.received, recorded_exceptions()[before:], counts["acked"]


def check_upstream_consumer(failures, where, env, topic, group, expected):
    """Upstream's consumer reads the stream; its receivers must get [(label, metadata, data)]."""
    received, errors, acked = consume_upstream(env, topic, group, len(expected))
    if errors:
        failures.add(where, f"upstream's consumer recorded errors: {errors!r}")
    if acked != len(expected):
        failures.add(where, f"upstream's consumer acknowledged {acked} messages, expected {len(expected)}")
    compare_received(failures, where, received, expected)
    return len(received)


# ---------------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="See the header of this file for what is checked and how.")
    add_common_arguments(parser)
    parser.add_argument("--redis-server", default=shutil.which("redis-server") or "redis-server")
    args = parser.parse_args()

    skip = missing_mirrors_message(args.mirrors, REDIS_PINS)
    if skip:
        print(skip)
        return SKIP
    lacking = None if args.upstream_only else oex_lacks_bus(args.oex)
    if lacking:
        print(f"setup: {lacking}", file=sys.stderr)
        return 2
    if not shutil.which(args.redis_server):
        print(f"setup: no redis-server ({args.redis_server}): apt-get install -y redis-server", file=sys.stderr)
        return 2

    folder = tempfile.mkdtemp(prefix="oex-redis-interop-")
    server = RedisServer(args.redis_server, folder)
    try:
        client = server.start()
        return run_checks(args, folder, server, client)
    except RuntimeError as error:
        print(f"setup: {error}", file=sys.stderr)
        return 2
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def run_checks(args, folder, server, client):
    settings = {
        "EVENT_BUS_REDIS_CONNECTION_URL": server.url,
        "EVENT_BUS_TOPIC_PREFIX": PREFIX,
        "EVENT_BUS_REDIS_CONSUMER_POLL_TIMEOUT": 1,
        "EVENT_BUS_REDIS_CONSUMER_POLL_FAILURE_SLEEP": 0.1,
    }
    env = upstream_env.load(args.mirrors, extra_pins=REDIS_PINS, standins=STANDINS, django_settings=settings)
    # Upstream logs every error it records with its traceback; the check reports them itself.
    logging.getLogger("edx_event_bus_redis").setLevel(logging.DEBUG if args.verbose else logging.CRITICAL)
    import redis
    import walrus
    import edx_event_bus_redis
    from edx_event_bus_redis import create_producer
    from edx_event_bus_redis.internal.message import RedisMessage
    from edx_event_bus_redis.internal.utils import get_metadata_from_headers
    from openedx_events.data import EventsMetadata

    for module, dist in ((edx_event_bus_redis, "edx-event-bus-redis"), (walrus, "walrus")):
        if not module.__file__.startswith(env["roots"][dist]):
            raise RuntimeError(f"{module.__name__} loaded from {module.__file__}, not from the pinned tree")
    if edx_event_bus_redis.__version__ != "1.0.0" or walrus.__version__ != "0.9.7":
        raise RuntimeError(f"unexpected versions {edx_event_bus_redis.__version__} / {walrus.__version__}")
    print(f"upstream: event-bus-redis {edx_event_bus_redis.__version__}, walrus {walrus.__version__}, "
          f"redis-py {redis.__version__}, openedx-events {env['versions']['openedx-events']}, "
          f"fastavro {env['versions']['fastavro']}; redis-server on 127.0.0.1:{server.port}")

    types = args.types.split(",") if args.types else bus_types(args.oex)
    cases, skipped = upstream_cases(env, args.oex, types)
    for line in skipped:
        print(f"note: left out {line}")
    print(f"{len(cases)} payloads of {len(types)} event types")
    failures = Failures()

    # --- control, and (a): upstream producer -> stream -> upstream consumer, and oex consume ----------
    producer = create_producer()
    topic_a = "up2oex"
    expected_a = []
    for index, case in enumerate(cases):
        md = varied_metadata(EventsMetadata, case["signal"], index)
        producer.send(signal=case["signal"], topic=topic_a, event_key_field="", event_data=case["data"],
                      event_metadata=md)
        expected_a.append((case, md))
    if recorded_exceptions():
        failures.add("upstream producer", f"recorded errors: {recorded_exceptions()!r}")
    entries = client.xrange(f"{PREFIX}-{topic_a}")
    if len(entries) != len(cases):
        failures.add("upstream producer", f"stream holds {len(entries)} entries, expected {len(cases)}")
    for (entry_id, fields), (case, md) in zip(entries, expected_a):
        if list(fields) != FIELD_ORDER:
            failures.add(f"upstream producer {case['label']}", f"fields {list(fields)}")
        if fields.get(b"event_data") != case["raw"]:
            failures.add(f"upstream producer {case['label']}", "event_data differs from serialize_event_data_to_bytes")
    if args.verbose and entries:
        print("first entry written by upstream's producer (XRANGE):", entries[0])

    got = check_upstream_consumer(failures, "control", env, topic_a, "upstream-control",
                                  [(c["label"], md, c["roundtrip"]) for c, md in expected_a])
    if not control_verdict(failures, got, len(cases)):
        return 1
    if args.upstream_only:
        return 0

    count_before = len(failures.items)
    command = ["consume", "--bus", server.url, "--prefix", PREFIX, "--topic", topic_a, "--group", "oex-reader",
               "--from", "beginning", "--max", str(len(cases)), "--idle", "20", "--json"]
    code, out, err = run_oex(args.oex, *command)
    if code != 0:
        failures.add("a: oex consume", f"exit {code}: {err.strip()[:1000]}")
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    check_consume_lines(failures, "a:", lines, expected_a, "entry_id", [e.decode() for e, _ in entries])
    for line in lines:
        if line.get("stream") != f"{PREFIX}-{topic_a}":
            failures.add("a:", f"stream {line.get('stream')!r} in {line.get('entry_id')}")
    part_verdict(failures, f"a: upstream producer -> oex {' '.join(command[:1] + command[7:])}", len(lines),
                 len(cases), count_before)

    # --- (b): oex produce -> stream -> upstream consumer ----------------------------------------------
    count_before = len(failures.items)
    topic_b = "oex2up"
    expected_b = produce_with_oex(failures, args.oex, folder, cases, topic_b,
                                  ["--bus", server.url, "--prefix", PREFIX])
    entries = client.xrange(f"{PREFIX}-{topic_b}")
    if len(entries) != len(expected_b):
        failures.add("b: stream", f"holds {len(entries)} entries, expected {len(expected_b)}")
    for (entry_id, fields), (case, md) in zip(entries, expected_b):
        where = f"b: {case['label']} entry {entry_id.decode()}"
        upstream_fields = RedisMessage(topic=f"{PREFIX}-{topic_b}", event_data=case["raw"],
                                       event_metadata=md).to_binary_dict()
        if list(fields) != list(upstream_fields):
            failures.add(where, f"field names {list(fields)}, upstream writes {list(upstream_fields)}")
        for name, value in upstream_fields.items():
            if fields.get(name) != value:
                failures.add(where, f"field {name.decode()}: {fields.get(name)!r}, upstream writes {value!r}")
    if args.verbose and entries:
        print("first entry written by oex produce (XRANGE):", entries[0])

    got = check_upstream_consumer(failures, "b:", env, topic_b, "upstream-reader",
                                  [(c["label"], md, c["roundtrip"]) for c, md in expected_b])
    part_verdict(failures, "b: oex produce --metadata FILE -> upstream consumer", got, len(cases), count_before)

    count_before = len(failures.items)
    expected_c = produce_jsonl_with_oex(failures, args.oex, folder, cases, "oex2up-jsonl",
                                        ["--bus", server.url, "--prefix", PREFIX])
    entries = client.xrange(f"{PREFIX}-oex2up-jsonl")
    if len(entries) != len(expected_c):
        failures.add("c: stream", f"holds {len(entries)} entries, expected {len(expected_c)}")
    expected = []
    for (entry_id, fields), (case, event_id) in zip(entries, expected_c):
        where = f"c: {case['label']} entry {entry_id.decode()}"
        if list(fields) != FIELD_ORDER:
            failures.add(where, f"field names {list(fields)}")
        if fields.get(b"event_data") != case["raw"]:
            failures.add(where, f"event_data {fields.get(b'event_data')!r}, upstream writes {case['raw']!r}")
        if fields.get(b"id") != event_id.encode() or fields.get(b"type") != case["signal"].event_type.encode():
            failures.add(where, f"id/type {fields.get(b'id')!r}/{fields.get(b'type')!r}, oex printed {event_id!r}")
        try:  # the metadata oex made itself: upstream's own parse of the fields must take it as it is
            md = get_metadata_from_headers(fields)
            if RedisMessage(topic="", event_data=b"", event_metadata=md).to_binary_dict() != {**fields, b"event_data": b""}:
                failures.add(where, f"upstream writes this metadata back differently: {fields!r}")
            expected.append((case["label"], md, case["roundtrip"]))
        except Exception as error:  # noqa: BLE001
            failures.add(where, f"upstream cannot parse the metadata fields: {error!r}")
    got = check_upstream_consumer(failures, "c:", env, "oex2up-jsonl", "upstream-reader", expected)
    part_verdict(failures, "c: oex produce --jsonl (one run per event type) -> upstream consumer", got,
                 len(cases), count_before)

    count_before = len(failures.items)
    case = cases[0]
    md = varied_metadata(EventsMetadata, case["signal"], 0)
    payload_file, metadata_file = write_case_files(folder, case, md)
    theirs = monitored_xadds(server, client, lambda: producer.send(
        signal=case["signal"], topic="xadd-upstream", event_key_field="", event_data=case["data"], event_metadata=md))
    ours = monitored_xadds(server, client, lambda: run_oex(
        args.oex, "produce", md.event_type, payload_file, "--topic", "xadd-oex", "--bus", server.url,
        "--prefix", PREFIX, "--metadata", metadata_file))
    ours = [[f"{PREFIX}-xadd-upstream" if arg == f"{PREFIX}-xadd-oex" else arg for arg in command] for command in ours]
    if len(theirs) != 1 or ours != theirs:
        failures.add("d: XADD", f"oex sends {ours}, upstream sends {theirs}")
    elif args.verbose:
        print("d: the XADD both send:", " ".join(theirs[0])[:300])
    part_verdict(failures, "d: the XADD command oex produce sends, as Redis MONITOR sees it, against upstream's",
                 len(ours), 1, count_before)

    count_before = len(failures.items)
    handled = share_group(failures, args.oex, env, server, client, producer, cases[:8])
    part_verdict(failures, "e: one group shared by dead upstream consumers, oex consume --claim-idle and "
                 "upstream's consumer", handled, min(8, len(cases)), count_before)
    return exit_status(failures, f"{len(cases)} events each way (and again with produce --jsonl), "
                                 f"metadata and data equal, the same XADD command, one group shared")


def share_group(failures, oex_binary, env, server, client, producer, cases):
    """Upstream's producer writes len(cases) events; in one consumer group, two consumers of
    upstream's read one message each and die without acknowledging it (the pending entries a killed
    event-bus-redis consumer leaves); upstream's consumer loop (same group) then handles the next 3;
    `oex consume --claim-idle 1 --max N` must take the two dead consumers' messages over and handle
    the rest. Every event handled exactly once, nothing left pending. Returns how many were handled."""
    from openedx_events.data import EventsMetadata

    topic, group = "shared", "shared-group"
    stream = f"{PREFIX}-{topic}"
    sent = []
    for index, case in enumerate(cases):
        md = varied_metadata(EventsMetadata, case["signal"], index)
        producer.send(signal=case["signal"], topic=topic, event_key_field="", event_data=case["data"],
                      event_metadata=md)
        sent.append((case, md))
    entry_ids = [e.decode() for e, _ in client.xrange(stream)]
    if len(entry_ids) != len(cases) or len(cases) < 6:
        failures.add("e: stream", f"holds {len(entry_ids)} entries, expected {len(cases)} (at least 6)")
        return 0
    client.xgroup_create(stream, group, id="0")
    for dead in ("upstream-crashed-1", "upstream-crashed-2"):  # XREADGROUP COUNT 1, as upstream's loop reads
        client.xreadgroup(group, dead, {stream: ">"}, count=1)

    got = check_upstream_consumer(failures, "e: upstream", env, topic, group,
                                  [(c["label"], md, c["roundtrip"]) for c, md in sent[2:5]])
    time.sleep(0.05)  # the dead consumers' messages idle for more than --claim-idle 1
    mine = entry_ids[:2] + entry_ids[5:]
    code, out, err = run_oex(oex_binary, "consume", "--bus", server.url, "--prefix", PREFIX, "--topic", topic,
                             "--group", group, "--consumer", "oex-a", "--claim-idle", "1", "--max", str(len(mine)),
                             "--idle", "20", "--json")
    if code != 0:
        failures.add("e: oex consume --claim-idle", f"exit {code}: {err.strip()[:500]}")
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    by_entry = {line.get("entry_id"): line for line in lines}
    if sorted(by_entry) != sorted(mine) or len(lines) != len(mine):
        failures.add("e: oex consume --claim-idle", f"handled entries {[line.get('entry_id') for line in lines]}, "
                                                    f"expected the 2 the dead consumers left and the last "
                                                    f"{len(mine) - 2}: {mine}")
    check_consume_lines(failures, "e: oex", [by_entry.get(e, {}) for e in mine], sent[:2] + sent[5:])
    pending = client.xpending(stream, group)["pending"]
    if pending:
        failures.add("e: group", f"{pending} entries left pending")
    return len(by_entry.keys() & set(mine)) + got


def monitored_xadds(server, client, action):
    """The XADD commands Redis receives while action() runs, each as its list of arguments (as
    MONITOR quotes them: every byte that is not printable ASCII escaped)."""
    import redis
    end = f"interop-monitor-end-{os.getpid()}"
    watcher = redis.Redis(host="127.0.0.1", port=server.port, socket_timeout=30)
    commands = []
    with watcher.monitor() as monitor:
        action()
        client.get(end)
        while True:
            line = monitor.connection.read_response()
            line = line.decode("latin-1") if isinstance(line, bytes) else line
            args = [re.sub(r'\\"', '"', a) for a in re.findall(r'"((?:[^"\\]|\\.)*)"', line)]
            if args[:2] == ["GET", end]:
                return commands
            if args and args[0].upper() == "XADD":
                commands.append(args)


def produce_jsonl_with_oex(failures, oex_binary, folder, cases, topic, bus_args):
    """`oex produce TYPE FILE --jsonl` once per event type, with that type's cases one a line;
    returns [(case, event id oex printed)] in the order sent."""
    by_type = {}
    for case in cases:
        by_type.setdefault(case["signal"].event_type, []).append(case)
    produced = []
    for event_type, group in by_type.items():
        path = os.path.join(folder, "payloads.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(case["payload"], ensure_ascii=False) + "\n" for case in group)
        code, out, err = run_oex(oex_binary, "produce", event_type, path, "--jsonl", "--topic", topic, *bus_args)
        printed = [line.split() for line in out.splitlines() if line.strip()]
        if code != 0 or len(printed) != len(group) or any(len(p) != 2 for p in printed):
            failures.add(f"c: oex produce --jsonl {event_type}", f"exit {code}, printed {out[:300]!r}: {err.strip()[:300]}")
            continue
        produced += [(case, event_id) for case, (_, event_id) in zip(group, printed)]
    return produced


if __name__ == "__main__":
    sys.exit(main())
