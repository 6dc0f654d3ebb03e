#!/usr/bin/python3
"""Make the Avro reference data (cases.jsonl, resolution_cases.jsonl) with the real upstream code.

Made with: openedx-events 11.2.0 (tag v11.2.0, b1d710af9f8b55e4c72c8540a8febc327d472e41),
fastavro 1.12.2 (tag 1.12.2, a937166d5bf217a8005f1047c817ced7794f231c, pure-Python modules),
edx-opaque-keys 4.0.0 (ae7f1353d84b4e82bcf395347d76c567821ddefd), edx-ccx-keys 2.0.2
(c3fe0b8c7b879cec87cb3942203435116bb53eee), Debian 12's python3 3.11 and python3-django 3.2.
See upstream_env.py for how the upstream code is loaded, and README.md for how to re-run this.

cases.jsonl: one line per (event type, case), sorted by event type then case name:
  {"event_type": T, "case": NAME, "payload": <payload as given>, "hex": <serialize_event_data_to_bytes>}
The attrs data objects are built from the payload values as given (not with upstream's from_dict,
which drops falsy values of fields that have a default); absent fields take their attrs default.

resolution_cases.jsonl: bytes written by fastavro with an older (writer) schema, and what fastavro's
schemaless_reader makes of them with the event's current schema as reader schema:
  {"event_type": T, "case": NAME, "writer_schema": F, "hex": ..., "expected": {...}}
F is a file name under ../shared/conformance/openedx-events-11.2.0/avro-schemas/ (the stored
baselines), or synthetic/NAME.avsc (beside this script) for the hand-made writer schemas.
"""
import argparse
import copy
import io
import json
import os
import subprocess
import sys
import typing
from datetime import datetime
from uuid import UUID

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, HERE)
import upstream_env  # noqa: E402
from edge_cases import EDGE_CASES, edit  # noqa: E402

SEEDS = range(4)
MINIMAL_SEEDS = range(2)


def oex(binary, *args, stdin=None):
    try:
        run = subprocess.run([binary, *args], input=stdin, capture_output=True, text=True)
    except OSError as error:
        sys.exit(f"cannot run {binary}: {error.strerror} (build oex first, or give --oex)")
    return run.returncode, run.stdout, run.stderr


def sample(binary, event_type, *flags):
    code, out, err = oex(binary, "sample", event_type, *flags)
    if code != 0:
        sys.exit(f"oex sample {event_type} {' '.join(flags)}: exit {code}: {err.strip()}")
    return json.loads(out)


def validate(binary, event_type, payload, case):
    code, out, err = oex(binary, "validate", event_type, "-", stdin=json.dumps(payload, ensure_ascii=False))
    if code != 0:
        sys.exit(f"{event_type} {case}: oex validate refused the payload (exit {code}):\n{out}{err}")


# ---------------------------------------------------------------------------------------------------
# payload JSON -> attrs objects, following each field's declared type, values as given

def build(tp, value, where):
    import attr
    from opaque_keys import OpaqueKey

    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin is list:
        (item,) = typing.get_args(tp)
        return [build(item, v, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        _, item = typing.get_args(tp)
        return {k: build(item, v, f"{where}.{k}") for k, v in value.items()}
    if attr.has(tp):
        fields = {a.name: a for a in attr.fields(tp)}
        unknown = set(value) - set(fields)
        if unknown:
            raise ValueError(f"{where}: fields not in {tp.__name__}: {sorted(unknown)}")
        kwargs = {}
        for name, a in fields.items():
            if name in value:
                kwargs[getattr(a, "alias", None) or name.lstrip("_")] = build(a.type, value[name], f"{where}.{name}")
        return tp(**kwargs)
    if tp is datetime:
        return datetime.fromisoformat(value)
    if tp is UUID:
        return UUID(value)
    if tp is float:
        return float(value)
    if tp in (str, int, bool):
        if type(value) is not tp:
            raise ValueError(f"{where}: {value!r} is not {tp.__name__}")
        return value
    if isinstance(tp, type) and issubclass(tp, OpaqueKey):
        return tp.from_string(value)
    raise ValueError(f"{where}: unsupported type {tp!r}")


def event_data(signal, payload):
    unknown = set(payload) - set(signal.init_data)
    if unknown:
        raise ValueError(f"{signal.event_type}: unknown top-level keys {sorted(unknown)}")
    return {key: build(tp, payload.get(key), key) for key, tp in signal.init_data.items()}


# ---------------------------------------------------------------------------------------------------
# checks

def canonical(value):
    """A text form that tells -0.0 from 0.0 and ignores the order of record fields (not of maps)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def encode(fastavro, schema, datum):
    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(copy.deepcopy(schema)), datum)
    return out.getvalue()


def decode(fastavro, writer, data, reader=None):
    stream = io.BytesIO(data)
    parsed_writer = fastavro.parse_schema(copy.deepcopy(writer))
    parsed_reader = fastavro.parse_schema(copy.deepcopy(reader)) if reader is not None else None
    value = fastavro.schemaless_reader(stream, parsed_writer, parsed_reader)
    if stream.tell() != len(data):
        raise ValueError(f"reader stopped at byte {stream.tell()} of {len(data)}")
    return value


def make_cases(env, binary):
    fastavro = env["fastavro"]
    serializer = env["serializer"]
    Signal = env["OpenEdxPublicSignal"]
    code, out, err = oex(binary, "list", "--bus-only", "--names")
    if code != 0:
        sys.exit(f"{binary} list --bus-only --names: exit {code}: {err.strip()}")
    bus_types = out.split()

    payloads = []  # (event type, case, payload)
    for event_type in bus_types:
        seen = []
        for seed in SEEDS:
            seen.append((f"seed-{seed}", sample(binary, event_type, "--seed", str(seed))))
        for seed in MINIMAL_SEEDS:
            seen.append((f"minimal-{seed}", sample(binary, event_type, "--minimal", "--seed", str(seed))))
        unique = []
        for case, payload in seen:
            if all(canonical(payload) != canonical(p) for _, p in unique):
                unique.append((case, payload))
        payloads += [(event_type, case, p) for case, p in unique]
    for event_type, case, seed, changes in EDGE_CASES:
        flags = ["--minimal", "--seed", seed.split("-")[1]] if str(seed).startswith("minimal-") else ["--seed", str(seed)]
        payloads.append((event_type, case, edit(sample(binary, event_type, *flags), changes)))

    lines = []
    failures = []
    for event_type, case, payload in sorted(payloads, key=lambda t: (t[0], t[1])):
        validate(binary, event_type, payload, case)
        signal = Signal.get_signal_by_type(event_type)
        data = event_data(signal, payload)
        try:
            raw = serializer.serialize_event_data_to_bytes(data, signal)
        except Exception as error:  # an upstream failure is a fact to record, not to hide
            failures.append({"event_type": event_type, "case": case, "payload": payload,
                             "upstream_error": repr(error)})
            continue
        # sanity: fastavro reads the bytes back to what upstream's to_dict gave it, to the last byte,
        # and writing what it read gives the same bytes (so map order is the order in the bytes)
        avro = serializer.AvroSignalSerializer(signal)
        back = decode(fastavro, avro.schema, raw)
        if canonical(back) != canonical(avro.to_dict(data)):
            raise ValueError(f"{event_type} {case}: read back differs from to_dict")
        if encode(fastavro, avro.schema, back) != raw:
            raise ValueError(f"{event_type} {case}: re-encoding what was read gives other bytes")
        lines.append({"event_type": event_type, "case": case, "payload": payload, "hex": raw.hex()})
    return bus_types, lines, failures


# ---------------------------------------------------------------------------------------------------
# resolution cases

def in_schema_order(value, schema, named):
    """Keep the record fields that the schema has, in its order; maps and arrays keep their order.
    Used to put fastavro's result in reader-schema order, and to adapt a to_dict result to an older
    writer schema (dropping the fields that schema lacks)."""
    if isinstance(schema, str):
        return in_schema_order(value, named[schema], named) if schema in named else value
    if isinstance(schema, list):
        if value is None:
            return None
        for branch in schema:
            if branch == "null":
                continue
            return in_schema_order(value, branch, named)
        return value
    kind = schema["type"]
    if kind == "record":
        named[schema["name"]] = schema
        return {f["name"]: in_schema_order(value[f["name"]], f["type"], named)
                for f in schema["fields"] if f["name"] in value}
    if kind == "array":
        return [in_schema_order(v, schema["items"], named) for v in value]
    if kind == "map":
        return {k: in_schema_order(v, schema["values"], named) for k, v in value.items()}
    return value


def with_bytes(value, schema, named):
    """JSON data for a synthetic writer schema -> fastavro's datum: strings become bytes where the
    schema says bytes (UTF-8) or fixed (one byte per code point, 0-255)."""
    if isinstance(schema, list):
        if isinstance(value, str) and "string" not in schema and "bytes" in schema:
            return value.encode("utf-8")
        for branch in schema:
            if isinstance(branch, (dict, str)) and branch not in ("null", "string", "bytes", "int", "long",
                                                                    "float", "double", "boolean"):
                if value is not None and not isinstance(value, (str, int, float, bool)):
                    return with_bytes(value, branch, named)
        return value
    if isinstance(schema, str):
        if schema in named:
            return with_bytes(value, named[schema], named)
        return value.encode("utf-8") if schema == "bytes" else value
    kind = schema["type"]
    if "name" in schema:
        named[schema["name"]] = schema
    if kind == "record":
        return {f["name"]: with_bytes(value[f["name"]], f["type"], named) for f in schema["fields"] if f["name"] in value}
    if kind == "array":
        return [with_bytes(v, schema["items"], named) for v in value]
    if kind == "map":
        return {k: with_bytes(v, schema["values"], named) for k, v in value.items()}
    if kind == "fixed":
        return value.encode("latin-1")
    return with_bytes(value, kind, named) if kind == "bytes" else value


def make_resolution_cases(env, binary, stored_dir, current_dir):
    fastavro = env["fastavro"]
    serializer = env["serializer"]
    Signal = env["OpenEdxPublicSignal"]
    lines = []
    differing = []
    for name in sorted(os.listdir(stored_dir)):
        stored = json.load(open(os.path.join(stored_dir, name)))
        current = json.load(open(os.path.join(current_dir, name)))
        if canonical(stored) != canonical(current):
            differing.append((name, stored, current))
    cases = []  # (event type, case, writer file, writer schema, reader schema, datum)
    for name, stored, current in differing:
        event_type = stored["namespace"]
        signal = Signal.get_signal_by_type(event_type)
        avro = serializer.AvroSignalSerializer(signal)
        if canonical(avro.schema) != canonical(current):
            raise ValueError(f"{name}: current schema file differs from upstream's schema_from_signal")
        flags = [(f"seed-{s}", ["--seed", str(s)]) for s in SEEDS]
        flags += [(f"minimal-{s}", ["--minimal", "--seed", str(s)]) for s in MINIMAL_SEEDS]
        for case, args in flags:
            payload = sample(binary, event_type, *args)
            validate(binary, event_type, payload, case)
            try:
                datum = in_schema_order(avro.to_dict(event_data(signal, payload)), copy.deepcopy(stored), {})
            except ValueError as error:  # see upstream_failures.jsonl
                print(f"resolution: skipped {event_type} {case}: upstream to_dict failed: {error!r}")
                continue
            cases.append((event_type, case, name, stored, current, datum))
        if event_type.endswith("discussions.configuration.changed.v1"):
            # the stored schema gives `enabled` a default (true): fastavro's writer uses it when
            # the datum has no `enabled`
            payload = sample(binary, event_type, "--seed", "0")
            datum = in_schema_order(avro.to_dict(event_data(signal, payload)), copy.deepcopy(stored), {})
            del datum["configuration"]["enabled"]
            cases.append((event_type, "writer-default-enabled", name, stored, current, datum))

    synthetic_dir = os.path.join(HERE, "synthetic")
    for synthetic in sorted(os.listdir(synthetic_dir)) if os.path.isdir(synthetic_dir) else []:
        if not synthetic.endswith(".avsc"):
            continue
        path = os.path.join(HERE, "synthetic", synthetic)
        writer = json.load(open(path))
        event_type = writer["namespace"]
        signal = Signal.get_signal_by_type(event_type)
        current = serializer.AvroSignalSerializer(signal).schema
        data_path = path[:-len(".avsc")] + ".data.json"
        for i, datum in enumerate(json.load(open(data_path, encoding="utf-8"))):
            datum = with_bytes(datum, copy.deepcopy(writer), {})
            cases.append((event_type, f"{synthetic[:-5]}-{i}", f"synthetic/{synthetic}", writer, current, datum))

    for event_type, case, writer_name, writer, reader, datum in cases:
        raw = encode(fastavro, writer, datum)
        own = decode(fastavro, writer, raw)  # reads to the last byte
        if writer_name.startswith("org+") and not case.startswith("writer-default") and canonical(own) != canonical(datum):
            raise ValueError(f"{event_type} {case}: writer schema does not read its own bytes back")
        expected = in_schema_order(decode(fastavro, writer, raw, reader), copy.deepcopy(reader), {})
        lines.append({"event_type": event_type, "case": case, "writer_schema": writer_name,
                      "hex": raw.hex(), "expected": expected})
    lines.sort(key=lambda line: (line["event_type"], line["writer_schema"], line["case"]))
    return [name for name, _, _ in differing], lines


def check(env, out, conformance):
    """Re-read the written files: every hex decodes, to its last byte, with the schema file of its type."""
    fastavro = env["fastavro"]
    serializer = env["serializer"]
    Signal = env["OpenEdxPublicSignal"]

    def schema_file(folder, event_type):
        return json.load(open(os.path.join(conformance, folder, event_type.replace(".", "+") + "_schema.avsc")))

    count = 0
    for line in map(json.loads, open(os.path.join(out, "cases.jsonl"), encoding="utf-8")):
        signal = Signal.get_signal_by_type(line["event_type"])
        want = serializer.AvroSignalSerializer(signal).to_dict(event_data(signal, line["payload"]))
        got = decode(fastavro, schema_file("current-avro-schemas", line["event_type"]), bytes.fromhex(line["hex"]))
        if canonical(got) != canonical(want):
            raise ValueError(f"check: {line['event_type']} {line['case']}: decodes to other values")
        count += 1
    for line in map(json.loads, open(os.path.join(out, "resolution_cases.jsonl"), encoding="utf-8")):
        if line["writer_schema"].startswith("synthetic/"):
            writer = json.load(open(os.path.join(HERE, line["writer_schema"])))
        else:
            writer = json.load(open(os.path.join(conformance, "avro-schemas", line["writer_schema"])))
        reader = schema_file("current-avro-schemas", line["event_type"])
        got = decode(fastavro, writer, bytes.fromhex(line["hex"]), reader)
        if canonical(got) != canonical(line["expected"]):
            raise ValueError(f"check: {line['event_type']} {line['case']}: resolves to other values")
        count += 1
    print(f"check: {count} lines decode to their values with fastavro and the conformance schema files")


def write_jsonl(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--oex", default=os.path.join(REPO, "build", "oex"), help="the oex binary (default: build/oex)")
    parser.add_argument("--mirrors", default=upstream_env.DEFAULT_MIRRORS,
                        help="folder of bare git mirrors, MIRRORS/<owner>+<name>/repo (default: %(default)s)")
    parser.add_argument("--conformance", default=os.path.join(REPO, "..", "shared", "conformance",
                                                              "openedx-events-11.2.0"),
                        help="the conformance folder with avro-schemas/ and current-avro-schemas/")
    parser.add_argument("--out", default=HERE, help="where to write the .jsonl files (default: beside this script)")
    parser.add_argument("--check", action="store_true",
                        help="only re-read the .jsonl files in --out and check them against fastavro")
    args = parser.parse_args()

    env = upstream_env.load(args.mirrors)
    if args.check:
        check(env, args.out, args.conformance)
        return
    bus_types, lines, failures = make_cases(env, args.oex)
    write_jsonl(os.path.join(args.out, "cases.jsonl"), lines)
    write_jsonl(os.path.join(args.out, "upstream_failures.jsonl"), failures)
    for failure in failures:
        print(f"upstream cannot serialize {failure['event_type']} {failure['case']}: {failure['upstream_error']}")
    counts = {}
    for line in lines:
        counts[line["event_type"]] = counts.get(line["event_type"], 0) + 1
    missing = sorted(set(bus_types) - set(counts))
    print(f"cases.jsonl: {len(lines)} cases, {len(counts)} of {len(bus_types)} bus event types, "
          f"{min(counts.values())}..{max(counts.values())} per type; missing: {missing or 'none'}")
    if missing:
        sys.exit(1)

    differing, res_lines = make_resolution_cases(
        env, args.oex, os.path.join(args.conformance, "avro-schemas"),
        os.path.join(args.conformance, "current-avro-schemas"))
    write_jsonl(os.path.join(args.out, "resolution_cases.jsonl"), res_lines)
    print(f"resolution_cases.jsonl: {len(res_lines)} cases; stored schemas that differ: {len(differing)}")
    for name in differing:
        print(f"  {name}")
    check(env, args.out, args.conformance)


if __name__ == "__main__":
    main()
