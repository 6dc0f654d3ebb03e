#!/usr/bin/python3
"""Start-up: `oex list` against Python's import of openedx-events 11.2.0 + load_all_signals()
(issue 12, goal 5), in one run.

The upstream trees are extracted and put on PYTHONPATH by tests/data/avro/upstream_env.py
(Debian's python3-django etc. and the git mirrors); each Python run is a fresh
`/usr/bin/python3 -c "from openedx_events.tooling import load_all_signals; load_all_signals()"`
(what a process pays before it can send its first event), each oex run a fresh
`oex list >/dev/null`. Process wall time (posix_spawn to wait); two warm-up runs each (the first
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
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


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
    for i in range(args.runs):
        pair = [("python", python, python_env), ("oex", oex, None)]
        for name, command, command_env in pair if i % 2 == 0 else reversed(pair):
            runs[name].append(wall(command, command_env))
    median = {name: statistics.median(values) for name, values in runs.items()}
    ratio = median["oex"] / median["python"]
    if args.json:
        print(json.dumps({"median_seconds": median, "ratio": ratio, "runs": runs}, indent=2))
        return
    print(f"oex list:                              median {median['oex'] * 1000:8.2f} ms")
    print(f"python import + load_all_signals():    median {median['python'] * 1000:8.2f} ms")
    print(f"goal: oex <= 1/100 of Python -> 1/{1 / ratio:.0f}: "
          + ("MET" if ratio <= 0.01 else "NOT MET"))


if __name__ == "__main__":
    main()
