#!/usr/bin/env python3
"""The measurements behind tests/bench/run.sh (see README.md beside this file).

    python3 bench.py --oex PATH --node-modules DIR

run.sh installs the dependencies and then calls this; it can be run by hand once they are
there. Progress goes to stderr, the results table to stdout. Exit status: 0 when every
measurement was made (whether or not oex met its goals), 1 when a correctness check failed
(the two sides of a comparison did not do the same work, so no figure is printed for it),
2 on a usage or setup error.
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

TYPE = "org.openedx.learning.course.enrollment.created.v1"
COUNT = 100_000  # payloads in the JSON Lines file of goals 1 and 3
JSONL_RUNS = 5  # goal 1: timed runs per command (after one warm-up run each)
SINGLE_RUNS = 200  # goal 2: timed runs per command (after SINGLE_WARMUP each)
SINGLE_WARMUP = 10
COPIES_100M = 2  # goal 3: copies of the 100,000-payload file (~49 MB each)
COPIES_1G = 21
FLAT_LIMIT = 1.10  # goal 3: peak RSS on ~1 GB at most this times the peak on ~100 MB
BROKEN = {  # goal 1 check: line number -> how it is broken
    50_000: "user.id a string (type)",
    75_000: 'course_key "not a key" (pattern)',
    99_999: "truncated line (malformed JSON)",
}

HERE = os.path.dirname(os.path.abspath(__file__))


class CheckFailed(Exception):
    pass


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def check(cond, msg):
    if not cond:
        raise CheckFailed(msg)


# ---------------------------------------------------------------------------------------
# running commands

def spawn_timed(argv, env, stdout=os.devnull, stderr=os.devnull):
    """Runs argv (argv[0] an absolute path, no shell), stdin from /dev/null.

    Returns (wall seconds from just before spawn to just after the child is reaped,
    exit code). (wait4's ru_maxrss is no use here: glibc's posix_spawn runs the child in
    the parent's address space until exec, and Linux counts that towards the child's peak;
    peak RSS is measured separately with GNU time.)"""
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, stdout, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
        (os.POSIX_SPAWN_OPEN, 2, stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
    ]
    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
    _, status = os.waitpid(pid, 0)
    t1 = time.perf_counter()
    return t1 - t0, os.waitstatus_to_exitcode(status)


def run(argv, env, stdout_path=None):
    """Runs argv for its output; returns (exit code, stdout text, stderr text)."""
    if stdout_path:
        with open(stdout_path, "wb") as out:
            p = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=out,
                               stderr=subprocess.PIPE)
        return p.returncode, "", p.stderr.decode("utf-8", "replace")
    p = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True)
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


# ---------------------------------------------------------------------------------------
# machine and tools

def machine_info():
    cpu = "unknown"
    try:
        for line in read("/proc/cpuinfo").splitlines():
            key = line.split(":", 1)[0].strip()
            if key in ("model name", "Model", "cpu model") and ":" in line:
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        m = re.search(r"^MemTotal:\s+(\d+) kB", read("/proc/meminfo"), re.M)
        if m:
            mem = f"{int(m.group(1)) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    osname = platform.system()
    try:
        m = re.search(r'^PRETTY_NAME="?([^"\n]*)', read("/etc/os-release"), re.M)
        if m:
            osname = m.group(1)
    except OSError:
        pass
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return {"nproc": nproc or str(os.cpu_count()), "cpu": cpu, "mem": mem, "os": osname,
            "kernel": platform.release(), "arch": platform.machine()}


def loadavg():
    try:
        return " ".join(read("/proc/loadavg").split()[:3])
    except OSError:
        return "unknown"


def jsonschema_binary(node, node_modules):
    """The native binary @sourcemeta/jsonschema's own npm/main.js would spawn."""
    pkg = os.path.join(node_modules, "@sourcemeta", "jsonschema")
    script = (
        "const os=require('os');"
        "const P=os.platform()==='win32'?'windows':os.platform();"
        "const A=os.arch()==='x64'?'x86_64':os.arch();"
        "const r=process.report&&process.report.getReport?process.report.getReport():null;"
        "const musl=P==='linux'&&r!==null&&r.header.glibcVersionRuntime===undefined;"
        "process.stdout.write('jsonschema-'+P+'-'+A+(musl&&(A==='x86_64'||A==='arm64')?'-musl':'')"
        "+(P==='windows'?'.exe':''));"
    )
    name = subprocess.run([node, "-e", script], capture_output=True, text=True,
                          check=True).stdout.strip()
    return os.path.join(pkg, "build", "github-releases", name)


def package_version(node_modules, name):
    with open(os.path.join(node_modules, *name.split("/"), "package.json")) as f:
        return json.load(f)["version"]


# ---------------------------------------------------------------------------------------
# statistics and formatting

def fmt_s(seconds):
    return f"{seconds:.3f} s"


def fmt_ms(seconds):
    return f"{seconds * 1000:.2f} ms"


def fmt_int(x):
    return f"{x:,.0f}"


def fmt_kib(kib):
    return f"{kib / 1024:.1f} MiB"


def table(rows, align):
    """rows: list of lists of str (first row the header); align: string of 'l'/'r'."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]

    def line(r):
        cells = [(c.ljust(w) if a == "l" else c.rjust(w)) for c, w, a in zip(r, widths, align)]
        return "  | " + " | ".join(cells) + " |"

    out = [line(rows[0]), "  |" + "|".join(("-" * (w + 1) + ":") if a == "r" else
                                           ("-" * (w + 2)) for w, a in zip(widths, align)) + "|"]
    out += [line(r) for r in rows[1:]]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------
# the benchmark

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--oex", required=True, help="the oex binary to measure")
    ap.add_argument("--node-modules", required=True, help="node_modules with ajv and "
                    "@sourcemeta/jsonschema (installed by run.sh)")
    ap.add_argument("--tmp", default=os.environ.get("TMPDIR", "/tmp"),
                    help="where to make the temporary directory (needs ~1.2 GB free)")
    args = ap.parse_args()

    oex_given = os.path.abspath(args.oex)
    if not (os.path.isfile(oex_given) and os.access(oex_given, os.X_OK)):
        print(f"bench.py: error: {args.oex} is not an executable file", file=sys.stderr)
        return 2
    node = shutil.which("node")
    gnu_time = "/usr/bin/time"
    node_modules = os.path.abspath(args.node_modules)
    if node is None or not os.path.isdir(node_modules) or not os.access(gnu_time, os.X_OK):
        print("bench.py: error: needs node, /usr/bin/time (GNU time) and --node-modules; "
              "run tests/bench/run.sh", file=sys.stderr)
        return 2
    jsonschema = jsonschema_binary(node, node_modules)
    if not os.access(jsonschema, os.X_OK):
        print(f"bench.py: error: no native jsonschema binary at {jsonschema}", file=sys.stderr)
        return 2

    need = 1.25e9
    free = shutil.disk_usage(args.tmp).free
    if free < need:
        print(f"bench.py: error: {args.tmp} has {free / 1e9:.2f} GB free; the ~1 GB JSON Lines "
              f"file needs {need / 1e9:.2f} GB (set TMPDIR elsewhere)", file=sys.stderr)
        return 2

    tmp = tempfile.mkdtemp(prefix="oex-bench.", dir=args.tmp)

    def on_term(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)
    cwd = os.getcwd()
    try:
        # The jsonschema CLI looks for a jsonschema.json configuration from the working
        # directory; the temporary directory has none.
        os.chdir(tmp)
        return measure(args, tmp, oex_given, node, node_modules, jsonschema, gnu_time)
    except CheckFailed as e:
        print(f"bench.py: correctness check failed: {e}", file=sys.stderr)
        print("bench.py: the compared commands did not do the same work; no figures.",
              file=sys.stderr)
        return 1
    finally:
        os.chdir(cwd)
        shutil.rmtree(tmp, ignore_errors=True)
        log(f"removed {tmp}")


def measure(args, tmp, oex_given, node, node_modules, jsonschema, gnu_time_bin):
    t_start = time.perf_counter()
    machine = machine_info()
    load_start = loadavg()
    env = dict(os.environ)
    env["NODE_PATH"] = node_modules
    env["NO_COLOR"] = "1"
    env.pop("NODE_OPTIONS", None)

    # A private copy, so that a rebuild of the given binary during the run cannot mix two
    # binaries into one set of figures (the catalog is embedded; the copy is the same program).
    oex = os.path.join(tmp, "oex")
    shutil.copy2(oex_given, oex)

    def gnu_time(argv, out=os.devnull, err=os.devnull):
        """Runs argv under GNU time -v: (exit code, peak RSS in KiB, wall seconds)."""
        tv = os.path.join(tmp, "time-v.txt")
        wall, rc = spawn_timed([gnu_time_bin, "-v", "-o", tv] + argv, env, out, err)
        text = read(tv)
        os.remove(tv)
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        check(m is not None, f"no peak RSS from GNU time: {text[:300]!r}")
        m2 = re.search(r"Exit status: (\d+)", text)
        return (int(m2.group(1)) if m2 else rc), int(m.group(1)), wall

    def show(argv):
        """A command for the table: the temporary directory as $T, tools by short name."""
        names = {oex: "oex", node: "node", jsonschema: "jsonschema",
                 os.path.join(HERE, "ajv_validate.js"): "tests/bench/ajv_validate.js"}
        return " ".join(names.get(a, a.replace(tmp + "/", "$T/")) for a in argv)

    versions = {
        "oex": run([oex, "--version"], env)[1].strip(),
        "node": run([node, "--version"], env)[1].strip(),
        "ajv": package_version(node_modules, "ajv"),
        "jsonschema_pkg": package_version(node_modules, "@sourcemeta/jsonschema"),
        "jsonschema_bin": run([jsonschema, "--version"], env)[1].strip(),
    }

    # ---- data ---------------------------------------------------------------------------
    jsonl = os.path.join(tmp, "payloads.jsonl")
    schema = os.path.join(tmp, "schema.json")
    payload = os.path.join(tmp, "payload.json")
    log(f"oex sample {TYPE} --count {COUNT}")
    rc, _, err = run([oex, "sample", TYPE, "--count", str(COUNT)], env, jsonl)
    check(rc == 0, f"oex sample --count failed ({rc}): {err}")
    rc, _, err = run([oex, "schema", TYPE, "--format", "json-schema"], env, schema)
    check(rc == 0, f"oex schema --format json-schema failed ({rc}): {err}")
    rc, _, err = run([oex, "sample", TYPE], env, payload)
    check(rc == 0, f"oex sample failed ({rc}): {err}")
    with open(jsonl, "rb") as f:
        lines = f.read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    check(len(lines) == COUNT, f"expected {COUNT} lines from oex sample, got {len(lines)}")
    jsonl_bytes = os.path.getsize(jsonl)

    # ---- goal 1: checks -----------------------------------------------------------------
    ajv_js = os.path.join(HERE, "ajv_validate.js")
    oex_jsonl = [oex, "validate", "--jsonl", TYPE, jsonl]
    ajv_cmd = [node, ajv_js, schema, jsonl]
    out_f, err_f = os.path.join(tmp, "out"), os.path.join(tmp, "err")
    valid_summary = f"oex: {COUNT} documents valid"

    def check_oex_jsonl(rc):
        check(rc == 0 and read(out_f) == "" and read(err_f).strip() == valid_summary,
              f"oex validate --jsonl: exit {rc}, stdout {read(out_f)[:300]!r}, "
              f"stderr {read(err_f)[:300]!r}")

    def check_ajv(rc):
        try:
            res = json.loads(read(out_f))
        except ValueError:
            raise CheckFailed(f"ajv_validate.js: exit {rc}, stdout {read(out_f)[:300]!r}, "
                              f"stderr {read(err_f)[:300]!r}")
        check(rc == 0 and res["documents"] == COUNT and res["valid"] == COUNT,
              f"ajv_validate.js: exit {rc}, {res}")
        return res

    log("goal 1 checks: both accept all payloads, both catch the same broken lines")
    # one untimed run each under GNU time, for the peak RSS (and the checks)
    rss1 = {}
    rc, rss1["oex"], _ = gnu_time(oex_jsonl, out_f, err_f)
    check_oex_jsonl(rc)
    rc, rss1["ajv"], _ = gnu_time(ajv_cmd, out_f, err_f)
    check_ajv(rc)

    broken = list(lines)
    d = json.loads(broken[49_999])
    d["enrollment"]["user"]["id"] = str(d["enrollment"]["user"]["id"])
    broken[49_999] = json.dumps(d, separators=(",", ":")).encode()
    d = json.loads(broken[74_999])
    d["enrollment"]["course"]["course_key"] = "not a key"
    broken[74_999] = json.dumps(d, separators=(",", ":")).encode()
    broken[99_998] = broken[99_998][: len(broken[99_998]) // 2]
    broken_path = os.path.join(tmp, "broken.jsonl")
    with open(broken_path, "wb") as f:
        f.write(b"\n".join(broken) + b"\n")
    del broken, lines  # keep this process small while it starts the others
    rc, out, err = run([oex, "validate", "--jsonl", TYPE, broken_path], env)
    oex_bad = sorted({int(m.group(1)) for m in
                      re.finditer(r"^[^\n]*broken\.jsonl:(\d+):\d+: ", out, re.M)})
    check(rc == 1 and oex_bad == sorted(BROKEN) and
          err.strip() == f"oex: 3 of {COUNT} documents invalid, 3 findings",
          f"oex on the broken file: exit {rc}, lines {oex_bad}, stderr {err.strip()!r}")
    rc, out, err = run([node, ajv_js, schema, broken_path], env)
    res = json.loads(out)
    check(rc == 1 and res["invalid_lines"] == sorted(BROKEN) and res["valid"] == COUNT - 3,
          f"ajv on the broken file: exit {rc}, {res}")
    os.remove(broken_path)

    # ---- goal 1: timing -----------------------------------------------------------------
    log(f"goal 1: {JSONL_RUNS} runs each of oex validate --jsonl and ajv, interleaved")
    g1 = {"oex": [], "ajv": []}
    ajv_loop, ajv_compile = [], []
    for i in range(JSONL_RUNS + 1):  # round 0 is the warm-up
        order = ["oex", "ajv"] if i % 2 == 0 else ["ajv", "oex"]
        for name in order:
            if name == "oex":
                wall, rc = spawn_timed(oex_jsonl, env, out_f, err_f)
                check_oex_jsonl(rc)
            else:
                wall, rc = spawn_timed(ajv_cmd, env, out_f, err_f)
                res = check_ajv(rc)
                if i:
                    ajv_loop.append(res["loop_seconds"])
                    ajv_compile.append(res["compile_seconds"])
            if i:
                g1[name].append(wall)

    # ---- goal 2: checks -----------------------------------------------------------------
    oex_one = [oex, "validate", TYPE, payload]
    js_one = [jsonschema, "validate", schema, payload]
    js_fast = [jsonschema, "validate", "--fast", schema, payload]
    true = shutil.which("true") or "/bin/true"
    floor = [true]
    log("goal 2 checks: both accept the payload and refuse a broken one")
    bad_payload = os.path.join(tmp, "bad.json")
    with open(payload) as f:
        d = json.load(f)
    d["enrollment"]["user"]["id"] = str(d["enrollment"]["user"]["id"])
    with open(bad_payload, "w") as f:
        json.dump(d, f, indent=2)
    for argv in (oex_one, js_one, js_fast):
        rc, out, err = run(argv, env)
        check(rc == 0, f"{show(argv)}: exit {rc} on the valid payload: {out}{err}")
        bad = [a if a != payload else bad_payload for a in argv]
        rc, out, err = run(bad, env)
        if argv is oex_one:
            caught = rc == 1 and "enrollment.user.id: expected integer" in out
        else:  # jsonschema: exit 2 and "1 validated, 0 passed, 1 failed"
            caught = rc != 0 and "0 passed, 1 failed" in out + err
        check(caught, f"{show(bad)}: exit {rc} on the broken payload: {out}{err}")
    os.remove(bad_payload)

    # ---- goal 2: timing -----------------------------------------------------------------
    log(f"goal 2: {SINGLE_RUNS} runs each of oex validate and jsonschema validate "
        f"(and, for information, jsonschema --fast, both --version, true), interleaved")
    cmds2 = {"oex": oex_one, "jsonschema": js_one, "jsonschema --fast": js_fast,
             "oex --version": [oex, "--version"], "jsonschema --version": [jsonschema, "--version"],
             "true": floor}
    names2 = list(cmds2)
    g2 = {n: [] for n in names2}
    rss2 = {}
    for n in names2:
        rc, rss2[n], _ = gnu_time(cmds2[n])
        check(rc == 0, f"{show(cmds2[n])}: exit {rc} under GNU time")
    for i in range(SINGLE_WARMUP + SINGLE_RUNS):
        k = i % len(names2)
        for name in names2[k:] + names2[:k]:  # rotate who goes first
            wall, rc = spawn_timed(cmds2[name], env)
            check(rc == 0, f"{show(cmds2[name])}: exit {rc} during timing")
            if i >= SINGLE_WARMUP:
                g2[name].append(wall)

    # ---- goal 3: peak RSS as the input grows ----------------------------------------------
    def gnu_time_run(path):
        argv = [oex, "validate", "--jsonl", "--quiet", TYPE, path]
        rc, rss, wall = gnu_time(argv, out_f, err_f)
        check(rc == 0 and read(out_f) == "" and read(err_f) == "",
              f"{show(argv)}: exit {rc}: {read(out_f)[:300]} {read(err_f)[:300]}")
        return rss, wall, [gnu_time_bin, "-v"] + argv

    def concat(path, copies):
        with open(path, "wb") as out:
            for _ in range(copies):
                with open(jsonl, "rb") as src:
                    shutil.copyfileobj(src, out, 1 << 24)

    g3 = []
    log("goal 3: peak RSS of oex validate --jsonl --quiet on ~49 MB, ~100 MB and ~1 GB")
    rss, wall, argv = gnu_time_run(jsonl)
    g3.append(("100k payloads", jsonl_bytes, COUNT, rss, wall, argv))
    for label, copies in (("~100 MB", COPIES_100M), ("~1 GB", COPIES_1G)):
        path = os.path.join(tmp, f"payloads-x{copies}.jsonl")
        concat(path, copies)
        try:
            rss, wall, argv = gnu_time_run(path)
            g3.append((label, jsonl_bytes * copies, COUNT * copies, rss, wall, argv))
        finally:
            os.remove(path)  # the ~1 GB file is never left behind

    load_end = loadavg()
    elapsed = time.perf_counter() - t_start

    # ---- report -------------------------------------------------------------------------
    p = print
    p("oex benchmarks (tests/bench/run.sh)")
    p("")
    p(f"machine   : {machine['nproc']} CPUs (nproc), {machine['cpu']}, {machine['mem']} RAM, "
      f"{machine['arch']}, {machine['os']}, Linux {machine['kernel']}")
    p(f"load avg  : {load_start} at start, {load_end} at end (1/5/15 min; other work on the "
      f"machine shows here)")
    p(f"oex       : {oex_given} ({versions['oex']}), measured as a private copy $T/oex")
    p(f"baselines : node {versions['node']}, ajv {versions['ajv']} (Ajv2020, strict: false), "
      f"@sourcemeta/jsonschema {versions['jsonschema_pkg']} (native binary "
      f"{os.path.basename(jsonschema)}, version {versions['jsonschema_bin']})")
    p(f"data      : $T = a temporary directory, removed at the end; event type {TYPE}")
    p(f"            $T/payloads.jsonl = oex sample TYPE --count {COUNT} "
      f"({fmt_int(jsonl_bytes)} bytes = {jsonl_bytes / 1e6:.1f} MB)")
    p(f"            $T/schema.json    = oex schema TYPE --format json-schema (draft 2020-12)")
    p(f"            $T/payload.json   = oex sample TYPE ({fmt_int(os.path.getsize(payload))} "
      f"bytes)")
    p("            MB = 10^6 bytes; wall = process start to exit, measured around "
      "posix_spawn + waitpid")

    # goal 1
    best = {n: min(v) for n, v in g1.items()}
    med = {n: statistics.median(v) for n, v in g1.items()}
    p("")
    p(f"1. oex validate --jsonl vs ajv 8, {COUNT:,} payloads, whole command, "
      f"{JSONL_RUNS} runs each (after 1 warm-up), interleaved")
    p(f"   oex: {show(oex_jsonl)}")
    p(f"   ajv: {show([node, ajv_js, schema, jsonl])}   (NODE_PATH={node_modules})")
    p(f"   check: both say {COUNT:,}/{COUNT:,} valid (exit 0) on every run; on a copy with "
      f"lines {', '.join(f'{k:,}' for k in sorted(BROKEN))} broken")
    p(f"          ({'; '.join(BROKEN[k] for k in sorted(BROKEN))}) both flag exactly those 3 "
      f"lines (exit 1)")
    rows = [["command", "best", "median", "payloads/s (best)", "MB/s (best)", "peak RSS*",
             "speed vs ajv (best)", "speed vs ajv (median)"]]
    for n in ("oex", "ajv"):
        rows.append([n, fmt_s(best[n]), fmt_s(med[n]), fmt_int(COUNT / best[n]),
                     f"{jsonl_bytes / 1e6 / best[n]:.1f}", fmt_kib(rss1[n]),
                     f"{best['ajv'] / best[n]:.2f}x", f"{med['ajv'] / med[n]:.2f}x"])
    p(table(rows, "lrrrrrrr"))
    p("   * peak RSS: GNU time -v, one extra untimed run each")
    lb, lm = min(ajv_loop), statistics.median(ajv_loop)
    p(f"   ajv in-process loop only (read + JSON.parse + validate; no Node start-up, no schema "
      f"compile): best {fmt_s(lb)}, median {fmt_s(lm)}")
    p(f"     = {fmt_int(COUNT / lb)} payloads/s, {jsonl_bytes / 1e6 / lb:.1f} MB/s (best); "
      f"schema compile {fmt_s(statistics.median(ajv_compile))} (median); "
      f"oex whole command vs ajv loop only: {lb / best['oex']:.2f}x (best)")
    r1 = best["ajv"] / best["oex"]
    p(f"   goal: oex >= 2x ajv -> {r1:.2f}x (best of {JSONL_RUNS}), "
      f"{med['ajv'] / med['oex']:.2f}x (median): {'MET' if r1 >= 2 else 'NOT MET'}")

    # goal 2
    mean2 = {n: statistics.fmean(v) for n, v in g2.items()}
    med2 = {n: statistics.median(v) for n, v in g2.items()}
    p("")
    p(f"2. one oex validate vs one jsonschema validate on one payload, {SINGLE_RUNS} runs each "
      f"(after {SINGLE_WARMUP} warm-up), interleaved")
    width = max(len(n) for n in names2) + 2
    for n in names2:
        p(f"   {n + ':':<{width}}{show(cmds2[n])}")
    p("   check: the three validate commands exit 0 on the payload (every run) and refuse a copy with "
      "enrollment.user.id a string")
    rows = [["command", "mean", "median", "min", "stdev", "peak RSS*",
             "time vs jsonschema (mean)", "time vs jsonschema (median)"]]
    for n in names2:
        rows.append([n, fmt_ms(mean2[n]), fmt_ms(med2[n]), fmt_ms(min(g2[n])),
                     fmt_ms(statistics.stdev(g2[n])), fmt_kib(rss2[n]),
                     f"{mean2[n] / mean2['jsonschema']:.2f}", f"{med2[n] / med2['jsonschema']:.2f}"])
    p(table(rows, "lrrrrrrr"))
    p("   * peak RSS: GNU time -v, one extra untimed run each")
    p("   The baseline is the plain jsonschema validate; the other rows are for information:")
    p("   --version = start-up of each tool without validating anything; true = the cost of "
      "starting any process here")
    r2m, r2d = mean2["oex"] / mean2["jsonschema"], med2["oex"] / med2["jsonschema"]
    p(f"   goal: oex <= 0.50x the time of jsonschema validate -> {r2m:.2f}x (mean), "
      f"{r2d:.2f}x (median): {'MET' if max(r2m, r2d) <= 0.5 else 'NOT MET'}")

    # goal 3
    p("")
    p("3. peak RSS of oex validate --jsonl --quiet as the input grows (GNU time -v, one run each)")
    p(f"   command: {show(g3[0][5])}")
    p(f"   inputs: $T/payloads.jsonl, and it concatenated {COPIES_100M}x and {COPIES_1G}x "
      f"(each deleted right after its run); all runs exit 0")
    rows = [["input", "bytes", "payloads", "peak RSS", "RSS vs 100k-file run", "wall**", "MB/s**"]]
    base = g3[0][3]
    for label, size, n, rss, wall, _ in g3:
        rows.append([label, fmt_int(size), fmt_int(n), fmt_kib(rss), f"{rss / base:.2f}",
                     fmt_s(wall), f"{size / 1e6 / wall:.1f}" if wall > 0 else "-"])
    p(table(rows, "lrrrrrr"))
    p("   ** for information: one run, under GNU time, file just written (in the page cache)")
    r3 = g3[2][3] / g3[1][3]
    p(f"   goal: flat memory, peak RSS on ~1 GB <= {FLAT_LIMIT:.2f}x the peak on ~100 MB -> "
      f"{r3:.2f}x ({fmt_kib(g3[2][3])} vs {fmt_kib(g3[1][3])}): "
      f"{'MET' if r3 <= FLAT_LIMIT else 'NOT MET'}")
    p("")
    p(f"measurements took {elapsed:.0f} s")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
