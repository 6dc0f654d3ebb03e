#!/usr/bin/env python3
"""Runs a command with its standard output read through a pipe and dropped, and appends one line
to FILE: the microseconds from the start to the exit, to the first byte of output and to the last
byte of output (-1 -1 when it wrote nothing). Exits with the command's status.

    stream_times.py FILE COMMAND [ARG...]

Used by bench_kafka.sh to time the steady phase of a consumer (from its first message out to
its last) apart from what comes before the first message (start-up, a group's join)."""
import os
import subprocess
import sys
import time


def main() -> int:
    if len(sys.argv) < 3:
        print("usage: stream_times.py FILE COMMAND [ARG...]", file=sys.stderr)
        return 2
    out_file, command = sys.argv[1], sys.argv[2:]
    start = time.monotonic_ns()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE)
    first = last = None
    fd = proc.stdout.fileno()
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        last = time.monotonic_ns()
        if first is None:
            first = last
    status = proc.wait()
    end = time.monotonic_ns()
    us = lambda t: -1 if t is None else (t - start) // 1000
    with open(out_file, "a", encoding="ascii") as f:
        f.write(f"{us(end)} {us(first)} {us(last)}\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
