#!/usr/bin/env python3
"""Runs a command with its standard output going to a regular file (FILE.out, removed at the end)
and appends one line to FILE: the microseconds from the start to the exit, to the first byte of
output and to the last byte of output (-1 -1 when it wrote nothing), and the command's CPU time
(user + system, its threads included) in microseconds. Exits with the command's status.

    stream_times.py FILE COMMAND [ARG...]

Used by bench_kafka.sh to time the steady phase of a consumer (from its first message out to
its last) apart from what comes before the first message (start-up, a group's join).

The output is not read through a pipe: a pipe holds 64 KiB, so a consumer writing 100 MB waits
for the reader some 1,600 times, and on a busy machine each wait can last a scheduler time slice
(oex consume --json, about 1 KB an event, measured 71k events/s that way against 190k when
nothing else ran). A file never makes the writer wait. The first byte's time is when inotify says
the file was first written to (this process then stops watching); the last byte's time is the
file's modification time after the command exited (the kernel's coarse clock: a few ms at
most). Times are wall-clock (CLOCK_REALTIME), as file times are. The CPU time is the consumer's
own work, whatever else the machine runs (the wall-clock figures are not, on a busy machine)."""
import ctypes
import os
import select
import subprocess
import sys
import time

IN_MODIFY = 0x00000002
IN_CLOEXEC = 0o2000000


def exited(pid: int) -> bool:
    """Whether the child pid has exited (without reaping it: wait4 does, for its CPU time)."""
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def first_write(path: str, pid: int) -> int | None:
    """Waits until the file at path is first written to (its time, ns) or pid exits (None)."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(IN_CLOEXEC)
    if fd < 0 or libc.inotify_add_watch(fd, path.encode(), IN_MODIFY) < 0:
        raise OSError(ctypes.get_errno(), "inotify")
    try:
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        while True:
            if os.stat(path).st_size > 0 or poller.poll(100):
                return time.time_ns()
            if exited(pid):
                return None
    finally:
        os.close(fd)


def main() -> int:
    if len(sys.argv) < 3:
        print("usage: stream_times.py FILE COMMAND [ARG...]", file=sys.stderr)
        return 2
    out_file, command = sys.argv[1], sys.argv[2:]
    output = out_file + ".out"
    try:
        with open(output, "wb") as sink:
            start = time.time_ns()
            proc = subprocess.Popen(command, stdout=sink)
        first = first_write(output, proc.pid)
        _, wait_status, usage = os.wait4(proc.pid, 0)
        end = time.time_ns()
        proc.returncode = status = os.waitstatus_to_exitcode(wait_status)
        last = os.stat(output).st_mtime_ns if first is not None else None
    finally:
        os.unlink(output)
    us = lambda t: -1 if t is None else max(0, t - start) // 1000
    with open(out_file, "a", encoding="ascii") as f:
        cpu_us = round((usage.ru_utime + usage.ru_stime) * 1_000_000)
        f.write(f"{us(end)} {us(first)} {us(last)} {cpu_us}\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
