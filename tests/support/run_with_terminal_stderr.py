#!/usr/bin/env python3
"""Runs a command with its standard error on a pseudo-terminal, for tests of terminal output.

usage: run_with_terminal_stderr.py STDOUT_FILE COMMAND [ARG]...
Standard input is empty, standard output goes to STDOUT_FILE, and what the command wrote to
the terminal is copied to our standard output as it was (the terminal turns "\\n" into "\\r\\n").
Exits with the command's status.
"""
import os
import pty
import subprocess
import sys


def main():
    master, slave = pty.openpty()
    with open(sys.argv[1], "wb") as out:
        child = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=out,
                                 stderr=slave)
    os.close(slave)
    terminal = bytearray()
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the command and its children closed the terminal
            break
        if not data:
            break
        terminal += data
    sys.stdout.buffer.write(terminal)
    return child.wait()


if __name__ == "__main__":
    sys.exit(main())
