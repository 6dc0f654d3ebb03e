#!/usr/bin/env python3
"""Writes fromisoformat_cases.jsonl: strings and what CPython 3.11's datetime.fromisoformat makes
of them ({"input": s, "isoformat": "..."} or {"input": s, "isoformat": null} when it refuses).

The strings are mutations of valid ISO 8601 forms plus random strings over the characters the
grammar cares about. Run with Python 3.11 (the C implementation is the reference):
    python3 generate_cases.py > fromisoformat_cases.jsonl
"""
import json
import random
import sys
from datetime import datetime

SEEDS = ["2020-01-01T12:34:56.123456+05:30", "20200101T123456,5Z", "2020-W01-1T12:00-05:00:30.5",
         "2020W017 1230", "2020W0112:00", "2020-W53-7", "2026-11-25T10:00:00+00:00",
         "2000-02-29 23:59:59.9999999-23:59:59.999999", "2020-01-01T12:00+053000.123456",
         "2026-11-25T10:00:00Z", "2024-02-29T00:00:00.5+00:00:00.5", "0001-01-01T00:00:00"]
ALPHABET = list("0123456789-:WTZ+.,  xz\t") + ["\u00e9", "\u20ac", "\U0001F600", "\uff11", "\x00"]


def outcome(s):
    assert sys.version_info[:2] == (3, 11), "generate with CPython 3.11"
    try:
        return datetime.fromisoformat(s).isoformat()
    except ValueError:
        return None


def grammar(rnd):
    """A string built from the grammar's pieces, mostly valid."""
    y = rnd.choice(["2020", "2021", "2000", "1900", "0001", "9999", "0000", "2026"])
    m, d = rnd.choice(["01", "02", "12", "11", "07", "13", "00"]), rnd.choice(["01", "28", "15", "29", "30", "31", "00"])
    w, wd = rnd.choice(["01", "52", "53", "20", "00", "54"]), rnd.choice(["1", "7", "3", "0", "8"])
    date = rnd.choice([f"{y}-{m}-{d}", f"{y}{m}{d}", f"{y}-W{w}", f"{y}-W{w}-{wd}", f"{y}W{w}",
                       f"{y}W{w}{wd}"])
    hh, mm, ss = (rnd.choice(["00", "12", "23", "07", "19", "24", "59", "60"]) for _ in range(3))
    frac = rnd.choice(["", "", ".5", ",25", ".123456", ".1234567", ".", ".000001"])
    time = rnd.choice([hh, f"{hh}:{mm}", f"{hh}:{mm}:{ss}", f"{hh}{mm}", f"{hh}{mm}{ss}"]) + frac
    tz = rnd.choice(["", "", "Z", "+00:00", "-00:00", "+05:30", "-0800", "+05", "+23:59:59.999999",
                     "+24:00", "+00:00:00.5", "+00:99", "z"])
    sep = rnd.choice(["T", "T", " ", "t", "x", "\u00e9"])
    return date if rnd.random() < 0.1 else date + sep + time + tz


def main(count=3000, seed=11):
    rnd = random.Random(seed)
    seen = set()
    while len(seen) < count:
        if rnd.random() < 0.5:
            s = grammar(rnd)
        elif rnd.random() < 0.85:
            s = list(rnd.choice(SEEDS))
            for _ in range(rnd.choice([0, 1, 1, 1, 2, 3])):
                i = rnd.randrange(len(s) + 1)
                op = rnd.random()
                if op < 0.4 and s:
                    s[min(i, len(s) - 1)] = rnd.choice(ALPHABET)
                elif op < 0.7:
                    s.insert(i, rnd.choice(ALPHABET))
                elif s:
                    del s[min(i, len(s) - 1)]
            s = "".join(s)
        else:
            s = "".join(rnd.choice("0123456789-:WTZ+.,") if rnd.random() < .9 else rnd.choice(ALPHABET)
                        for _ in range(rnd.randint(5, 24)))
        if s in seen:
            continue
        seen.add(s)
        print(json.dumps({"input": s, "isoformat": outcome(s)}))


if __name__ == "__main__":
    main()
