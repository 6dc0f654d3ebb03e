#!/usr/bin/python3
"""Upstream's Avro rate per event type: payloads/s of openedx-events 11.2.0's
serialize_event_data_to_bytes and deserialize_bytes_to_event_data, and of fastavro 1.12.2's
schemaless_writer/schemaless_reader alone (schema parsed once), on the payloads of
tests/data/avro/cases.jsonl.

Loads the upstream code as tests/data/avro/generate_cases.py does (upstream_env.py: Debian 12's
/usr/bin/python3 and python3-django etc., and git mirrors of the upstream projects; see
tests/data/avro/README.md). fastavro runs as pure Python (its Cython modules are not built here),
so the figures are lower than with a compiled fastavro wheel: they are a floor for upstream, for
information next to oex's own figures, not a goal.

Output: one table line per event type (or --json: one JSON document), then the totals over all
cases (each case's rate weighted equally). Every case is checked first: upstream's bytes must equal
the `hex` recorded in cases.jsonl, and upstream must deserialize them.
"""
import argparse
import io
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "data", "avro"))
sys.path.insert(0, DATA)
import upstream_env  # noqa: E402
from generate_cases import event_data  # noqa: E402


def rate(call, seconds):
    """Calls per second of call(), run in batches until `seconds` have passed (at least one batch)."""
    done = 0
    batch = 16
    start = time.perf_counter()
    while True:
        for _ in range(batch):
            call()
        done += batch
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return done / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", default=os.path.join(DATA, "cases.jsonl"))
    parser.add_argument("--mirrors", default=upstream_env.DEFAULT_MIRRORS)
    parser.add_argument("--seconds", type=float, default=0.2, help="time per case and measure (default 0.2)")
    parser.add_argument("--type", action="append", default=[], help="only this event type (repeatable)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()

    env = upstream_env.load(args.mirrors)
    fastavro = env["fastavro"]
    serializer = env["serializer"]
    deserializer = env["deserializer"]
    Signal = env["OpenEdxPublicSignal"]

    cases = [json.loads(line) for line in open(args.cases, encoding="utf-8")]
    if args.type:
        cases = [c for c in cases if c["event_type"] in args.type]
        if not cases:
            sys.exit(f"no cases for {args.type}")

    per_type = {}
    for case in cases:
        signal = Signal.get_signal_by_type(case["event_type"])
        data = event_data(signal, case["payload"])
        raw = serializer.serialize_event_data_to_bytes(data, signal)
        if raw.hex() != case["hex"]:
            sys.exit(f"{case['event_type']} {case['case']}: upstream's bytes differ from cases.jsonl")
        # (no bytes round trip: upstream's from_dict drops falsy values of fields with defaults, so
        # a deserialized event may differ from the sent one, or fail to serialize again)
        back = deserializer.deserialize_bytes_to_event_data(raw, signal)
        if set(back) != set(signal.init_data):
            sys.exit(f"{case['event_type']} {case['case']}: upstream deserialized {sorted(back)}")
        avro = serializer.AvroSignalSerializer(signal)
        schema = fastavro.parse_schema(avro.schema)
        record = avro.to_dict(data)

        def write():
            fastavro.schemaless_writer(io.BytesIO(), schema, record)

        def read():
            fastavro.schemaless_reader(io.BytesIO(raw), schema, None)

        figures = {
            "serialize": rate(lambda: serializer.serialize_event_data_to_bytes(data, signal), args.seconds),
            "deserialize": rate(lambda: deserializer.deserialize_bytes_to_event_data(raw, signal), args.seconds),
            "fastavro_write": rate(write, args.seconds),
            "fastavro_read": rate(read, args.seconds),
            "bytes": len(raw),
        }
        per_type.setdefault(case["event_type"], []).append(figures)
        print(f"{case['event_type']} {case['case']}: {figures['serialize']:.0f}/s", file=sys.stderr)

    keys = ["serialize", "deserialize", "fastavro_write", "fastavro_read", "bytes"]

    def mean(rows, key):
        return sum(r[key] for r in rows) / len(rows)

    result = {
        "versions": env["versions"],
        "python": sys.version.split()[0],
        "seconds_per_measure": args.seconds,
        "types": {t: {"cases": len(rows), **{k: round(mean(rows, k), 1) for k in keys}}
                  for t, rows in sorted(per_type.items())},
    }
    every = [r for rows in per_type.values() for r in rows]
    result["all"] = {"cases": len(every), **{k: round(mean(every, k), 1) for k in keys}}

    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"openedx-events {env['versions']['openedx-events']}, fastavro {env['versions']['fastavro']} "
          f"(pure Python), python {result['python']}; payloads/s, mean over the cases of each type")
    width = max(len(t) for t in result["types"])
    header = f"{'event type':{width}} {'cases':>5} {'serialize':>10} {'deserial.':>10} {'fa.write':>10} {'fa.read':>10} {'bytes':>6}"
    print(header)
    for event_type, row in list(result["types"].items()) + [("all", result["all"])]:
        print(f"{event_type:{width}} {row['cases']:>5} {row['serialize']:>10.0f} {row['deserialize']:>10.0f} "
              f"{row['fastavro_write']:>10.0f} {row['fastavro_read']:>10.0f} {row['bytes']:>6.0f}")


if __name__ == "__main__":
    main()
