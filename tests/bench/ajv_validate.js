#!/usr/bin/env node
// Baseline for tests/bench/run.sh: validate a JSON Lines file against a JSON Schema
// (draft 2020-12) with ajv 8, all in one Node process.
//
//   node ajv_validate.js [--read blocks|whole] SCHEMA.json FILE.jsonl
//
// Compiles the schema once, then reads the file and for every non-blank line does
// JSON.parse + the compiled validator. --read blocks (the default) reads 1 MiB blocks and
// decodes the whole lines of each; --read whole reads the whole file into one string with one
// readFileSync and cuts it at each "\n". Which is faster depends on the payloads, so the
// catalog benchmark times both and compares oex with the faster (a line that does not parse counts as invalid;
// "\r\n" line ends are accepted, as with oex validate --jsonl). Prints one JSON object:
//   {"ajv_version": "8.x.y", "documents": N, "valid": V, "invalid": I,
//    "invalid_lines": [the first 10 invalid line numbers],
//    "compile_seconds": ..., "loop_seconds": ...}
// compile_seconds: reading the schema + new Ajv2020 + compile; loop_seconds: reading the
// file, JSON.parse and validate (Node start-up and module loading are in neither). Exit status as oex validate:
// 0 every document valid, 1 any invalid, 2 usage or input error.
//
// Module resolution: ajv is looked up from NODE_PATH (run.sh points it at the
// node_modules it installed) or from this directory upwards.
"use strict";

const fs = require("fs");

function now() {
  return Number(process.hrtime.bigint()) / 1e9;
}

function readBlocks(dataPath, line) {
  // Reads dataPath in 1 MiB blocks, calling line(s) for each line (flat memory).
  // Blocks are cut after their last "\n" byte, which never occurs inside a UTF-8 sequence,
  // so every decoded piece is whole lines; the tail is carried over as bytes.
  const fd = fs.openSync(dataPath, "r");
  const BLOCK = 1 << 20;
  let buf = Buffer.allocUnsafe(BLOCK);
  let have = 0; // bytes of carried-over partial line at buf[0..have)
  for (;;) {
    if (have === buf.length) { // a line longer than the buffer: grow it
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, have);
      buf = bigger;
    }
    const n = fs.readSync(fd, buf, have, buf.length - have, null);
    const filled = have + n;
    if (n === 0) {
      if (filled > 0) line(buf.toString("utf8", 0, filled));
      break;
    }
    const lastNl = buf.lastIndexOf(10, filled - 1);
    if (lastNl < 0) { have = filled; continue; }
    const text = buf.toString("utf8", 0, lastNl);
    let start = 0;
    for (;;) {
      const end = text.indexOf("\n", start);
      if (end === -1) { line(text.slice(start)); break; }
      line(text.slice(start, end));
      start = end + 1;
    }
    buf.copy(buf, 0, lastNl + 1, filled);
    have = filled - (lastNl + 1);
  }
  fs.closeSync(fd);
}

function main(argv) {
  let read = "blocks";
  if (argv.length === 4 && argv[0] === "--read" && (argv[1] === "blocks" || argv[1] === "whole")) {
    read = argv[1];
    argv = argv.slice(2);
  }
  if (argv.length !== 2) {
    process.stderr.write("usage: node ajv_validate.js [--read blocks|whole] SCHEMA.json FILE.jsonl\n");
    return 2;
  }
  const [schemaPath, dataPath] = argv;
  const Ajv2020 = require("ajv/dist/2020");

  const t0 = now();
  const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
  // strict: false only relaxes ajv's own schema-authoring checks (unknown keywords and the
  // like); it does not change what a document must satisfy.
  const ajv = new Ajv2020({ strict: false });
  const validate = ajv.compile(schema);
  const t1 = now();

  let documents = 0;
  let valid = 0;
  const invalidLines = []; // the first 10
  let lineNo = 0;

  function line(s) { // s: one line without its "\n"
    lineNo++;
    let stop = s.length;
    if (stop > 0 && s.charCodeAt(stop - 1) === 13) stop--; // \r\n
    let blank = true;
    for (let i = 0; i < stop; i++) {
      const c = s.charCodeAt(i);
      if (c !== 32 && c !== 9) { blank = false; break; }
    }
    if (blank) return;
    documents++;
    let ok = false;
    try {
      ok = validate(JSON.parse(stop === s.length ? s : s.slice(0, stop)));
    } catch (e) {
      ok = false; // malformed JSON
    }
    if (ok) valid++;
    else if (invalidLines.length < 10) invalidLines.push(lineNo);
  }

  if (read === "whole") {
    const text = fs.readFileSync(dataPath, "utf8");
    let start = 0;
    while (start < text.length) {
      const end = text.indexOf("\n", start);
      if (end === -1) { line(text.slice(start)); break; }
      line(text.slice(start, end));
      start = end + 1;
    }
  } else {
    readBlocks(dataPath, line);
  }
  const t2 = now();

  process.stdout.write(JSON.stringify({
    ajv_version: require("ajv/package.json").version,
    documents,
    valid,
    invalid: documents - valid,
    invalid_lines: invalidLines,
    read,
    compile_seconds: +(t1 - t0).toFixed(6),
    loop_seconds: +(t2 - t1).toFixed(6),
  }) + "\n");
  return documents === valid ? 0 : 1;
}

let code;
try {
  code = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`ajv_validate.js: error: ${e && e.message ? e.message : e}\n`);
  code = 2;
}
process.exitCode = code;
