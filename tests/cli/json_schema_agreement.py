#!/usr/bin/env python3
"""Checks that `oex schema --format json-schema` and `oex validate` agree.

For every event type: sampled payloads (valid) and deliberately broken ones (a required field
dropped, an unknown field added, a wrong type, a bad key, datetime or UUID, null where a value is
required, and the edges of each grammar: a trailing line break, leading and trailing spaces,
'\r', NUL, non-ASCII spaces and digits around or inside a valid value) are checked by Python's jsonschema (Debian python3-jsonschema) against the exported
schema and by `oex validate --jsonl --json`; the verdicts must be the same for every document.

usage: json_schema_agreement.py path/to/oex
"""
import copy
import json
import subprocess
import sys

import jsonschema

OEX = sys.argv[1]


def oex(*args, stdin=None):
    return subprocess.run([OEX, *args], input=stdin, capture_output=True, text=True)


def mutations(payload, event):
    """Yields (label, broken payload) pairs for one sampled payload."""
    for key, value in payload.items():
        if not isinstance(value, dict):
            continue
        for field in list(value):
            broken = copy.deepcopy(payload)
            del broken[key][field]
            yield f"drop {key}.{field}", broken
            broken = copy.deepcopy(payload)
            original = broken[key][field]
            if isinstance(original, str):
                broken[key][field] = 12
            elif isinstance(original, bool) or isinstance(original, (int, float)):
                broken[key][field] = "12"
            elif isinstance(original, (list, dict)):
                broken[key][field] = "text"
            yield f"retype {key}.{field}", broken
        broken = copy.deepcopy(payload)
        broken[key]["not_a_field"] = 1
        yield f"extra {key}.not_a_field", broken
    broken = copy.deepcopy(payload)
    broken["unexpected_argument"] = {}
    yield "extra argument", broken
    for label, bad in walk_strings(payload):
        yield label, bad


# The edges of a string grammar, applied to a valid value: where a regular expression's anchors
# and classes differ from a hand-written parser ("$" before a final "\n" in Python's re, "\s",
# "\d" and "\w" on non-ASCII text).
EDGES = [
    ("trailing \\n", lambda v: v + "\n"),
    ("trailing \\r\\n", lambda v: v + "\r\n"),
    ("trailing \\r", lambda v: v + "\r"),
    ("leading \\n", lambda v: "\n" + v),
    ("leading space", lambda v: " " + v),
    ("trailing space", lambda v: v + " "),
    ("trailing tab", lambda v: v + "\t"),
    ("trailing NUL", lambda v: v + "\0"),
    ("leading NUL", lambda v: "\0" + v),
    ("trailing no-break space", lambda v: v + "\u00a0"),
    ("trailing line separator", lambda v: v + "\u2028"),
    ("Arabic-Indic digits", lambda v: "".join(chr(0x660 + int(c)) if c.isascii() and c.isdigit()
                                               else c for c in v)),
    ("fullwidth digits", lambda v: "".join(chr(0xFF10 + int(c)) if c.isascii() and c.isdigit()
                                           else c for c in v)),
    ("upper case", lambda v: v.upper()),
]


def walk_strings(payload):
    """Breaks the string values that have a grammar: keys, datetimes, UUIDs."""
    found = []

    def visit(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                visit(v, path + [k])
        elif isinstance(node, list):
            for i, v in enumerate(node):
                visit(v, path + [i])
        elif isinstance(node, str) and (":" in node or "-" in node):
            found.append(path)

    visit(payload, [])
    for path in found:
        for bad_value in ["not a key", "2026-13-45T99:00:00", "course-v1:edX+DemoX", "lib:edX",
                          "block-v1:edX+DemoX+2024+type@problem", "1234-5678", ""]:
            broken = copy.deepcopy(payload)
            node = broken
            for step in path[:-1]:
                node = node[step]
            node[path[-1]] = bad_value
            yield f"string {'.'.join(map(str, path))}={bad_value!r}", broken
        for edge, change in EDGES:
            broken = copy.deepcopy(payload)
            node = broken
            for step in path[:-1]:
                node = node[step]
            node[path[-1]] = change(node[path[-1]])
            yield f"edge {'.'.join(map(str, path))} {edge}: {node[path[-1]]!r}", broken


def main():
    types = oex("list", "--names").stdout.split()
    documents = disagreements = 0
    for event_type in types:
        schema = json.loads(oex("schema", "--format", "json-schema", event_type).stdout)
        validator = jsonschema.Draft202012Validator(schema)
        samples = [json.loads(line) for line in
                   oex("sample", event_type, "--count", "3").stdout.splitlines()]
        samples += [json.loads(oex("sample", event_type, "--minimal").stdout)]
        cases = []
        for sample in samples:
            cases.append(("sample", sample))
            cases.extend(mutations(sample, event_type))
        stdin = "".join(json.dumps(doc) + "\n" for _, doc in cases)
        run = oex("validate", "--jsonl", "--json", event_type, "-", stdin=stdin)
        verdicts = json.loads(run.stdout)
        assert len(verdicts) == len(cases), (event_type, run.stderr)
        for (label, doc), verdict in zip(cases, verdicts):
            documents += 1
            schema_valid = validator.is_valid(doc)
            if schema_valid != verdict["valid"]:
                disagreements += 1
                if disagreements <= 20:
                    print(f"DISAGREE {event_type} {label}: jsonschema={schema_valid} "
                          f"oex={verdict['valid']} {verdict['findings'][:1]}")
    print(f"{documents - disagreements} passed, {disagreements} failed")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
