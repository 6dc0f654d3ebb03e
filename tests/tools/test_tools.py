#!/usr/bin/env python3
"""Checks the two test helpers: kafka_mock_cluster (through kcat) and schema_registry.py.

    test_tools.py KAFKA_MOCK_CLUSTER SCHEMA_REGISTRY_PY
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

mock_cluster, registry_script = sys.argv[1], sys.argv[2]
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


def command(cluster, line):
    cluster.stdin.write(line + "\n")
    cluster.stdin.flush()
    return cluster.stdout.readline().strip()


# The mock cluster: bootstrap line, commands, topics with the asked partition count, stop on EOF.
cluster = subprocess.Popen([mock_cluster, "--brokers", "2", "--topic", "three:3"], text=True,
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE)
bootstrap = cluster.stdout.readline().strip()
check(len(bootstrap.split(",")) == 2 and all(b.startswith("127.0.0.1:") for b in bootstrap.split(",")),
      f"two brokers on 127.0.0.1: {bootstrap!r}")
check(command(cluster, "topic made 2") == "ok", "topic command")
check(command(cluster, "nonsense") == 'error: unknown command "nonsense"', "unknown command")
check(command(cluster, "down x") == 'error: bad broker id "x"', "bad broker id")
if shutil.which("kcat"):
    metadata = subprocess.run(["kcat", "-L", "-J", "-b", bootstrap], capture_output=True, text=True,
                              timeout=30).stdout
    topics = {t["topic"]: len(t["partitions"]) for t in json.loads(metadata)["topics"]}
    check(topics.get("three") == 3 and topics.get("made") == 2, f"topic partitions: {topics}")
    subprocess.run(["kcat", "-P", "-b", bootstrap, "-t", "three", "-p", "1", "-k", "k", "-H", "h=v"],
                   input="one\n", text=True, timeout=30, check=True)
    read = subprocess.run(["kcat", "-C", "-b", bootstrap, "-t", "three", "-p", "1", "-e", "-J", "-q"],
                          capture_output=True, text=True, timeout=30).stdout
    message = json.loads(read.splitlines()[0])
    check((message["key"], message["payload"], message["headers"]) == ("k", "one", ["h", "v"]),
          f"kcat round trip: {message}")
check(command(cluster, "down all") == "ok" and command(cluster, "up all") == "ok", "down/up")
cluster.stdin.close()
check(cluster.wait(timeout=30) == 0, "mock cluster exits 0 when stdin closes")

cluster = subprocess.Popen([mock_cluster], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
cluster.stdout.readline()
cluster.terminate()
check(cluster.wait(timeout=30) == 0, "mock cluster exits 0 on SIGTERM")
bad = subprocess.run([mock_cluster, "--brokers", "0"], capture_output=True, text=True, timeout=30)
check(bad.returncode == 2 and "--brokers takes a number from 1 to 64" in bad.stderr, "bad --brokers")

# The registry double.
with tempfile.TemporaryDirectory() as folder:
    log = os.path.join(folder, "requests.log")
    registry = subprocess.Popen([sys.executable, registry_script, "--log", log, "--auth", "u:s"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    url = registry.stdout.readline().strip()
    check(url.startswith("http://127.0.0.1:"), f"registry url {url!r}")

    def call(method, path, body=None, auth="u:s"):
        request = urllib.request.Request(url + path, method=method,
                                         data=json.dumps(body).encode() if body is not None else None)
        if auth:
            request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    string = json.dumps({"type": "string"})
    check(call("POST", "/subjects/t-string/versions", {"schema": string}) == (200, {"id": 1}), "register")
    check(call("POST", "/subjects/u-string/versions", {"schema": string}) == (200, {"id": 1}),
          "same text, same id in another subject")
    check(call("POST", "/subjects/t-long/versions", {"schema": '"long"'}) == (200, {"id": 2}), "second id")
    check(call("GET", "/schemas/ids/1") == (200, {"schema": string}), "schema by id")
    check(call("GET", "/schemas/ids/9") == (404, {"error_code": 40403, "message": "Schema not found"}),
          "unknown id")
    check(call("GET", "/subjects") == (200, ["t-long", "t-string", "u-string"]), "subjects")
    check(call("GET", "/subjects/t-string/versions/latest")[1]["id"] == 1, "latest version")
    check(call("POST", "/subjects/t-string", {"schema": string})[1]["version"] == 1, "lookup")
    check(call("GET", "/schemas/ids/1", auth=None)[0] == 401, "auth required")
    check(call("POST", "/subjects/x/versions", {"schema": "not json"})[0] == 422, "invalid schema")
    registry.stdin.close()
    check(registry.wait(timeout=30) == 0, "registry exits 0 when stdin closes")
    lines = [json.loads(line) for line in open(log)]
    check(len(lines) == 10 and lines[0] == {"method": "POST", "path": "/subjects/t-string/versions",
                                            "auth": "u", "body": json.dumps({"schema": string})},
          f"request log: {lines[:1]}")

    failing = subprocess.Popen([sys.executable, registry_script, "--fail", "503"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    url = failing.stdout.readline().strip()
    check(call("GET", "/schemas/ids/1") == (503, {"error_code": 50301, "message": "refused by --fail"}),
          "--fail")
    failing.terminate()
    check(failing.wait(timeout=30) == 0, "registry exits 0 on SIGTERM")

sys.exit(1 if failures else 0)
