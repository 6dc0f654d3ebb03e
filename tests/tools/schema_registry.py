#!/usr/bin/env python3
"""A Confluent-compatible schema registry test double, in memory, for oex's Kafka tests.

    schema_registry.py [--port N] [--log FILE] [--auth USER:SECRET] [--fail STATUS]

Listens on 127.0.0.1 (port N, default one the system picks), prints its URL
(http://127.0.0.1:PORT) as the first line on standard output, and serves:

    POST /subjects/<subject>/versions     register {"schema": TEXT}: {"id": ID}
    POST /subjects/<subject>              look a schema up: {"subject", "id", "version", "schema"}
    GET  /schemas/ids/<id>                {"schema": TEXT}
    GET  /subjects                        the subjects
    GET  /subjects/<subject>/versions     the subject's versions
    GET  /subjects/<subject>/versions/<version|latest>

A schema text has one id whatever the subject (as in the real registry); texts are compared
byte for byte (the real registry compares parsed schemas). Errors have the registry's form,
{"error_code": N, "message": "..."}. --log appends one JSON line per request (method, path,
the basic-auth user or null, the request body). --auth refuses requests without those
credentials (401); --fail answers every request with that HTTP status (a registry that is up
but refuses). Runs until standard input closes, or SIGTERM/SIGINT.
"""
import argparse
import base64
import json
import os
import signal
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"


class Registry:
    def __init__(self):
        self.lock = threading.Lock()
        self.ids = {}  # schema text -> id
        self.texts = {}  # id -> schema text
        self.subjects = {}  # subject -> [id of version 1, 2, ...]

    def register(self, subject, text):
        with self.lock:
            schema_id = self.ids.get(text)
            if schema_id is None:
                schema_id = len(self.ids) + 1
                self.ids[text] = schema_id
                self.texts[schema_id] = text
            versions = self.subjects.setdefault(subject, [])
            if schema_id not in versions:
                versions.append(schema_id)
            return schema_id


class Handler(BaseHTTPRequestHandler):
    server_version = "oex-schema-registry-double"
    protocol_version = "HTTP/1.1"
    # Each answer leaves in one write (headers and body buffered, flushed after the request), as
    # a real registry's does. Written unbuffered, the body went out as a second small segment that
    # Nagle held until the client's delayed acknowledgement (~40 ms on a kept-alive connection):
    # every registration after the first paid that wait.
    wbufsize = -1
    disable_nagle_algorithm = True

    def log_message(self, format, *args):  # the request log is --log's job
        pass

    def send_json(self, status, document):
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", CONTENT_TYPE)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def error(self, status, code, message):
        self.send_json(status, {"error_code": code, "message": message})

    def auth_user(self):
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return None
        try:
            return base64.b64decode(header[6:]).decode()
        except ValueError:
            return None

    def handle_request(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        credentials = self.auth_user()
        options = self.server.options
        if options.log:
            line = {"method": method, "path": self.path,
                    "auth": credentials.split(":", 1)[0] if credentials else None, "body": body}
            with self.server.log_lock, open(options.log, "a") as log:
                log.write(json.dumps(line) + "\n")
        if options.fail:
            return self.error(options.fail, options.fail * 100 + 1, "refused by --fail")
        if options.auth and credentials != options.auth:
            return self.error(401, 40101, "Unauthorized")
        parts = [urllib.parse.unquote(p) for p in urllib.parse.urlsplit(self.path).path.split("/")[1:]]
        registry = self.server.registry
        if method == "POST" and len(parts) in (2, 3) and parts[0] == "subjects":
            try:
                text = json.loads(body)["schema"]
                json.loads(text)
            except (ValueError, KeyError, TypeError):
                return self.error(422, 42201, "Invalid schema")
            if len(parts) == 3 and parts[2] == "versions":
                return self.send_json(200, {"id": registry.register(parts[1], text)})
            if len(parts) == 2:
                schema_id = registry.ids.get(text)
                versions = registry.subjects.get(parts[1])
                if versions is None:
                    return self.error(404, 40401, f"Subject '{parts[1]}' not found.")
                if schema_id not in versions:
                    return self.error(404, 40403, "Schema not found")
                return self.send_json(200, {"subject": parts[1], "id": schema_id,
                                            "version": versions.index(schema_id) + 1, "schema": text})
        if method == "GET" and len(parts) == 3 and parts[:2] == ["schemas", "ids"]:
            text = registry.texts.get(int(parts[2])) if parts[2].isdigit() else None
            if text is None:
                return self.error(404, 40403, "Schema not found")
            return self.send_json(200, {"schema": text})
        if method == "GET" and parts == ["subjects"]:
            return self.send_json(200, sorted(registry.subjects))
        if method == "GET" and len(parts) >= 3 and parts[0] == "subjects" and parts[2] == "versions":
            versions = registry.subjects.get(parts[1])
            if versions is None:
                return self.error(404, 40401, f"Subject '{parts[1]}' not found.")
            if len(parts) == 3:
                return self.send_json(200, list(range(1, len(versions) + 1)))
            if len(parts) == 4:
                wanted = len(versions) if parts[3] == "latest" else int(parts[3]) if parts[3].isdigit() else 0
                if not 1 <= wanted <= len(versions):
                    return self.error(404, 40402, "Version not found.")
                schema_id = versions[wanted - 1]
                return self.send_json(200, {"subject": parts[1], "version": wanted, "id": schema_id,
                                            "schema": registry.texts[schema_id]})
        return self.error(404, 404, f"no such endpoint: {method} {self.path}")

    def do_GET(self):
        self.handle_request("GET")

    def do_POST(self):
        self.handle_request("POST")


def main():
    parser = argparse.ArgumentParser(description="schema registry test double")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log")
    parser.add_argument("--auth", help="USER:SECRET required as basic auth")
    parser.add_argument("--fail", type=int, help="answer every request with this HTTP status")
    options = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
    server.daemon_threads = True
    server.options = options
    server.registry = Registry()
    server.log_lock = threading.Lock()

    def stop(*_):
        threading.Thread(target=server.shutdown, daemon=True).start()

    def wait_for_stdin_close():
        while sys.stdin.buffer.read(4096):
            pass
        stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threading.Thread(target=wait_for_stdin_close, daemon=True).start()
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()
    server.server_close()
    # The stdin watcher may still be blocked in read(): leave without waiting for it (a normal
    # interpreter shutdown would abort on its lock).
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
