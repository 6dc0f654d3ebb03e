// oex encode, decode and compat, driven through the real binary.

#include <algorithm>
#include <filesystem>

#include <catch2/catch.hpp>

#include "support/subprocess.hpp"

using oex::test::read_file;
using oex::test::run;
using oex::test::run_oex;
using oex::test::RunOptions;
using oex::test::TempDir;

namespace {

const std::string k_enrollment = "org.openedx.learning.course.enrollment.created.v1";
const std::string k_stored_dir = CONFORMANCE_DIR "/openedx-events-11.2.0/avro-schemas";

std::string sample(const std::string& type, const std::string& seed = "1")
{
  return run_oex({"sample", type, "--seed", seed}).out;
}

std::string encode_hex(const std::string& type, const std::string& payload)
{
  RunOptions options;
  options.input = payload;
  const auto result = run_oex({"encode", type, "-", "--hex"}, options);
  REQUIRE(result.exit_code == 0);
  return result.out;
}

} // namespace

TEST_CASE("oex encode --hex | oex decode --hex gives the payload back, valid")
{
  const std::string hex = encode_hex(k_enrollment, sample(k_enrollment));
  CHECK(hex.back() == '\n');
  CHECK(hex.find_first_not_of("0123456789abcdef\n") == std::string::npos);
  RunOptions options;
  options.input = hex;
  const auto decoded = run_oex({"decode", k_enrollment, "--hex"}, options);
  CHECK(decoded.exit_code == 0);
  CHECK(decoded.err.empty());
  CHECK(decoded.out.starts_with("{\"enrollment\": {\"user\": {\"id\": "));
  CHECK(std::count(decoded.out.begin(), decoded.out.end(), '\n') == 1);
  options.input = decoded.out;
  CHECK(run_oex({"validate", k_enrollment, "-"}, options).exit_code == 0);
  // and encoding it again gives the same bytes
  CHECK(encode_hex(k_enrollment, decoded.out) == hex);
}

TEST_CASE("oex encode: raw bytes to a pipe or a file, never to a terminal")
{
  TempDir dir;
  const std::string payload = dir.write("p.json", sample(k_enrollment));
  const auto raw = run_oex({"encode", k_enrollment, payload});
  CHECK(raw.exit_code == 0);
  const auto to_file = run_oex({"encode", k_enrollment, payload, "-o", dir.path() + "/out.avro"});
  CHECK(to_file.exit_code == 0);
  CHECK(to_file.out.empty());
  CHECK(read_file(dir.path() + "/out.avro") == raw.out);
  RunOptions options;
  options.input = raw.out;
  const auto decoded = run_oex({"decode", k_enrollment}, options);
  CHECK(decoded.exit_code == 0);
  // a terminal on stdout: refused (script gives the child a pseudo-terminal)
  const auto tty = run("script", {"-qec", std::string(OEX_BINARY) + " encode " + k_enrollment + " " + payload,
                                  "/dev/null"});
  CHECK(tty.exit_code == 2);
  CHECK(tty.out.find("oex: error: refusing to write binary Avro to a terminal: use --hex, -o FILE or a pipe")
        != std::string::npos);
}

TEST_CASE("oex encode: an invalid payload is reported as validate does and nothing is written")
{
  TempDir dir;
  const std::string payload = dir.write("bad.json", R"({"enrollment": {"user": {"id": "12"}}})");
  const auto result = run_oex({"encode", k_enrollment, payload, "-o", dir.path() + "/out.avro"});
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());
  CHECK(result.err.find(payload + ":1:32: enrollment.user.id: expected integer, got string \"12\"\n")
        != std::string::npos);
  CHECK(result.err.ends_with("oex: " + payload + " is not a valid payload for " + k_enrollment
                             + ": nothing was written\n"));
  CHECK(!std::filesystem::exists(dir.path() + "/out.avro"));
  const auto malformed = run_oex({"encode", k_enrollment, dir.write("m.json", "{"), "--hex"});
  CHECK(malformed.exit_code == 2);
  CHECK(malformed.err.starts_with("oex: error: " + dir.path() + "/m.json:1:2: "));
  const auto unserializable =
    run_oex({"encode", "org.openedx.learning.external_grader.score.submitted.v1", payload, "--hex"});
  CHECK(unserializable.exit_code == 2);
  CHECK(unserializable.err
        == "oex: error: 'org.openedx.learning.external_grader.score.submitted.v1' cannot go on the event bus: "
           "openedx-events marks it as not serializable for the event bus\n");
}

TEST_CASE("oex decode: bad bytes are one line FILE: byte N: PATH: PROBLEM, exit 1")
{
  const std::string hex = encode_hex(k_enrollment, sample(k_enrollment));
  const std::string bytes_hex = hex.substr(0, hex.size() - 1);
  RunOptions options;
  options.input = bytes_hex + "00\n";
  auto result = run_oex({"decode", k_enrollment, "--hex"}, options);
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());
  CHECK(result.err == "<stdin>: byte " + std::to_string(bytes_hex.size() / 2) + ": 1 trailing byte after the record\n");

  options.input = bytes_hex.substr(0, 10);
  result = run_oex({"decode", k_enrollment, "--hex"}, options);
  CHECK(result.exit_code == 1);
  CHECK(result.err.starts_with("<stdin>: byte "));
  CHECK(result.err.find(": enrollment.user.pii.username: ") != std::string::npos);

  options.input = "zz";
  result = run_oex({"decode", k_enrollment, "--hex"}, options);
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: <stdin>: character 0: invalid hex digit 'z'\n");

  // --json: one document either way
  options.input = bytes_hex + "00";
  result = run_oex({"decode", k_enrollment, "--hex", "--json"}, options);
  CHECK(result.exit_code == 1);
  CHECK(result.out == R"({"event_type": ")" + k_enrollment + R"(", "ok": false, "error": {"file": "<stdin>", "byte": )"
                        + std::to_string(bytes_hex.size() / 2)
                        + R"(, "path": "", "message": "1 trailing byte after the record"}})" + "\n");
  options.input = bytes_hex;
  result = run_oex({"decode", k_enrollment, "--hex", "--json"}, options);
  CHECK(result.exit_code == 0);
  CHECK(result.out.starts_with(R"({"event_type": ")" + k_enrollment + R"(", "ok": true, "payload": {"enrollment": )"));
}

TEST_CASE("oex decode: truncated input names what was being read")
{
  RunOptions options;
  options.input = "00\n";
  const auto result = run_oex({"decode", k_enrollment, "--hex"}, options);
  CHECK(result.exit_code == 1);
  CHECK(result.err == "<stdin>: byte 1: enrollment.user.is_active: unexpected end of input (1 byte needed, 0 left)\n");
}

TEST_CASE("oex decode: a claimed length of 2^62 is refused before any allocation")
{
  // user.id, then a username whose length says 2^62 bytes follow
  RunOptions options;
  options.input = "0200" "808080808080808080" "01";
#ifdef OEX_SANITIZED
  // AddressSanitizer reserves terabytes of address space: no limit there (it would still abort
  // on a 2^62-byte allocation, so the check stands).
  const auto result = run("prlimit", {"--", OEX_BINARY, "decode", k_enrollment, "--hex"}, options);
#else
  const auto result =
    run("prlimit", {"--as=300000000", "--", OEX_BINARY, "decode", k_enrollment, "--hex"}, options);
#endif
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("exceeds the 0 bytes left") != std::string::npos);
}

TEST_CASE("oex decode --writer-schema: old bytes resolved into the current schema")
{
  TempDir dir;
  // a writer schema where the user id was an int and a field since removed was there
  const std::string writer = dir.write("old.avsc", R"({"name": "CloudEvent", "type": "record", "fields": [
    {"name": "enrollment", "type": {"name": "CourseEnrollmentData", "type": "record", "fields": [
      {"name": "user", "type": {"name": "UserData", "type": "record", "fields": [
        {"name": "id", "type": "int"}, {"name": "is_active", "type": "boolean"},
        {"name": "pii", "type": {"name": "UserPersonalData", "type": "record", "fields": [
          {"name": "username", "type": "string"}, {"name": "email", "type": "string"},
          {"name": "name", "type": "string"}]}}]}},
      {"name": "legacy", "type": "string"},
      {"name": "course", "type": {"name": "CourseData", "type": "record", "fields": [
        {"name": "course_key", "type": "string"}, {"name": "display_name", "type": "string"},
        {"name": "start", "type": ["null", "string"], "default": null},
        {"name": "end", "type": ["null", "string"], "default": null}]}},
      {"name": "mode", "type": "string"}, {"name": "is_active", "type": "boolean"},
      {"name": "creation_date", "type": "string"},
      {"name": "created_by", "type": ["null", "UserData"], "default": null}]}}],
    "namespace": "org.openedx.learning.course.enrollment.created.v1"})");
  // id 7, active, pii a/b/c, legacy "x", course k/d/null/null, mode m, active, date d, no creator
  RunOptions options;
  options.input = "0e01" "0261" "0262" "0263" "0278" "026b" "0264" "00" "00" "026d" "01" "0264" "00";
  const auto result = run_oex({"decode", k_enrollment, "--hex", "--writer-schema", writer}, options);
  CHECK(result.err.empty());
  CHECK(result.exit_code == 0);
  CHECK(result.out
        == R"({"enrollment": {"user": {"id": 7, "is_active": true, "pii": {"username": "a", "email": "b", "name": "c"}}, )"
           R"("course": {"course_key": "k", "display_name": "d", "start": null, "end": null}, "mode": "m", )"
           R"("is_active": true, "creation_date": "d", "created_by": null}})" "\n");
  const auto bad = run_oex({"decode", k_enrollment, "--hex", "--writer-schema",
                            dir.write("bad.avsc", R"({"type": "record", "name": "R", "fields": [{"name": "a", "type": "strin"}]})")},
                           options);
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "oex: error: " + dir.path() + "/bad.avsc: fields[0].type: unknown type 'strin'\n");
}

TEST_CASE("oex compat --old --new: every incompatibility, exit 0/1/2")
{
  TempDir dir;
  const std::string old_schema = dir.write("old.avsc", R"({"type": "record", "name": "R", "fields": [
    {"name": "user", "type": {"type": "record", "name": "U", "fields": [{"name": "id", "type": "long"}]}}]})");
  const std::string new_schema = dir.write("new.avsc", R"({"type": "record", "name": "R", "fields": [
    {"name": "user", "type": {"type": "record", "name": "U", "fields": [{"name": "id", "type": "string"}]}},
    {"name": "start", "type": "string"}]})");
  auto result = run_oex({"compat", "--old", old_schema, "--new", new_schema});
  CHECK(result.exit_code == 1);
  CHECK(result.out == "backward: start: field added without a default\n"
                      "backward: user.id: long cannot be read as string\n"
                      "forward: user.id: string cannot be read as long\n");
  CHECK(result.err == "oex: incompatible (full): 3 problems\n");
  result = run_oex({"compat", "--old", old_schema, "--new", new_schema, "--direction", "forward", "--json"});
  CHECK(result.exit_code == 1);
  CHECK(result.out == R"({"direction": "forward", "compatible": false, "incompatibilities": [{"direction": "forward", )"
                      R"("path": "user.id", "reason": "string cannot be read as long"}]})" "\n");
  result = run_oex({"compat", "--old", old_schema, "--new", old_schema});
  CHECK(result.exit_code == 0);
  CHECK(result.out.empty());
  result = run_oex({"compat", "--old", old_schema, "--new", dir.write("bad.avsc", "[\"int\", \"int\"]")});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: " + dir.path() + "/bad.avsc: [1]: union holds 'int' twice\n");
  result = run_oex({"compat", "--old", old_schema});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: --old and --new go together\n");
  result = run_oex({"compat"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: give either --old and --new, or --against DIR\n");
}

TEST_CASE("oex compat --against DIR: stored schemas as oex schema --all writes them")
{
  TempDir dir;
  REQUIRE(run_oex({"schema", "--all", "--out", dir.path()}).exit_code == 0);
  auto result = run_oex({"compat", "--against", dir.path()});
  CHECK(result.exit_code == 0);
  CHECK(result.err == "oex: 72 events checked (full): 72 compatible, 0 incompatible, 0 new\n");
  // an event whose stored schema is gone is new; a stored schema with an extra required field
  // is an incompatible change
  std::filesystem::remove(dir.path() + "/org+openedx+learning+course+enrollment+created+v1_schema.avsc");
  const std::string unenroll = "org.openedx.learning.course.unenrollment.completed.v1";
  const std::string stored = dir.path() + "/org+openedx+learning+course+unenrollment+completed+v1_schema.avsc";
  std::string text = read_file(stored);
  const std::string anchor = R"("fields": [)";
  text.insert(text.find(anchor) + anchor.size(), R"({"name": "gone", "type": "long"}, )");
  dir.write("org+openedx+learning+course+unenrollment+completed+v1_schema.avsc", text);
  result = run_oex({"compat", "--against", dir.path(), k_enrollment, unenroll});
  CHECK(result.exit_code == 1);
  CHECK(result.out == "new           " + k_enrollment + " (no stored schema)\n"
                      "incompatible  " + unenroll + "\n"
                      "  forward: gone: field removed, and the old schema has no default for it\n");
  CHECK(result.err == "oex: 2 events checked (full): 0 compatible, 1 incompatible, 1 new\n");
}

TEST_CASE("oex compat --against upstream's stored baselines")
{
  if (!std::filesystem::exists(k_stored_dir)) {
    WARN("no conformance data at " << k_stored_dir << ": skipped");
    return;
  }
  const auto result = run_oex({"compat", "--against", k_stored_dir});
  CHECK(result.exit_code == 0);
  CHECK(result.err == "oex: 72 events checked (full): 72 compatible, 0 incompatible, 0 new\n");
}

TEST_CASE("completions know encode, decode and compat")
{
  for (const char* file : {"/oex.bash", "/_oex", "/oex.fish"}) {
    const std::string text = read_file(COMPLETIONS_DIR + std::string(file));
    for (const char* command : {"encode", "decode", "compat"}) {
      INFO(file << ": " << command);
      CHECK(text.find(command) != std::string::npos);
    }
  }
}

TEST_CASE("oex --help lists encode, decode and compat; each --help shows its options")
{
  const auto help = run_oex({"--help"});
  for (const char* command : {"encode", "decode", "compat"}) {
    CHECK(help.out.find("\n  " + std::string(command) + " ") != std::string::npos);
  }
  // only the command that runs declares its options (start-up time): its help still has them
  CHECK(run_oex({"decode", "--help"}).out.find("--writer-schema") != std::string::npos);
  CHECK(run_oex({"--defs", "/nonexistent", "compat", "--help"}).out.find("--direction") != std::string::npos);
  CHECK(run_oex({"encode", "--help"}).out.find("--hex") != std::string::npos);
}
