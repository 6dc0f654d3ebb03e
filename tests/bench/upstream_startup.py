#!/usr/bin/python3
"""Start-up: `oex list` against Python's import of openedx-events 11.2.0 + load_all_signals()
(issue 12, goal 5), in one run.

The upstream trees are extracted and put on PYTHONPATH by tests/data/avro/upstream_env.py
(Debian's python3-django etc. and the git mirrors); each Python run is a fresh
`/usr/bin/python3 -c "from openedx_events.tooling import load_all_signals; load_all_signals()"`
(what a process pays before it can send its first event), each oex run a fresh
`oex list >/dev/null`. Process wall time (spawn to wait), and CPU time (user + system, from
wait4) which the other load of a shared machine disturbs less; two warm-up runs each (the first
Python run writes the .pyc files), then --runs rounds of one run each, alternating which goes
first; medians. Prints a table (or --json).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.normpath(os.path.join(HERE, "..", "data", "avro")))
import upstream_env  # noqa: E402

PYTHON_CODE = "from openedx_events.tooling import load_all_signals; load_all_signals()"


def wall(command, env):
    """(wall seconds, CPU seconds: user + system of the process and its children) of one run."""
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)}: exit {os.waitstatus_to_exitcode(status)}")
    return elapsed, usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--oex", required=True)
    parser.add_argument("--mirrors", default=upstream_env.DEFAULT_MIRRORS)
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    env = upstream_env.load(args.mirrors)
    paths = [p for p in sys.path if p.startswith(env["work"])]
    python_env = dict(os.environ, PYTHONPATH=":".join(paths))
    python = ["/usr/bin/python3", "-c", PYTHON_CODE]
    oex = [args.oex, "list"]
    for _ in range(2):
        wall(python, python_env)
        wall(oex, None)
    runs = {"python": [], "oex": []}
    cpu = {"python": [], "oex": []}
    for i in range(args.runs):
        pair = [("python", python, python_env), ("oex", oex, None)]
        for name, command, command_env in pair if i % 2 == 0 else reversed(pair):
            elapsed, used = wall(command, command_env)
            runs[name].append(elapsed)
            cpu[name].append(used)
    median = {name: statistics.median(values) for name, values in runs.items()}
    median_cpu = {name: statistics.median(values) for name, values in cpu.items()}
    ratio = median["oex"] / median["python"]
    ratio_cpu = median_cpu["oex"] / median_cpu["python"]
    if args.json:
        print(json.dumps({"median_seconds": median, "ratio": ratio, "median_cpu_seconds": median_cpu,
                          "cpu_ratio": ratio_cpu, "runs": runs, "cpu_runs": cpu}, indent=2))
        return
    for name, label in (("oex", "oex list"), ("python", "python import + load_all_signals()")):
        print(f"{label + ':':40} median wall {median[name] * 1000:8.2f} ms, "
              f"CPU {median_cpu[name] * 1000:8.2f} ms")
    print(f"goal: oex <= 1/100 of Python -> wall 1/{1 / ratio:.0f}, CPU 1/{1 / ratio_cpu:.0f}: "
          + ("MET" if ratio <= 0.01 else "NOT MET") + " (judged on wall time)")


if __name__ == "__main__":
    main()
