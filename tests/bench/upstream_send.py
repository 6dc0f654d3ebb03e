#!/usr/bin/python3
"""send_event against upstream, per event type, all in one run (issue 12, goals 2 and 3).

Upstream: openedx-events 11.2.0's OpenEdxPublicSignal.send_event with one no-op receiver, in a
loop over N sampled payloads (built once into upstream's attrs objects; each call makes its
metadata with a uuid1, checks the arguments and calls send_robust). Loaded from the git mirrors
with Debian's python3-django etc. by tests/data/avro/upstream_env.py.

Against, on the same payloads (oex sample TYPE --count N, one JSON Lines file per type):
  library   bench_send TYPE FILE: PublicSignal::send_event in-process, one C++ no-op receiver
            (the payload JSON text checked, metadata with a uuid1 and the time, dispatch)
  jsonl     oex send TYPE FILE --jsonl --plugin noop.so --no-isolate >/dev/null, process wall time
  isolated  the same without --no-isolate, on the first --isolated-count lines

Rounds: each round measures every type, the four measures of a type back to back in an order
that turns each round; figures are the medians over the rounds; ratios are against upstream.
Rates are events per CPU second (the measuring process's CPU time, or the oex process's user +
system time with its children's), which the other load of a shared machine disturbs far less
than wall time; wall-time rates and ratios are printed too.
Run by run_send.sh; prints a table (or --json) and exits 0 when everything was measured.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "data", "avro"))
sys.path.insert(0, DATA)
import upstream_env  # noqa: E402
from generate_cases import event_data  # noqa: E402

DEFAULT_TYPES = [
    "org.openedx.learning.course.enrollment.created.v1",
    "org.openedx.content_authoring.xblock.published.v1",
    "org.openedx.learning.course.passing.status.updated.v1",
    "org.openedx.learning.ccx.course.passing.status.updated.v1",
    "org.openedx.content_authoring.course.catalog_info.changed.v1",
    "org.openedx.enterprise.subsidy_ledger_transaction.created.v1",
]


def upstream_rate(signal, datas, seconds):
    """(events per wall second, events per CPU second) of send_event over datas."""
    sent = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    while True:
        for data in datas:
            responses = signal.send_event(**data)
            if len(responses) != 1:
                sys.exit(f"{signal.event_type}: upstream called {len(responses)} receivers")
        sent += len(datas)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return sent / elapsed, sent / (time.process_time() - cpu_start)


def bench_send(binary, event_type, path, seconds):
    out = json.loads(subprocess.run([binary, event_type, path, str(seconds)], capture_output=True,
                                    text=True, check=True).stdout)
    return out["events_per_second"], out["events_per_cpu_second"]


def process(command, expect_events):
    """(events per wall second, events per CPU second) of one oex process, CPU time being its
    user + system time and its children's (wait4)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    summary = f"{expect_events} events: {expect_events} sent, 0 invalid"
    if child.returncode != 0 or summary not in stderr:
        sys.exit(f"{' '.join(command)}: exit {child.returncode}, expected '{summary}':\n{stderr}")
    return expect_events / elapsed, expect_events / (usage.ru_utime + usage.ru_stime)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--oex", required=True)
    parser.add_argument("--bench-send", required=True)
    parser.add_argument("--plugin-dir", required=True)
    parser.add_argument("--work", required=True, help="folder for the sampled payloads")
    parser.add_argument("--mirrors", default=upstream_env.DEFAULT_MIRRORS)
    parser.add_argument("--type", action="append", default=[], help="event type (repeatable)")
    parser.add_argument("--all", action="store_true", help="every type upstream can build")
    parser.add_argument("--count", type=int, default=20000, help="payloads per type (20000)")
    parser.add_argument("--isolated-count", type=int, default=2000,
                        help="events per isolated run (2000)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=0.5, help="per in-process measure")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    env = upstream_env.load(args.mirrors)
    Signal = env["OpenEdxPublicSignal"]
    listed = subprocess.run([args.oex, "list", "--json"], capture_output=True, text=True, check=True)
    catalog = [e["event_type"] for e in json.loads(listed.stdout)]
    types = sorted(catalog) if args.all else (args.type or DEFAULT_TYPES)

    def noop(sender, **kwargs):  # the no-op receiver
        return None

    plugin = os.path.join(args.plugin_dir, "noop.so")
    cases = []
    for event_type in types:
        path = os.path.join(args.work, event_type + ".jsonl")
        with open(path, "w", encoding="utf-8") as out:
            subprocess.run([args.oex, "sample", event_type, "--count", str(args.count)],
                           stdout=out, check=True)
        lines = open(path, encoding="utf-8").read().splitlines()
        try:
            signal = Signal.get_signal_by_type(event_type)
            datas = [event_data(signal, json.loads(line)) for line in lines]
        except Exception as error:  # a type upstream cannot build from JSON: said, skipped
            print(f"skipped {event_type}: {type(error).__name__}: {error}", file=sys.stderr)
            continue
        signal.connect(noop, weak=False)
        isolated = os.path.join(args.work, event_type + ".isolated.jsonl")
        with open(isolated, "w", encoding="utf-8") as out:
            out.write("\n".join(lines[: args.isolated_count]) + "\n")
        cases.append({"type": event_type, "signal": signal, "datas": datas, "file": path,
                      "isolated": isolated, "n": len(lines),
                      "n_isolated": min(len(lines), args.isolated_count),
                      "runs": {"upstream": [], "library": [], "jsonl": [], "isolated": []},
                      "wall": {"upstream": [], "library": [], "jsonl": [], "isolated": []}})

    measures = {
        "upstream": lambda c: upstream_rate(c["signal"], c["datas"], args.seconds),
        "library": lambda c: bench_send(args.bench_send, c["type"], c["file"], args.seconds),
        "jsonl": lambda c: process([args.oex, "send", c["type"], c["file"], "--jsonl",
                                    "--plugin", plugin, "--no-isolate"], c["n"]),
        "isolated": lambda c: process([args.oex, "send", c["type"], c["isolated"], "--jsonl",
                                       "--plugin", plugin], c["n_isolated"]),
    }
    names = list(measures)
    for round_ in range(args.rounds):
        print(f"round {round_ + 1}/{args.rounds}", file=sys.stderr)
        for case in cases:
            order = names[round_ % 4:] + names[: round_ % 4]
            for name in order:
                wall_rate, cpu_rate = measures[name](case)
                case["runs"][name].append(cpu_rate)
                case["wall"][name].append(wall_rate)

    rows = []
    for case in cases:
        median = {name: statistics.median(runs) for name, runs in case["runs"].items()}
        wall = {name: statistics.median(runs) for name, runs in case["wall"].items()}
        rows.append({"event_type": case["type"], "payloads": case["n"],
                     "events_per_second": median,
                     "ratio": {n: median[n] / median["upstream"] for n in names[1:]},
                     "events_per_wall_second": wall,
                     "wall_ratio": {n: wall[n] / wall["upstream"] for n in names[1:]},
                     "runs": case["runs"], "wall_runs": case["wall"]})
    worst = {n: min(rows, key=lambda r: r["ratio"][n]) for n in names[1:]}
    result = {"upstream": env["versions"], "rounds": args.rounds, "rows": rows,
              "worst": {n: {"event_type": r["event_type"], "ratio": r["ratio"][n]}
                        for n, r in worst.items()}}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print("events per CPU second (process CPU time; wall-time ratios below), medians of "
          f"{args.rounds} rounds")
    print(f"{'event type':66} {'upstream/s':>11} {'library/s':>11} {'x':>6} {'jsonl/s':>11} "
          f"{'x':>6} {'isolated/s':>11} {'x':>6}")
    for row in rows:
        e, r = row["events_per_second"], row["ratio"]
        print(f"{row['event_type']:66} {e['upstream']:11,.0f} {e['library']:11,.0f} "
              f"{r['library']:5.1f}x {e['jsonl']:11,.0f} {r['jsonl']:5.1f}x "
              f"{e['isolated']:11,.0f} {r['isolated']:5.2f}x")
    print("wall-time ratios (disturbed by other load on the machine):")
    for row in rows:
        r = row["wall_ratio"]
        print(f"  {row['event_type']:64} library {r['library']:5.1f}x  jsonl {r['jsonl']:5.1f}x  "
              f"isolated {r['isolated']:5.2f}x")
    for name, goal in (("library", 10), ("jsonl", 10)):
        w = worst[name]
        verdict = "MET" if w["ratio"][name] >= goal else "NOT MET"
        print(f"goal: {name} >= {goal}x upstream on every type -> worst {w['event_type']} "
              f"{w['ratio'][name]:.1f}x: {verdict}")
    w = worst["isolated"]
    print(f"isolated (for information): worst {w['event_type']} {w['ratio']['isolated']:.2f}x, "
          f"{w['events_per_second']['isolated']:,.0f} events/s")


if __name__ == "__main__":
    main()
