#!/usr/bin/env python3
"""Writes cases.jsonl: strings and whether upstream's <Key>.from_string accepts them, one
{"kind": ..., "input": ..., "valid": true|false} a line, about 400 per key kind.

The verdicts come from a regex-free model of opaque-keys 4.x + ccx-keys that was checked against
the real libraries (it is not part of this repository). Its module must define
parse(entry_class_name, text) -> str(key) or None. Run with Python 3.11, whose Unicode tables
the C++ port follows:
    python3 generate_cases.py --model /path/to/opaque_keys_model.py > cases.jsonl
"""
import argparse
import importlib.util
import json
import random
import sys

V = "519665f6223ebd6980884f2b"  # a bson ObjectId

KINDS = {
    "course_key": "CourseKey",
    "usage_key": "UsageKey",
    "ccx_locator": "CCXLocator",
    "library_locator_v2": "LibraryLocatorV2",
    "library_usage_locator_v2": "LibraryUsageLocatorV2",
    "library_collection_locator": "LibraryCollectionLocator",
    "library_container_locator": "LibraryContainerLocator",
}

# Hand-picked cases per kind: the documented forms and the corners of each grammar.
CURATED = {
    "course_key": [
        "course-v1:edX+DemoX+Demo_Course", "course-v1:edX+DemoX+Demo_Course+branch@draft",
        f"course-v1:edX+DemoX+Demo_Course+branch@draft+version@{V}", f"course-v1:edX+DemoX+version@{V}",
        f"course-v1:version@{V}", f"course-v1:branch@draft+version@{V}",
        "course-v1:edX+DemoX+Demo_Course+type@problem+block@abc", "course-v1:a+b+c+block@x%y",
        "course-v1:\u00e9dX+\u8bfe\u7a0b+\u0663", "course-v1:a:b+c~d+e.f-g", "course-v1:a+b+c\u2160",
        "slashes:a+b+c", "edX/DemoX/Demo_Course", "a/b/", "a.b/c-d/e%f", "\u00e9/\u8bfe/\u0663",
        "library-v1:a+b", "library-v1:a+b+c", f"library-v1:version@{V}", "ccx-v1:a+b+c+ccx@1",
        "course-v1:edX+DemoX", "course-v1:branch@draft", f"course-v1:version@{V.upper()}",
        f"course-v1:version@{V[:-1]}", "course-v1:edX+DemoX+Demo_Course+",
        "course-v1:edX+DemoX+Demo_Course\n", "course-v1:edX+DemoX+Demo Course", "course-v1:a+b+c%d",
        "course-v1:a+b+c+d", "course-v1:a++c", "course-v1:", "Course-v1:a+b+c",
        f"course-v1:a+b+c+version@{V}+branch@x", "course-v1:a+b+c+BRANCH@x", "course-v1:a+b+c\u0301",
        "course-v1:a+b+c@d", "course-v1:a+b+c+ccx@1", "slashes:a/b/c", "a//c", "a/b/c/d", "a/b",
        "a~/b/c", "a/b/c:d", "lib:a:b", "block-v1:a+b+c+type@x+block@y", "", ":", "course-v1:a+b+c+\u00a0",
        "library-v1:a", "ccx-v1:a+b+c", "i4x://a/b/c/d",
    ],
    "usage_key": [
        "block-v1:edX+DemoX+Demo_Course+type@problem+block@abc", "block-v1:edX+DemoX+Demo_Course+block@abc",
        "block-v1:edX+DemoX+Demo_Course+type@problem+block@a:b~c.d-e_f",
        "block-v1:edX+DemoX+Demo_Course+branch@draft+type@problem+block@abc",
        f"block-v1:version@{V}+type@problem+block@abc", "block-v1:\u00e9dX+\u8bfe+\u0663+type@\u95ee\u9898+block@\u03b1\u03b2\u03b3",
        "block-v1:edX+DemoX+Demo_Course+type@problem", "block-v1:edX+DemoX+Demo_Course",
        "block-v1:edX+DemoX+Demo_Course+type@problem+block@a%20b", "block-v1:edX+DemoX+type@problem+block@abc",
        "block-v1:edX+DemoX+Demo_Course+type@problem+block@", "block-v1:edX+DemoX+Demo_Course+type@problem+block@abc+",
        "block-v1:edX+DemoX+Demo_Course+block@abc+type@problem", "block-v1:edX+DemoX+Demo_Course+TYPE@problem+block@abc",
        "block-v1:edX+DemoX+Demo_Course+type@problem+block@abc\n", "asset-v1:org+course+run+type@asset+block@abc",
        "course-v1:org+course+run", "i4x://edX/DemoX/problem/abc", "i4x://edX/DemoX/problem/abc@draft",
        "i4x://edX/DemoX/problem/a%20b", "i4x://edX/DemoX/problem/a:b", "i4x://edX/DemoX/pro blem/abc",
        "i4x://a/b/c\nd/f", "i4x://a/b/c d@e/f", "i4x://edX/DemoX/problem/abc@dr~a:f%t",
        "i4x://\u00e9/\u8bfe/\u95ee\u9898/\u03b1\u03b2\u03b3", "i4x://edX/DemoX/problem/a b",
        "i4x://edX/DemoX/problem/a/b", "i4x://edX/DemoX/problem/abc@dr@ft", "i4x://edX/DemoX/problem/abc@",
        "i4x://edX/DemoX/problem/", "i4x://edX/DemoX/problem", "i4x://ed:X/DemoX/problem/abc",
        "i4x://ed~X/DemoX/problem/abc", "i4x://edX/DemoX/problem/abc\n", "I4X://edX/DemoX/problem/abc",
        "i4x://a/b/c/d@e/f", "lib-block-v1:org+lib+type@problem+block@p1", "lib-block-v1:org+lib+run+type@problem+block@p1",
        f"lib-block-v1:version@{V}+type@problem+block@p1", "lib-block-v1:org+lib+branch@b+type@problem+block@p1",
        "lib-block-v1:org+lib+block@p1", "lib-block-v1:org+lib+type@problem+block@p%1", "lib-block-v1:branch@b+type@t+block@p",
        "location:org+course+run+problem+abc", "location:o:g+c~+r.+pr-b+a:b", "location:org+course+run+problem",
        "location:org+course+run+problem+a%b", "ccx-block-v1:org+course+run+ccx@1+type@problem+block@abc",
        "ccx-block-v1:org+course+run+ccx@1+block@abc", "ccx-block-v1:org+course+run+CCX@1+TYPE@problem+BLOCK@abc",
        "ccx-block-v1:a+b+c+ccx@1+type@t+bloc\u212a@x", "ccx-block-v1:org+course+run+ccx@1",
        "ccx-block-v1:org+course+run+type@problem+block@abc", "lb:org:lib:problem:p1", "lb:o.rg:li-b:pro_blem:p.1-x",
        "lb:org:lib\u00e9:problem:p1", "lb:org:lib:problem:p1\u00e9", "lb:org:lib:problem:\u0661\u0662",
        "lb:org\n:lib:problem:p1", "lb:org:lib:problem:p1\n", "lb:org:lib:problem", "lb:org:lib:problem:p1:x",
        "lb:org\u00e9:lib:problem:p1", "lb:org:lib:problem\u00e9:p1", "lb:org:lib:problem:", "lb::lib:problem:p1",
        "lb:org:lib:problem:p1\n\n", "lb:org:lib:problem:p~1", "lb:org:lib:problem:p%1", "LB:org:lib:problem:p1",
        "aside-usage-v2:block-v1$:org+course+run+type@problem+block@abc::tagging",
        "aside-usage-v2:lb$:org$:lib$:problem$:p1::", "aside-usage-v2:i4x$://a/b/c/d::",
        "aside-usage-v2:block-v1$:a+b+c+type@t+block@b::ty$$pe",
        "aside-usage-v1:block-v1:org+course+run+type@problem+block@abc::tagging",
        "aside-usage-v1:i4x://edX/DemoX/problem/abc::x", "aside-usage-v1:block-v1:a+b+c+type@t+block@b:::x",
        "aside-usage-v1:location:a+b+c+d+e", "aside-usage-v2:block-v1:a+b+c+type@t+block@b::x",
        "aside-usage-v2:i4x://a/b/c/d::", "aside-usage-v2:block-v1$:a+b+c+type@t+block@b::ty$pe",
        "aside-usage-v2:block-v1$:a+b+c+type@t+block@b", "aside-usage-v1:block-v1:a+b+c+type@t+block@b:",
        "aside-usage-v1:block-v1:a$::b+c+d+type@t+block@b::x", "aside-usage-v1:block-v1:a+b+c+type@t+block@b$::x::y",
        "aside-usage-v2:aside-usage-v2$:lb$$$:o$$$:l$$$:t$$$:u$:$:x::y",
        "aside-usage-v2:aside-usage-v1$:lb:o:l:t:u::y", "aside-usage-v1:aside-usage-v1:lb:o:l:t:u",
        "lib:org:slug", "ccx-v1:a+b+c+ccx@1",
    ],
    "ccx_locator": [
        "ccx-v1:org+course+run+ccx@1", "ccx-v1:org+course+run+ccx@01", "ccx-v1:org+course+run+ccx@\u0661\u0662",
        "ccx-v1:org+course+run+branch@b+ccx@1", f"ccx-v1:org+course+run+version@{V.upper()}+ccx@1",
        f"ccx-v1:version@{V}+ccx@1", f"ccx-v1:org+course+version@{V}+ccx@1", "ccx-v1:org+course+run+CCX@1",
        f"ccx-v1:org+course+run+Branch@b+Version@{V}+ccx@1", f"ccx-v1:a+b+c+ver\u017fion@{V}+ccx@1",
        f"ccx-v1:a+b+c+vers\u0130on@{V}+ccx@1", f"ccx-v1:a+b+c+vers\u0131on@{V}+ccx@1",
        "ccx-v1:org+course+run+ccx@1+type@problem+block@abc", "ccx-v1:org+course+run+ccx@\uff11",
        "ccx-v1:org+course+run+ccx@1+block@a%b", "ccx-v1:org+course+run+ccx@12a", "ccx-v1:org+course+run+ccx@",
        "ccx-v1:org+course+run", "ccx-v1:org+course+ccx@1", "ccx-v1:ccx@1", "ccx-v1:org+course+run+ccx@1+",
        "ccx-v1:org+course+run+ccx@1\n", "ccx-v1:org+course+run+ccx@1+branch@b", "ccx-v1:org+course+run+ccx@\u00b2",
        "ccx-v1:org+course+run+ccx@1+ccx@2", "course-v1:org+course+run", "CCX-v1:org+course+run+ccx@1",
        "ccx-v1:", "org/course/run", "ccx-block-v1:org+course+run+ccx@1+type@problem+block@abc",
    ],
    "library_locator_v2": [
        "lib:MITx:reallyhardproblems", "lib:o-r_g.1:s-l_u.g", "lib:org:sl\u00fcg\u00e9", "lib:org:\u8bfe\u7a0b\u0661\u0662",
        "lib:org:a\u00b2", "lib:org\n:slug", "lib:org:slug\n", "lib:org\u00e9:slug", "lib:org:", "lib::slug",
        "lib:org", "lib:org:slug:x", "lib:org:sl ug", "lib:org:sl~ug", "lib:org:sl+ug", "lib:org:slug\r",
        "LIB:org:slug", "lib:org:slu\u0301g", "course-v1:a+b+c", "lib:org\n\n:slug", "lib:org:slug\n\n",
        "lib:\norg:slug", "lib:", "lib:org:sl%ug", "lib:org:sl@ug", "lib:org:sl/ug", "lib:org:\u0661",
        "lib:\u0661:slug", "lb:org:lib:problem:p1",
    ],
    "library_usage_locator_v2": [
        "lb:org:lib:problem:p1", "lb:o.rg:li-b:pro_blem:p.1-x", "lb:org:lib\u00e9:problem:p1",
        "lb:org:lib:problem:p1\u00e9", "lb:org:lib:problem:\u0661\u0662", "lb:org\n:lib:problem:p1",
        "lb:org:lib:problem:p1\n", "lb:org:lib\n:problem\n:p1\n", "lb:org:lib:problem", "lb:org:lib:problem:p1:x",
        "lb:org\u00e9:lib:problem:p1", "lb:org:lib:problem\u00e9:p1", "lb:org:lib:problem:", "lb::lib:problem:p1",
        "lb:org:lib:problem:p1\n\n", "lb:org:lib:problem:p~1", "lb:org:lib:problem:p%1", "lb:\u0661\u0662:lib:problem:p",
        "LB:org:lib:problem:p1", "lb:org:lib::p1", "lb:org:lib:problem:p 1", "lb:org:lib:prob lem:p1",
        "block-v1:a+b+c+type@t+block@b", "lct:org:lib:unit:u1",
    ],
    "library_collection_locator": [
        "lib-collection:org:lib:coll-1", "lib-collection:org:lib:coll_1.\u00e9", "lib-collection:org:lib\u00e9:c",
        "lib-collection:org:lib:c\n", "lib-collection:O_1:l.b-2:\u0661\u0662", "lib-collection:org\n:lib\n:c",
        "lib-collection:org\u00e9:lib:c", "lib-collection:org:lib:", "lib-collection:org:lib",
        "lib-collection:org:lib:c:d", "lib-collection:org:lib:c~d", "lib-collection:org:lib:c d",
        "lib-collection:org:lib:c\n\n", "Lib-collection:org:lib:c", "lib-collection::lib:c", "lib:org:lib",
        "lib-collection:org:lib:c%d",
    ],
    "library_container_locator": [
        "lct:org:lib:unit:u1", "lct:org:lib:unit:u1\u00e9", "lct:org:lib:section:s.1-a_b", "lct:o:l:t:u\n",
        "lct:org:lib\u00e9:subsection:x", "lct:org\n:lib:unit\n:u1", "lct:org:lib:unit\u00e9:u1", "lct:org\u00e9:lib:unit:u1",
        "lct:org:lib:unit", "lct:org:lib:unit:u1:x", "lct:org:lib::u1", "lct:org:lib:unit:u 1", "lct:org:lib:unit:u1\n\n",
        "LCT:org:lib:unit:u1", "lct:org:lib:unit:u~1", "lb:org:lib:unit:u1",
    ],
}

# Valid keys of each kind to mutate (plus a few of the other kinds).
SEEDS = {
    "course_key": ["course-v1:edX+DemoX+Demo_Course", f"course-v1:a+b+c+branch@d+version@{V}",
                   "course-v1:a+b+c+type@t+block@b%c", "edX/DemoX/Demo_Course", "slashes:a+b+c",
                   "library-v1:a+b+branch@x", f"library-v1:version@{V}",
                   f"ccx-v1:a+b+c+branch@q+version@{V.upper()}+ccx@12+type@t+block@b"],
    "usage_key": ["block-v1:a+b+c+type@problem+block@x:y", f"block-v1:version@{V}+block@z",
                  "i4x://edX/DemoX/problem/abc@draft", "lb:org:lib:problem:p1", "lib-block-v1:o+l+type@t+block@b",
                  "location:a+b+c+d+e", "ccx-block-v1:a+b+c+ccx@1+type@t+block@b",
                  "aside-usage-v2:block-v1$:a+b+c+type@t+block@b::tag", "aside-usage-v1:lb:o:l:t:u::x$$y",
                  "aside-usage-v1:i4x://a/b/c::d/e::x$::y", "aside-usage-v2:i4x$://a/b/c$:$:d/e::x"],
    "ccx_locator": ["ccx-v1:org+course+run+ccx@1", f"ccx-v1:a+b+c+branch@q+version@{V}+ccx@12+type@t+block@b",
                    f"ccx-v1:version@{V.upper()}+ccx@7", "ccx-v1:a+b+c+Branch@x+CCX@3"],
    "library_locator_v2": ["lib:org:slug", "lib:O-r_g.1:s\u00e9", "lib:org\n:slug\n"],
    "library_usage_locator_v2": ["lb:org:lib:problem:p1", "lb:o.rg:li-b:pro_blem:p.1-x\n"],
    "library_collection_locator": ["lib-collection:org:lib:c1", "lib-collection:O.1:l-b:c_\u00e9"],
    "library_container_locator": ["lct:org:lib:unit:u1", "lct:O.1:l-b:section:s_\u00e9"],
}

ALPHABET = list("abcAB019+@/:.-_~%$ \n\r\t") + [
    "\u00e9", "\u0663", "\u00b2", "\u2160", "\u0301", "\u0131", "\u0130", "\u017f", "\u212a", "\u8bfe", "\u00a0",
    "\uff11", "\U0001d7cf", "\U0001f600", "\u00aa", "branch@", "version@", "type@", "block@", "ccx@", "CCX@",
    "::", "$:", "$$", "i4x://", V, "lb:", "course-v1:"]


def mutate(rnd, text):
    s = list(text)
    for _ in range(rnd.choice([0, 1, 1, 2, 3])):
        i = rnd.randrange(len(s) + 1)
        op = rnd.random()
        if op < 0.35 and s:
            s[min(i, len(s) - 1)] = rnd.choice(ALPHABET)
        elif op < 0.7:
            s.insert(i, rnd.choice(ALPHABET))
        elif s:
            del s[min(i, len(s) - 1)]
    return "".join(s)


def cases_for(kind, parse, rnd, per_kind):
    entry = KINDS[kind]
    cases = {}
    for text in CURATED[kind]:
        cases[text] = parse(entry, text) is not None
    others = [s for k, seeds in SEEDS.items() if k != kind for s in seeds]
    quota = {True: (per_kind - len(cases)) // 2, False: per_kind - len(cases) - (per_kind - len(cases)) // 2}
    while any(quota.values()):
        seed = rnd.choice(SEEDS[kind]) if rnd.random() < 0.9 else rnd.choice(others)
        text = mutate(rnd, seed)
        valid = parse(entry, text) is not None
        if text not in cases and quota[valid]:
            cases[text] = valid
            quota[valid] -= 1
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="path of opaque_keys_model.py")
    parser.add_argument("--per-kind", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    assert sys.version_info[:2] == (3, 11), "generate with Python 3.11 (Unicode 14 classes)"
    spec = importlib.util.spec_from_file_location("opaque_keys_model", args.model)
    model = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(model)
    rnd = random.Random(args.seed)
    for kind in KINDS:
        for text, valid in cases_for(kind, model.parse, rnd, args.per_kind).items():
            print(json.dumps({"kind": kind, "input": text, "valid": valid}))


if __name__ == "__main__":
    main()
