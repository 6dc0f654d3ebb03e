#!/usr/bin/env python3
"""An exec receiver: how a Python receiver is tested without Django.

oex writes the event to stdin as one JSON object (signal, sender, metadata, the data keys and
from_event_bus) and takes stdout as the response; a non-zero exit is an error whose message is
the end of stderr. Set OEX_EXEC_FAIL to make this receiver fail.
"""
import json
import os
import sys

NOT_DATA = {"signal", "sender", "metadata", "from_event_bus"}


def main():
    event = json.load(sys.stdin)
    if "OEX_EXEC_FAIL" in os.environ:
        sys.stderr.write(
            "Traceback (most recent call last):\n"
            f'  File "{__file__}", line 1, in receiver\n'
            "RuntimeError: exec receiver asked to fail\n"
        )
        return 1
    json.dump(
        {
            "received": event["signal"],
            "data_keys": sorted(key for key in event if key not in NOT_DATA),
            "from_event_bus": bool(event.get("from_event_bus", False)),
        },
        sys.stdout,
    )
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
