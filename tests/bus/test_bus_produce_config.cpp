// oex produce --config: one event to every enabled topic of the producer configuration.

#include <catch2/catch.hpp>

#include "bus_test_helpers.hpp"

using namespace oex::test;

namespace {

// A producer configuration for the login event with the given topic configurations (JSON).
std::string login_config(const std::string& topics)
{
  return "{\n  \"" + std::string(k_login) + "\": {\n" + topics + "\n  }\n}\n";
}

std::string topic_config(const std::string& topic, bool enabled, bool last = false)
{
  return "    \"" + topic + "\": {\"event_key_field\": \"user.id\", \"enabled\": "
         + (enabled ? "true" : "false") + "}" + (last ? "" : ",");
}

} // namespace

TEST_CASE("produce --config: the same event to each enabled topic, in the configuration's order")
{
  const std::string url = fixture_redis_url();
  const std::string a = unique_name("cfg-a");
  const std::string b = unique_name("cfg-b");
  const std::string off = unique_name("cfg-off");
  TempDir dir;
  const std::string payload = dir.write("p.json", sample_payload(k_login, 5));
  // b before a: the configuration's order, not the names'
  const std::string config = dir.write(
    "config.json", login_config(topic_config(b, true) + "\n" + topic_config(off, false) + "\n"
                                + topic_config(a, true, true)));
  const std::string id = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
  auto r = run_oex({"produce", k_login, payload, "--config", config, "--bus", url, "--id", id});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto in_a = xrange(url, a);
  const auto in_b = xrange(url, b);
  REQUIRE(in_a.size() == 1);
  REQUIRE(in_b.size() == 1);
  CHECK(xrange(url, off).empty());
  CHECK(r.out == b + " " + in_b[0].id + " " + id + "\n" + a + " " + in_a[0].id + " " + id + "\n");
  CHECK(r.err.empty());
  CHECK(in_a[0].get("id") == id);
  CHECK(in_b[0].fields == in_a[0].fields); // the same metadata and event_data

  SECTION("a generated id is one id for all topics; the prefix applies; --json is one array")
  {
    auto j = run_oex({"produce", k_login, payload, "--config", config, "--bus", url, "--prefix",
                      "pc", "--json"});
    INFO(j.err);
    REQUIRE(j.exit_code == 0);
    const nlohmann::json doc = nlohmann::json::parse(j.out);
    REQUIRE(doc.size() == 2);
    CHECK(doc[0]["topic"] == b);
    CHECK(doc[0]["stream"] == "pc-" + b);
    CHECK(doc[1]["stream"] == "pc-" + a);
    CHECK(doc[0]["metadata"]["id"] == doc[1]["metadata"]["id"]);
    const auto pa = xrange(url, "pc-" + a);
    REQUIRE(pa.size() == 1);
    CHECK(doc[1]["entry_id"] == pa[0].id);
    CHECK(pa[0].get("id") == doc[1]["metadata"]["id"].get<std::string>());
    CHECK(xrange(url, "pc-" + b).at(0).get("id") == pa[0].get("id"));
    CHECK(xrange(url, "pc-" + off).empty());
  }
}

TEST_CASE("produce --config: a topic that refuses does not stop the others, and is an error")
{
  const std::string url = fixture_redis_url();
  const std::string a = unique_name("cfg-ok");
  const std::string b = unique_name("cfg-string");
  redis_command(url, {"SET", b, "not a stream"});
  TempDir dir;
  const std::string payload = dir.write("p.json", sample_payload(k_login, 9));
  const std::string config = dir.write(
    "config.json", login_config(topic_config(b, true) + "\n" + topic_config(a, true, true)));
  const std::string id = "1b4e28ba-2fa1-11d2-883f-0016d3cca428";
  auto r = run_oex({"produce", k_login, payload, "--config", config, "--bus", url, "--id", id});
  CHECK(r.exit_code == 2);
  const auto in_a = xrange(url, a);
  REQUIRE(in_a.size() == 1);
  CHECK(r.out == a + " " + in_a[0].id + " " + id + "\n");
  CHECK(r.err
        == "oex: error: " + url + ": XADD '" + b
             + "': WRONGTYPE Operation against a key holding the wrong kind of value (the event "
               "went to 1 of 2 topics)\n");
}

TEST_CASE("produce --config: a configuration with errors is reported and nothing is sent")
{
  const std::string url = fixture_redis_url();
  const std::string a = unique_name("cfg-bad");
  TempDir dir;
  const std::string payload = dir.write("p.json", sample_payload(k_login, 6));
  const std::string config = dir.write(
    "config.json", login_config("    \"" + a + "\": {\"event_key_field\": \"user.id\", "
                                "\"enabled\": \"yes\"},\n" + topic_config(a + "-2", true, true)));
  auto r = run_oex({"produce", k_login, payload, "--config", config, "--bus", url});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err
        == config + ":3:" + std::to_string(51 + a.size())
             + ": error: 'enabled' must be true or false, got string [value-type]\n"
             + "oex: produce: " + config + ": 1 error, 0 warnings: nothing was sent\n");
  CHECK(xrange(url, a).empty());
  CHECK(xrange(url, a + "-2").empty());
}

TEST_CASE("produce --config: an event type without an enabled topic is an error")
{
  const std::string url = fixture_redis_url();
  const std::string a = unique_name("cfg-none");
  TempDir dir;
  const std::string payload = dir.write("p.json", sample_payload(k_login, 7));
  const auto refused = [&](const std::string& text) {
    const std::string config = dir.write("config.json", text);
    auto r = run_oex({"produce", k_login, payload, "--config", config, "--bus", url});
    CHECK(r.exit_code == 2);
    CHECK(r.err
          == "oex: error: " + config + ": no enabled topic for '" + std::string(k_login) + "'\n");
    CHECK(xrange(url, a).empty());
  };
  SECTION("absent from the configuration")
  {
    refused("{\"org.openedx.learning.course.enrollment.created.v1\": {\"" + a
            + "\": {\"event_key_field\": \"enrollment.user.id\", \"enabled\": true}}}");
  }
  SECTION("every topic disabled")
  {
    refused(login_config(topic_config(a, false, true)));
  }
}

TEST_CASE("produce: --config and --topic, one of them and not both")
{
  TempDir dir;
  const std::string payload = dir.write("p.json", sample_payload(k_login, 8));
  const std::string config = dir.write("config.json", login_config(topic_config("t", true, true)));
  const std::string help = "\nRun 'oex produce --help' for more information.\n";
  auto both = run_oex({"produce", k_login, payload, "--config", config, "--topic", "t"});
  CHECK(both.exit_code == 2);
  CHECK(both.err == "oex: error: --topic excludes --config" + help);
  auto neither = run_oex({"produce", k_login, payload});
  CHECK(neither.exit_code == 2);
  CHECK(neither.err == "oex: error: --topic or --config is required" + help);
  auto jsonl = run_oex({"produce", k_login, payload, "--config", config, "--jsonl"});
  CHECK(jsonl.exit_code == 2);
  CHECK(jsonl.err == "oex: error: --config excludes --jsonl" + help);
  auto key = run_oex({"produce", k_login, payload, "--config", config, "--key-field", "user.id"});
  CHECK(key.exit_code == 2);
  CHECK(key.err == "oex: error: --config excludes --key-field" + help);
  auto stdin_twice = run_oex({"produce", k_login, "-", "--config", "-"});
  CHECK(stdin_twice.exit_code == 2);
  CHECK(stdin_twice.err == "oex: error: --config and PAYLOAD cannot both read standard input\n");
}
