"""What the interop scripts (redis_interop.py, kafka_interop.py) share: stand-ins for the helper
libraries the event-bus projects import, the payloads and metadata both directions send, a receiver
that records what upstream's consumer hands it, and the comparisons.

The stand-ins are our own few lines, not upstream code: edx-django-utils' monitoring (it keeps
every exception upstream records, so that a check can fail on an error upstream logs and swallows)
and edx-toggles' SettingToggle (reads the Django setting, else the default).
"""
import copy
import io
import json
import os
import socket
import subprocess
import sys
from datetime import datetime, timezone
from uuid import uuid1

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "data", "avro"))
import upstream_env  # noqa: E402,F401 (re-exported to the scripts)

SKIP = 77

STANDIN_MONITORING = '''"""Stand-in for edx_django_utils.monitoring: keeps what upstream records, so the check can see it."""
import contextlib
import sys

RECORDED_EXCEPTIONS = []
CUSTOM_ATTRIBUTES = {}


def record_exception():
    RECORDED_EXCEPTIONS.append(sys.exc_info()[1])


def set_custom_attribute(key, value):
    CUSTOM_ATTRIBUTES[key] = value


@contextlib.contextmanager
def function_trace(name):  # a context manager that also decorates, as the real one does
    yield
'''
STANDIN_TOGGLES = '''"""Stand-in for edx_toggles.toggles: a SettingToggle reads its Django setting, else its default."""
from django.conf import settings


class SettingToggle:
    def __init__(self, name, default=False, module_name=None):
        self.name = name
        self.default = default

    def is_enabled(self):
        return bool(getattr(settings, self.name, self.default))
'''
STANDINS = {
    "edx_django_utils/monitoring/__init__.py": STANDIN_MONITORING,
    "edx_toggles/__init__.py": "",
    "edx_toggles/toggles/__init__.py": STANDIN_TOGGLES,
}


def add_common_arguments(parser):
    parser.add_argument("--oex", default=os.environ.get("OEX", os.path.join(REPO, "build", "oex")),
                        help="the oex binary (default: $OEX, else build/oex)")
    parser.add_argument("--mirrors", default=os.environ.get("OEX_MIRRORS", upstream_env.DEFAULT_MIRRORS),
                        help="folder of the bare git mirrors (default: $OEX_MIRRORS, else %(default)s)")
    parser.add_argument("--types", help="comma-separated event types (default: every bus event type)")
    parser.add_argument("--upstream-only", action="store_true",
                        help="run only the control (upstream producer -> upstream consumer); oex only samples")
    parser.add_argument("-v", "--verbose", action="store_true", help="also print raw messages and upstream's logs")


def missing_mirrors_message(mirrors, pins):
    """None when every mirror is there, else the line that says why the check is skipped."""
    missing = upstream_env.mirrors_missing(mirrors, pins)
    if not missing:
        return None
    return (f"SKIP: upstream sources absent ({', '.join(missing)}); this check runs only where bare git "
            f"mirrors of the upstream projects exist (--mirrors, OEX_MIRRORS)")


def oex_lacks_bus(oex_binary):
    """None when oex has produce and consume, else why not."""
    for command in ("produce", "consume"):
        code, _, err = run_oex(oex_binary, command, "--help")
        if code != 0:
            return f"{oex_binary} {command} --help: exit {code}: {err.strip()[:300]}"
    return None


class Failures:
    def __init__(self):
        self.items = []

    def add(self, where, message):
        self.items.append(f"{where}: {message}")
        print(f"MISMATCH {where}: {message}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oex_environment():
    """This environment without the EVENT_BUS_* settings: oex gets its bus from the command line only,
    so that an operator's settings in the shell cannot change what is compared."""
    return {k: v for k, v in os.environ.items() if not k.startswith("EVENT_BUS_")}


def run_oex(binary, *args, timeout=300):
    run = subprocess.run([binary, *args], capture_output=True, text=True, timeout=timeout, env=oex_environment())
    return run.returncode, run.stdout, run.stderr


def bus_types(binary):
    code, out, err = run_oex(binary, "list", "--avro-only", "--names")
    if code != 0:
        raise RuntimeError(f"oex list: exit {code}: {err.strip()}")
    return out.split()


def sampled_payloads(binary, types):
    """(event type, case, payload): `oex sample` seed 0 and --minimal seed 1 for each type."""
    out = []
    for event_type in types:
        for case, flags in (("seed-0", ["--seed", "0"]), ("minimal-1", ["--minimal", "--seed", "1"])):
            code, text, err = run_oex(binary, "sample", event_type, *flags)
            if code != 0:
                raise RuntimeError(f"oex sample {event_type} {' '.join(flags)}: exit {code}: {err.strip()}")
            out.append((event_type, case, json.loads(text)))
    return out


def upstream_cases(env, oex_binary, types):
    """The sampled payloads upstream can serialize, each with its attrs data, upstream's bytes, what
    fastavro reads from them and what upstream's deserializer makes of them; and those left out."""
    from generate_cases import event_data
    from openedx_events.event_bus.avro.deserializer import deserialize_bytes_to_event_data

    Signal = env["OpenEdxPublicSignal"]
    serializer = env["serializer"]
    fastavro = env["fastavro"]
    cases = []
    skipped = []
    for event_type, case, payload in sampled_payloads(oex_binary, types):
        signal = Signal.get_signal_by_type(event_type)
        data = event_data(signal, payload)
        try:
            raw = serializer.serialize_event_data_to_bytes(data, signal)
        except Exception as error:  # noqa: BLE001 (an upstream limitation, reported, not hidden)
            skipped.append(f"{event_type} {case}: upstream cannot serialize it ({error!r})")
            continue
        schema = serializer.AvroSignalSerializer(signal).schema
        as_read = fastavro.schemaless_reader(io.BytesIO(raw), fastavro.parse_schema(copy.deepcopy(schema)))
        cases.append({"label": f"{event_type} {case}", "signal": signal, "payload": payload, "data": data,
                      "raw": raw, "as_read": as_read, "roundtrip": deserialize_bytes_to_event_data(raw, signal)})
    return cases, skipped


def varied_metadata(EventsMetadata, signal, index):
    """Metadata for the index-th event, cycling through text forms each header can take."""
    now = datetime.now(timezone.utc)
    kind = index % 4
    fields = dict(event_type=signal.event_type, id=uuid1(), minorversion=signal.minor_version,
                  source="openedx/interop/web", sourcehost="interop-host", sourcelib=(11, 2, 0))
    if kind == 0:
        fields["time"] = now.replace(microsecond=now.microsecond or 1)
    elif kind == 1:
        fields["time"] = now.replace(microsecond=0)  # isoformat without a fraction
    elif kind == 2:
        fields.update(time=now, source="openedx/lms-wörker/web", sourcehost="hôte-ü-\U0001F680")
    else:
        fields.update(time=now.replace(microsecond=120000), minorversion=7, sourcelib=(1, 10, 300))
    return EventsMetadata(**fields)


def metadata_json(md):
    """The metadata as `oex metadata` prints it (upstream's to_json_data with the sourcelib a list)."""
    data = md.to_json_data()
    data["sourcelib"] = list(data["sourcelib"])
    return data


def write_case_files(folder, case, md):
    """The payload and metadata files for `oex produce TYPE PAYLOAD --metadata FILE`; their paths."""
    payload_file = os.path.join(folder, "payload.json")
    metadata_file = os.path.join(folder, "metadata.json")
    with open(payload_file, "w", encoding="utf-8") as f:
        json.dump(case["payload"], f, ensure_ascii=False)
    with open(metadata_file, "w", encoding="utf-8") as f:
        json.dump(metadata_json(md), f, ensure_ascii=False)
    return payload_file, metadata_file


def produce_with_oex(failures, oex_binary, folder, cases, topic, bus_args):
    """`oex produce TYPE PAYLOAD --topic T --metadata FILE` for each case (a case's "oex_args" are
    added), with the metadata varied as upstream's side was; returns [(case, metadata)] produced."""
    from openedx_events.data import EventsMetadata

    produced = []
    for index, case in enumerate(cases):
        md = varied_metadata(EventsMetadata, case["signal"], index)
        payload_file, metadata_file = write_case_files(folder, case, md)
        code, _, err = run_oex(oex_binary, "produce", md.event_type, payload_file, "--topic", topic, *bus_args,
                               "--metadata", metadata_file, *case.get("oex_args", []))
        if code != 0:
            failures.add(f"b: oex produce {case['label']}", f"exit {code}: {err.strip()[:500]}")
            continue
        produced.append((case, md))
    return produced


def control_verdict(failures, got, total):
    """Print the control's result; False (and why) when upstream does not read its own events here."""
    ok = not failures.items
    print(f"control: upstream producer -> upstream consumer: {got}/{total} events {'OK' if ok else 'FAILED'}")
    if not ok:
        print("the harness itself fails; oex was not checked")
    return ok


def part_verdict(failures, name, got, total, count_before):
    """Print one part's result: OK when it added no failure to those counted before it."""
    ok = len(failures.items) == count_before
    print(f"{name}: {got}/{total} events {'OK' if ok else 'FAILED'}")


def exit_status(failures, ok_text):
    if failures.items:
        print(f"FAILED: {len(failures.items)} mismatches")
        return 1
    print(f"OK: {ok_text}")
    return 0


def recorded_exceptions():
    """The live list of exceptions upstream recorded through the monitoring stand-in."""
    from edx_django_utils import monitoring
    return monitoring.RECORDED_EXCEPTIONS


class Recorder:
    """A receiver connected to every signal that records what it gets, as a Django app's would."""

    def __init__(self, env, uid):
        self.env = env
        self.uid = uid
        self.received = []

    def __call__(self, sender, signal, **kwargs):
        self.received.append({
            "event_type": signal.event_type,
            "metadata": kwargs.get("metadata"),
            "from_event_bus": kwargs.get("from_event_bus"),
            "data": {key: kwargs.get(key) for key in signal.init_data},
        })

    def __enter__(self):
        for signal in self.env["OpenEdxPublicSignal"].all_events():
            signal.connect(self, weak=False, dispatch_uid=self.uid)
        return self

    def __exit__(self, *exc):
        for signal in self.env["OpenEdxPublicSignal"].all_events():
            signal.disconnect(self, dispatch_uid=self.uid)


def compare_received(failures, where, received, expected):
    """What upstream's receivers got against [(label, EventsMetadata, data of attrs objects)], matched
    by event id (a Kafka consumer meets partitions in no set order): each exactly once, nothing else."""
    by_id = {}
    for got in received:
        event_id = str(getattr(got["metadata"], "id", None))
        if event_id in by_id:
            failures.add(where, f"event {event_id} received twice")
        by_id[event_id] = got
    unknown = set(by_id) - {str(md.id) for _, md, _ in expected}
    if unknown:
        failures.add(where, f"receivers got events that were not sent: {sorted(unknown)}")
    for label, md, data in expected:
        got = by_id.get(str(md.id))
        if got is None:
            failures.add(f"{where} {label}", f"event {md.id} never reached the receivers")
            continue
        if got["event_type"] != md.event_type:
            failures.add(f"{where} {label}", f"signal {got['event_type']!r}, expected {md.event_type!r}")
            continue
        if got["from_event_bus"] is not True:
            failures.add(f"{where} {label}", f"from_event_bus is {got['from_event_bus']!r}, expected True")
        for name in ("event_type", "id", "source", "sourcehost", "time", "minorversion", "sourcelib"):
            mine, theirs = getattr(got["metadata"], name, None), getattr(md, name)
            if mine != theirs or type(mine) is not type(theirs):
                failures.add(f"{where} {label}", f"metadata {name}: got {mine!r}, expected {theirs!r}")
        if got["metadata"].time.isoformat() != md.time.isoformat():
            failures.add(f"{where} {label}", f"metadata time {got['metadata'].time.isoformat()!r}, "
                                             f"expected {md.time.isoformat()!r}")
        for key, value in data.items():
            if got["data"].get(key) != value:
                failures.add(f"{where} {label}", f"data {key}: got {got['data'].get(key)!r}, expected {value!r}")


def check_consume_lines(failures, where, lines, expected, place_key=None, place_values=()):
    """`oex consume --json` lines against [(case, EventsMetadata)] in order: no error, the message's
    place (when place_key is given, each line's value must equal place_values[i]), event type,
    metadata, data."""
    if len(lines) != len(expected):
        failures.add(where, f"printed {len(lines)} messages, expected {len(expected)}")
    for index, (line, (case, md)) in enumerate(zip(lines, expected)):
        label = f"{where} {case['label']}"
        if line.get("error") is not None:
            failures.add(label, f"error {line['error']!r}")
        if place_key is not None and line.get(place_key) != place_values[index]:
            failures.add(label, f"{place_key} {line.get(place_key)!r}, expected {place_values[index]!r}")
        if line.get("event_type") != md.event_type:
            failures.add(label, f"event_type {line.get('event_type')!r}, expected {md.event_type!r}")
        if line.get("metadata") != metadata_json(md):
            failures.add(label, f"metadata {line.get('metadata')!r}, expected {metadata_json(md)!r}")
        if json.dumps(line.get("data"), sort_keys=True) != json.dumps(case["as_read"], sort_keys=True):
            failures.add(label, f"data {json.dumps(line.get('data'))}, expected {json.dumps(case['as_read'])}")
