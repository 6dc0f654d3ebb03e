#!/usr/bin/env python3
"""`oex validate --jsonl` against ajv 8 on every event type of the catalog (tests/bench/README.md).

    python3 bench_catalog.py --oex PATH --node-modules DIR [--count N] [--runs K]
                             [--type TYPE]... [--before PATH]

run.sh --catalog installs the dependencies and calls this. Per event type: N sampled payloads
(`oex sample TYPE --count N`, default 100,000) in one JSON Lines file, the type's JSON Schema
(`oex schema TYPE --format json-schema`); checks that oex and ajv both find every payload valid
and both flag the same lines of a copy with lines broken; then K interleaved timed runs (after a
warm-up round) of `oex validate --jsonl TYPE FILE` and of the ajv runner reading the file both
ways (1 MiB blocks, and the whole file at once); ajv's figure is the faster of its two medians.
With --before, an older oex binary is timed in the same rounds, so before and after come from
one run. Prints the ratio per type, the minimum (the type named) and the geometric mean, and
the enrollment type's MB/s. Exit status: 0 measured, 1 a check failed, 2 usage or setup error.
"""

import argparse
import json
import math
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time

from bench import (CheckFailed, check, loadavg, log, machine_info, package_version, read, run,
                   spawn_timed, table)

ENROLLMENT = "org.openedx.learning.course.enrollment.created.v1"
GOAL_RATIO = 3.0
GOAL_MBPS = 300.0
HERE = os.path.dirname(os.path.abspath(__file__))


def broken_copy(lines, path):
    """Writes lines with three broken: a wrong type, an unknown argument, malformed JSON.

    Returns the broken line numbers (1-based)."""
    n = len(lines)
    picks = sorted({max(1, n // 3), max(1, (2 * n) // 3), n})
    out = list(lines)
    d = json.loads(out[picks[0] - 1])
    if d:
        d[next(iter(d))] = 12  # every data key holds a data class, never an integer
    else:
        d = []  # an event with no data keys: an array instead of the object
    out[picks[0] - 1] = json.dumps(d, separators=(",", ":")).encode()
    d = json.loads(out[picks[1] - 1])
    d["not_an_argument"] = 1
    out[picks[1] - 1] = json.dumps(d, separators=(",", ":")).encode()
    out[picks[2] - 1] = out[picks[2] - 1][: len(out[picks[2] - 1]) // 2]
    with open(path, "wb") as f:
        f.write(b"\n".join(out) + b"\n")
    return picks


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--oex", required=True, help="the oex binary to measure")
    ap.add_argument("--node-modules", required=True, help="node_modules with ajv (run.sh)")
    ap.add_argument("--count", type=int, default=100_000,
                    help="payloads per event type (default 100000; 20000 for a quicker run)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per command (default 5)")
    ap.add_argument("--type", action="append", default=[],
                    help="only this event type (repeatable; default every type)")
    ap.add_argument("--before", help="an older oex binary, timed in the same rounds")
    ap.add_argument("--tmp", default=os.environ.get("TMPDIR", "/tmp"))
    args = ap.parse_args()
    if args.count < 3 or args.runs < 1:
        print("bench_catalog.py: error: --count must be at least 3 and --runs at least 1",
              file=sys.stderr)
        return 2
    binaries = {"oex": os.path.abspath(args.oex)}
    if args.before:
        binaries["before"] = os.path.abspath(args.before)
    for path in binaries.values():
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            print(f"bench_catalog.py: error: {path} is not an executable file", file=sys.stderr)
            return 2
    node = shutil.which("node")
    if node is None or not os.path.isdir(args.node_modules):
        print("bench_catalog.py: error: needs node and --node-modules; run tests/bench/run.sh "
              "--catalog", file=sys.stderr)
        return 2
    tmp = tempfile.mkdtemp(prefix="oex-bench-catalog.", dir=args.tmp)
    signal.signal(signal.SIGTERM, lambda s, f: sys.exit(128 + s))
    signal.signal(signal.SIGHUP, lambda s, f: sys.exit(128 + s))
    try:
        return measure(args, tmp, binaries, node)
    except CheckFailed as e:
        print(f"bench_catalog.py: correctness check failed: {e}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        log(f"removed {tmp}")


def measure(args, tmp, given, node):
    env = dict(os.environ, NODE_PATH=os.path.abspath(args.node_modules), NO_COLOR="1")
    env.pop("NODE_OPTIONS", None)
    # Private copies: a rebuild during the run cannot mix two binaries into one set of figures.
    bins = {}
    for name, path in given.items():
        bins[name] = os.path.join(tmp, name)
        shutil.copy2(path, bins[name])
    oex = bins["oex"]
    ajv_js = os.path.join(HERE, "ajv_validate.js")
    machine, load_start, t_start = machine_info(), loadavg(), time.perf_counter()
    types = args.type or run([oex, "list", "--names"], env)[1].split()
    out_f, err_f = os.path.join(tmp, "out"), os.path.join(tmp, "err")
    results, skipped = [], []
    for number, event_type in enumerate(types, 1):
        jsonl, schema = os.path.join(tmp, "payloads.jsonl"), os.path.join(tmp, "schema.json")
        rc, _, err = run([oex, "sample", event_type, "--count", str(args.count)], env, jsonl)
        if rc != 0:
            skipped.append((event_type, err.strip().splitlines()[-1] if err.strip() else f"exit {rc}"))
            log(f"[{number}/{len(types)}] {event_type}: skipped ({skipped[-1][1]})")
            continue
        rc, _, err = run([oex, "schema", event_type, "--format", "json-schema"], env, schema)
        check(rc == 0, f"{event_type}: oex schema failed ({rc}): {err}")
        with open(jsonl, "rb") as f:
            lines = f.read().split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        check(len(lines) == args.count, f"{event_type}: {len(lines)} lines sampled")
        size = os.path.getsize(jsonl)
        cmds = {name: [b, "validate", "--jsonl", event_type, jsonl] for name, b in bins.items()}
        cmds["ajv blocks"] = [node, ajv_js, "--read", "blocks", schema, jsonl]
        cmds["ajv whole"] = [node, ajv_js, "--read", "whole", schema, jsonl]

        def verify(name, rc, bad_lines=None):
            out, err = read(out_f), read(err_f)
            if name.startswith("ajv"):
                try:
                    res = json.loads(out)
                except ValueError:
                    raise CheckFailed(f"{event_type}: {name}: exit {rc}: {err[:300]}")
                want = [] if bad_lines is None else bad_lines
                check(rc == (1 if want else 0) and res["invalid_lines"] == want
                      and res["documents"] == args.count,
                      f"{event_type}: {name}: exit {rc}, {res}")
            elif bad_lines is None:
                check(rc == 0 and out == "" and
                      err.strip() == f"oex: {args.count} documents valid",
                      f"{event_type}: {name}: exit {rc}, {out[:300]!r} {err[:300]!r}")
            else:
                flagged = sorted({int(l.split(":")[1]) for l in out.splitlines()})
                check(rc == 1 and flagged == bad_lines,
                      f"{event_type}: {name} flagged lines {flagged}, not {bad_lines} (exit {rc})")

        broken = os.path.join(tmp, "broken.jsonl")
        bad_lines = broken_copy(lines, broken)
        del lines
        for name, argv in cmds.items():
            rc = spawn_timed([a if a != jsonl else broken for a in argv], env, out_f, err_f)[1]
            verify(name, rc, bad_lines)
        os.remove(broken)
        times = {name: [] for name in cmds}
        names = list(cmds)
        for i in range(args.runs + 1):  # round 0 is the warm-up
            k = i % len(names)
            for name in names[k:] + names[:k]:
                wall, rc = spawn_timed(cmds[name], env, out_f, err_f)
                verify(name, rc)
                if i:
                    times[name].append(wall)
        med = {name: statistics.median(v) for name, v in times.items()}
        ajv = min(med["ajv blocks"], med["ajv whole"])
        row = {"type": event_type, "bytes": size, "ajv": ajv, "ajv_read":
               "whole" if med["ajv whole"] < med["ajv blocks"] else "blocks"}
        for name in bins:
            row[name] = med[name]
        results.append(row)
        log(f"[{number}/{len(types)}] {event_type}: oex {med['oex']:.3f} s, ajv {ajv:.3f} s "
            f"({row['ajv_read']}), {ajv / med['oex']:.2f}x"
            + (f", before {ajv / med['before']:.2f}x" if "before" in med else ""))
        os.remove(jsonl)
    report(args, results, skipped, bins, machine, load_start, time.perf_counter() - t_start)
    return 0


def report(args, results, skipped, bins, machine, load_start, elapsed):
    p = print
    p(f"# oex validate --jsonl against ajv 8 on every event type ({args.count:,} payloads each)")
    p()
    p(f"machine: {machine['nproc']} CPUs, {machine['cpu']}, {machine['mem']}, {machine['os']}")
    p(f"load average: {load_start} at the start, {loadavg()} at the end; took {elapsed:.0f} s")
    p(f"ajv {package_version(args.node_modules, 'ajv')}; medians of {args.runs} interleaved runs; "
      "ajv = the faster of its two readers (1 MiB blocks, whole file)")
    p()
    names = list(bins)
    header = ["event type", "MB", "ajv", "ajv reads"]
    for name in names:
        header += [name, f"{name} vs ajv"]
    rows = [header]
    for r in results:
        row = [r["type"], f"{r['bytes'] / 1e6:.1f}", f"{r['ajv']:.3f} s", r["ajv_read"]]
        for name in names:
            row += [f"{r[name]:.3f} s", f"{r['ajv'] / r[name]:.2f}x"]
        rows.append(row)
    p(table(rows, "lrrl" + "rr" * len(names)))
    p()
    for event_type, why in skipped:
        p(f"skipped {event_type}: {why}")
    if not results:
        return
    for name in names:
        ratios = [(r["ajv"] / r[name], r["type"]) for r in results]
        low = min(ratios)
        geo = math.exp(sum(math.log(x) for x, _ in ratios) / len(ratios))
        p(f"{name}: minimum {low[0]:.2f}x ({low[1]}), geometric mean {geo:.2f}x over "
          f"{len(ratios)} types")
        enrollment = [r for r in results if r["type"] == ENROLLMENT]
        if enrollment:
            r = enrollment[0]
            p(f"{name}: {ENROLLMENT}: {r['bytes'] / 1e6 / r[name]:.0f} MB/s "
              f"({args.count / r[name]:,.0f} payloads/s)")
    ratios = [r["ajv"] / r["oex"] for r in results]
    goal = f"minimum >= {GOAL_RATIO:.0f}x ajv"
    mbps = [r["bytes"] / 1e6 / r["oex"] for r in results if r["type"] == ENROLLMENT]
    met = min(ratios) >= GOAL_RATIO and (not mbps or mbps[0] >= GOAL_MBPS)
    p(f"goal: {goal} and >= {GOAL_MBPS:.0f} MB/s for enrollment: {'MET' if met else 'NOT MET'}")


if __name__ == "__main__":
    sys.exit(main())
