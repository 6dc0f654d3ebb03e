// oex produce against the suite's redis-server: what goes on the wire.

#include <catch2/catch.hpp>

#include "bus_test_helpers.hpp"

using namespace oex::test;

TEST_CASE("produce: XADD fields have event-bus-redis's names, order and value forms")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("fields");
  TempDir dir;
  const std::string payload = dir.write("p.json", sample_payload(k_login, 1));
  const std::string id = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
  auto r = run_oex({"produce", k_login, payload, "--topic", topic, "--bus", url, "--time",
                    "2026-11-28T10:00:00+00:00", "--id", id});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto entries = xrange(url, topic);
  REQUIRE(entries.size() == 1);
  CHECK(r.out == entries[0].id + " " + id + "\n");
  std::vector<std::string> names;
  for (const auto& field : entries[0].fields) {
    names.push_back(field.first);
  }
  CHECK(names
        == std::vector<std::string>{"type", "id", "source", "time", "minorversion", "sourcehost",
                                    "sourcelib", "event_data"});
  CHECK(entries[0].get("type") == k_login);
  CHECK(entries[0].get("id") == id);
  CHECK(entries[0].get("time") == "2026-11-28T10:00:00+00:00");
  CHECK(entries[0].get("minorversion") == "0");
  CHECK(entries[0].get("source") == "openedx/SERVICE_NAME_UNSET/web");
  CHECK(entries[0].get("sourcelib") == "11.2.0");
  // event_data is the raw schemaless Avro oex encode writes
  const std::string avro = dir.path() + "/p.avro";
  REQUIRE(run_oex({"encode", k_login, payload, "-o", avro}).exit_code == 0);
  CHECK(entries[0].get("event_data") == read_file(avro));

  SECTION("a fraction of a second is written as isoformat writes it")
  {
    auto r2 = run_oex({"produce", k_login, payload, "--topic", topic, "--bus", url, "--time",
                       "2026-11-28T10:00:00.5+00:00"});
    REQUIRE(r2.exit_code == 0);
    CHECK(xrange(url, topic).back().get("time") == "2026-11-28T10:00:00.500000+00:00");
  }
}

TEST_CASE("produce: prefix, URL and maximum length from upstream's setting names")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("env");
  TempDir dir;
  const std::string payload = dir.write("p.json", sample_payload(k_login, 2));
  RunOptions options;
  options.set_env = {{"EVENT_BUS_REDIS_CONNECTION_URL", url}, {"EVENT_BUS_TOPIC_PREFIX", "dev"}};
  auto r = run_oex({"produce", k_login, payload, "--topic", topic}, options);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(xrange(url, "dev-" + topic).size() == 1);
  CHECK(xrange(url, topic).empty());
  // --prefix wins over the environment
  REQUIRE(run_oex({"produce", k_login, payload, "--topic", topic, "--prefix", "qa"}, options)
            .exit_code
          == 0);
  CHECK(xrange(url, "qa-" + topic).size() == 1);

  SECTION("EVENT_BUS_REDIS_STREAM_MAX_LEN trims the stream (approximately, MAXLEN ~)")
  {
    const std::string line = one_line(sample_payload(k_login, 3)) + "\n";
    std::string lines;
    for (int i = 0; i < 1000; ++i) {
      lines += line;
    }
    const std::string file = dir.write("many.jsonl", lines);
    options.set_env["EVENT_BUS_REDIS_STREAM_MAX_LEN"] = "10";
    auto r2 = run_oex({"produce", k_login, file, "--jsonl", "--topic", topic + "-trim"}, options);
    INFO(r2.err);
    REQUIRE(r2.exit_code == 0);
    const auto length = xrange(url, "dev-" + topic + "-trim").size();
    CHECK(length < 1000);
    CHECK(length >= 10);
  }
  SECTION("a bad EVENT_BUS_REDIS_STREAM_MAX_LEN is an error")
  {
    options.set_env["EVENT_BUS_REDIS_STREAM_MAX_LEN"] = "lots";
    auto r2 = run_oex({"produce", k_login, payload, "--topic", topic}, options);
    CHECK(r2.exit_code == 2);
    CHECK(r2.err
          == "oex: error: EVENT_BUS_REDIS_STREAM_MAX_LEN: 'lots' is not an integer from 1 to "
             "4611686018427387904\n");
  }
}

TEST_CASE("produce: an invalid payload is reported and nothing is sent")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("invalid");
  TempDir dir;
  const std::string payload = dir.write("bad.json", R"({"user": {"id": "x"}})");
  auto r = run_oex({"produce", k_login, payload, "--topic", topic, "--bus", url});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("nothing was sent") != std::string::npos);
  CHECK(xrange(url, topic).empty());
}

TEST_CASE("produce --jsonl: every line is checked before any is sent, then all are sent")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("jsonl");
  TempDir dir;
  std::string lines;
  for (int i = 0; i < 5; ++i) {
    lines += one_line(sample_payload(k_login, 10 + i)) + "\n";
  }
  SECTION("one bad line: nothing is sent")
  {
    const std::string file = dir.write("p.jsonl", lines + "{\"user\": 3}\n" + lines);
    auto r = run_oex({"produce", k_login, file, "--jsonl", "--topic", topic, "--bus", url});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("p.jsonl:6:") != std::string::npos);
    CHECK(r.err.find("oex: 1 of 11 lines are not valid payloads for " + std::string(k_login)
                     + ": nothing was sent\n")
          != std::string::npos);
    CHECK(xrange(url, topic).empty());
  }
  SECTION("a line past --max-bytes is a finding")
  {
    const std::string file = dir.write("p.jsonl", lines + std::string(5000, ' ') + "{}\n");
    auto r = run_oex(
      {"produce", k_login, file, "--jsonl", "--topic", topic, "--bus", url, "--max-bytes", "4096"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("p.jsonl:6: line of 5002 bytes is longer than 4096 (--max-bytes)\n")
          != std::string::npos);
    CHECK(xrange(url, topic).empty());
  }
  SECTION("all valid: all sent, in order, each with its own id")
  {
    const std::string file = dir.write("p.jsonl", lines + "\n");
    auto r = run_oex({"produce", k_login, file, "--jsonl", "--topic", topic, "--bus", url});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto entries = xrange(url, topic);
    REQUIRE(entries.size() == 5);
    std::string expected;
    for (const auto& entry : entries) {
      expected += entry.id + " " + entry.get("id") + "\n";
    }
    CHECK(r.out == expected);
    CHECK(r.err == "oex: produced 5 " + std::string(k_login) + " events to " + topic + "\n");
    auto j = run_oex({"produce", k_login, file, "--jsonl", "--topic", topic, "--bus", url, "--json"});
    REQUIRE(j.exit_code == 0);
    const auto doc = nlohmann::json::parse(j.out);
    CHECK(doc["produced"] == 5);
    CHECK(doc["stream"] == topic);
  }
}
