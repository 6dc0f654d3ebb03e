#!/usr/bin/env python3
"""Writes cases.jsonl: strings and what CPython 3.11's uuid.UUID(s) makes of them, one
{"input": s, "canonical": str(uuid.UUID(s))} or {"input": s, "canonical": null} (ValueError) a line.

uuid.UUID drops every "urn:" and "uuid:", strips braces, drops hyphens and reads the rest with
int(x, 16): whitespace, a sign, a 0x prefix, single underscores and any Unicode decimal digit
pass. The strings are those corners plus mutations of valid spellings. Run with Python 3.11:
    python3 generate_cases.py > cases.jsonl
"""
import json
import random
import sys
import uuid

H = "12345678123456781234567812345678"
H31 = H[:31]

CURATED = [
    H, H.upper(), "12345678-1234-5678-1234-567812345678", "{" + H + "}", "{{" + H + "}}", "{" + H, H + "}",
    "}" + H + "{", "urn:uuid:" + H, "urn:uuid:{" + H + "}", "{urn:uuid:" + H + "}", "uuid:" + H, "urn:" + H,
    "urn:urn:" + H, "uuid:uuid:" + H, "uurn:uid:" + H, H[:16] + "urn:uuid:" + H[16:], "-" + H,
    "----" + H + "----", "-".join(H), "{-" + H + "-}", "-{" + H + "}", " {" + H + "}", "\n{" + H + "}",
    "{" + H + "}\n", "urn:uuid:" + H + "\n", "URN:UUID:" + H, "UUID:" + H, "urnurn::" + H, " " + H31,
    H31 + " ", "\t" + H31, H31 + "\t", "\u3000" + H31, "\xa0" + H31, "\x85" + H31, H31 + "\x85",
    "\x1c" + H31, "\u200b" + H31, "\x00" + H31, H31 + "\x00", "+" + H31, "0x" + H[:30], "0X" + H[:30],
    "0x_" + H[:29], " 0x" + H[:29], "+0x" + H[:29], "-" + "0" * 31, H[:16] + "_" + H[16:31],
    H[:16] + "__" + H[16:30], "_" + H31, H31 + "_", "\uff11" + H31, "\u0663" + H31, "\U0001d7cf" + H31,
    "\uff41" + H31, H[:31], H + "1", H[:31] + "g", H[:16] + " " + H[16:31], "", "0" * 32, "f" * 32,
    "F" * 32, "+" + "f" * 31, "\x7f" + H31, "\u00e9" + H31, "1" * 31 + "\u0663", "++" + H[:30],
    "+-" + H[:30], "0x" + "_" * 30, " " * 32, "  " + "1" * 30, "1" * 30 + "  ", "+_" + H[:30],
]

ALPHABET = list("0123456789abcdefABCDEFxX-_{} :urnid+\t\n\x0b\x0c\r\x1c") + [
    "\u00a0", "\u3000", "\u2028", "\uff11", "\u0663", "\uff41", "\x00", "\x7f", "\U0001d7cf", "\u00b2",
    "\u00e9", "urn:", "uuid:", "0x"]
SEEDS = ["12345678-1234-5678-1234-567812345678", "urn:uuid:{" + "ab" * 16 + "}", "0x" + "F" * 30,
         " +" + "0" * 30, "{" + "9" * 32 + "}", "uuid:" + "c" * 16 + "-" + "D" * 16]


def outcome(s):
    try:
        return str(uuid.UUID(s))
    except ValueError:
        return None


def main(count=300, seed=5):
    assert sys.version_info[:2] == (3, 11), "generate with CPython 3.11"
    rnd = random.Random(seed)
    cases = {s: outcome(s) for s in CURATED}
    quota = {True: (count - len(cases)) // 2, False: count - len(cases) - (count - len(cases)) // 2}
    while any(quota.values()):
        s = list(rnd.choice(SEEDS))
        for _ in range(rnd.choice([0, 1, 1, 2, 3, 4])):
            i = rnd.randrange(len(s) + 1)
            op = rnd.random()
            if op < 0.4 and s:
                s[min(i, len(s) - 1)] = rnd.choice(ALPHABET)
            elif op < 0.7:
                s.insert(i, rnd.choice(ALPHABET))
            elif s:
                del s[min(i, len(s) - 1)]
        s = "".join(s)
        result = outcome(s)
        if s not in cases and quota[result is not None]:
            cases[s] = result
            quota[result is not None] -= 1
    for s, result in cases.items():
        print(json.dumps({"input": s, "canonical": result}))


if __name__ == "__main__":
    main()
