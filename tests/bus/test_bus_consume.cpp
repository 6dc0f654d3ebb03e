// oex consume against the suite's redis-server: round trips, groups, replay, bad messages.

#include <catch2/catch.hpp>

#include <set>

#include "bus_test_helpers.hpp"

using namespace oex::test;
using json = nlohmann::json;

TEST_CASE("consume: round trip of every bus event type, sampled payloads")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("every");
  const std::string names = run_oex({"list", "--avro-only", "--names"}).out;
  std::vector<std::string> types;
  for (std::size_t start = 0; start < names.size();) {
    const std::size_t end = names.find('\n', start);
    types.push_back(names.substr(start, end - start));
    start = end + 1;
  }
  REQUIRE(types.size() > 50);
  TempDir dir;
  std::map<std::string, std::string> expected; // event id -> decoded payload
  for (const std::string& type : types) {
    const std::string payload = dir.write("p.json", sample_payload(type, 7));
    auto r = run_oex({"produce", type, payload, "--topic", topic, "--bus", url, "--json"});
    INFO(type << ": " << r.err);
    REQUIRE(r.exit_code == 0);
    const json produced = json::parse(r.out);
    // what the consumer must give back: the payload as oex decode reads oex encode's bytes
    const std::string avro = dir.path() + "/p.avro";
    REQUIRE(run_oex({"encode", type, payload, "-o", avro}).exit_code == 0);
    expected[produced["metadata"]["id"]] = run_oex({"decode", type, avro}).out;
  }
  auto r = run_oex({"consume", "--topic", topic, "--group", "g", "--from", "beginning", "--bus",
                    url, "--json", "--max", std::to_string(types.size())});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto lines = json_lines(r.out);
  REQUIRE(lines.size() == types.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    INFO(lines[i].dump());
    CHECK(lines[i]["event_type"] == types[i]);
    CHECK(lines[i]["status"] == "handled");
    CHECK(lines[i]["error"].is_null());
    CHECK(lines[i]["metadata"]["event_type"] == types[i]);
    CHECK(lines[i]["data"] == json::parse(expected.at(lines[i]["metadata"]["id"])));
  }
}

TEST_CASE("consume: a new group starts at the end and --from beginning or an entry id replays")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("from");
  const auto ids = produce_n(url, topic, 4);
  SECTION("new group, no --from: nothing old")
  {
    auto r = run_oex({"consume", "--topic", topic, "--group", "new", "--bus", url, "--json",
                      "--idle", "0.3"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
  }
  SECTION("--from beginning: all, in order")
  {
    auto r = run_oex({"consume", "--topic", topic, "--group", "all", "--from", "beginning",
                      "--bus", url, "--json", "--idle", "0.3"});
    CHECK(r.exit_code == 0);
    CHECK(entry_ids(r.out) == ids);
    // the group resumes: nothing is read twice
    auto again = run_oex({"consume", "--topic", topic, "--group", "all", "--bus", url, "--json",
                          "--idle", "0.3"});
    CHECK(again.out.empty());
    // and replays when told to
    auto replay = run_oex({"consume", "--topic", topic, "--group", "all", "--from", ids[2],
                           "--bus", url, "--json", "--idle", "0.3"});
    CHECK(entry_ids(replay.out) == std::vector<std::string>{ids[2], ids[3]});
  }
  SECTION("--from ID: that entry on")
  {
    auto r = run_oex({"consume", "--topic", topic, "--group", "some", "--from", ids[1], "--bus",
                      url, "--json", "--idle", "0.3"});
    CHECK(entry_ids(r.out) == std::vector<std::string>{ids[1], ids[2], ids[3]});
  }
  SECTION("--from something else")
  {
    auto r = run_oex({"consume", "--topic", topic, "--group", "x", "--from", "yesterday", "--bus",
                      url});
    CHECK(r.exit_code == 2);
    CHECK(r.err
          == "oex: error: --from 'yesterday': expected beginning, end or a Redis entry id "
             "(MS-SEQ, e.g. 1700000000000-0)\n");
  }
}

TEST_CASE("consume: a group that was down gets what arrived meanwhile (never skips)")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("resume");
  auto first = run_oex({"consume", "--topic", topic, "--group", "g", "--bus", url, "--idle", "0.2"});
  REQUIRE(first.exit_code == 0);
  const auto ids = produce_n(url, topic, 3);
  auto r = run_oex({"consume", "--topic", topic, "--group", "g", "--bus", url, "--json",
                    "--idle", "0.3"});
  CHECK(entry_ids(r.out) == ids);
}

TEST_CASE("consume: receivers see from_event_bus true and the message's metadata")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("receivers");
  const auto ids = produce_n(url, topic, 2);
  TempDir dir;
  const std::string seen = dir.path() + "/seen";
  auto r = run_oex({"consume", "--topic", topic, "--group", "g", "--from", "beginning", "--bus",
                    url, "--json", "--max", "2", "--receiver", "exec:cat >> " + seen + "; echo >> " + seen + "; echo"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto lines = json_lines(r.out);
  REQUIRE(lines.size() == 2);
  const auto events = json_lines(read_file(seen));
  REQUIRE(events.size() == 2);
  const auto entries = xrange(url, topic);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(events[i]["from_event_bus"] == true);
    CHECK(events[i]["metadata"]["id"] == entries[i].get("id"));
    CHECK(lines[i]["receivers"].size() == 1);
    CHECK(lines[i]["receivers"][0]["ok"] == true);
  }
}

TEST_CASE("consume: --type handles only those types and counts the others as skipped")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("types");
  produce_n(url, topic, 2);
  auto r = run_oex({"consume", "--topic", topic, "--group", "g", "--from", "beginning", "--bus",
                    url, "--idle", "0.3", "--type", "org.openedx.learning.course.enrollment.created.v1"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.find("2 messages from " + topic + " (group g, consumer ") != std::string::npos);
  CHECK(r.err.find("0 handled, 2 skipped, 0 bad") != std::string::npos);
}

TEST_CASE("consume: two consumers of one group share the messages, none handled twice")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("share");
  // the group exists before the messages arrive, so both consumers read new ones
  REQUIRE(run_oex({"consume", "--topic", topic, "--group", "g", "--bus", url, "--idle", "0.1"})
            .exit_code
          == 0);
  const auto ids = produce_n(url, topic, 40);
  // small batches, so that each gets some while the other works
  Background a({"consume", "--topic", topic, "--group", "g", "--consumer", "a", "--bus", url,
                "--json", "--idle", "1", "--batch", "3", "--receiver", "exec:sleep 0.02; echo"});
  Background b({"consume", "--topic", topic, "--group", "g", "--consumer", "b", "--bus", url,
                "--json", "--idle", "1", "--batch", "3", "--receiver", "exec:sleep 0.02; echo"});
  REQUIRE(a.wait() == 0);
  REQUIRE(b.wait() == 0);
  const auto from_a = entry_ids(a.out());
  const auto from_b = entry_ids(b.out());
  std::multiset<std::string> all(from_a.begin(), from_a.end());
  all.insert(from_b.begin(), from_b.end());
  CHECK(all.size() == ids.size());
  CHECK(std::set<std::string>(all.begin(), all.end()) == std::set<std::string>(ids.begin(), ids.end()));
  CHECK(!from_a.empty());
  CHECK(!from_b.empty());
}

TEST_CASE("consume: plugin receivers are called as send calls them, from_event_bus true")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("plugin");
  produce_n(url, topic, 1);
  auto r = run_oex({"consume", "--topic", topic, "--group", "g", "--from", "beginning", "--bus",
                    url, "--json", "--max", "1", "--plugin",
                    std::string(PLUGIN_DIR) + "/json_response.so"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto line = json_lines(r.out).at(0);
  REQUIRE(line["receivers"].size() == 1);
  CHECK(line["receivers"][0]["receiver"] == "json_response:summary");
  CHECK(line["receivers"][0]["response"]["from_event_bus"] == true);
}

TEST_CASE("bus info: streams under the prefix with groups, consumers, pending and lag")
{
  const std::string url = fixture_redis_url();
  const std::string prefix = unique_name("info");
  RunOptions options;
  options.set_env = {{"EVENT_BUS_TOPIC_PREFIX", prefix}, {"EVENT_BUS_REDIS_CONNECTION_URL", url}};
  REQUIRE(run_oex({"consume", "--topic", "a", "--group", "g", "--consumer", "c1", "--idle", "0.1"},
                  options)
            .exit_code
          == 0);
  const auto ids = produce_n(url, prefix + "-a", 3);
  // c1 takes two and acknowledges one of them: --max 1 reads one; a raw read takes another
  REQUIRE(run_oex({"consume", "--topic", "a", "--group", "g", "--consumer", "c1", "--max", "1"},
                  options)
            .exit_code
          == 0);
  redis_command(url, {"XREADGROUP", "GROUP", "g", "c2", "COUNT", "1", "STREAMS", prefix + "-a", ">"});
  auto j = run_oex({"bus", "info", "--json"}, options);
  REQUIRE(j.exit_code == 0);
  const auto doc = nlohmann::json::parse(j.out);
  CHECK(doc["prefix"] == prefix);
  REQUIRE(doc["streams"].size() == 1);
  const auto& stream = doc["streams"][0];
  CHECK(stream["name"] == prefix + "-a");
  CHECK(stream["length"] == 3);
  CHECK(stream["first_entry_id"] == ids[0]);
  CHECK(stream["last_entry_id"] == ids[2]);
  const auto& group = stream["groups"][0];
  CHECK(group["name"] == "g");
  CHECK(group["pending"] == 1);
  CHECK(group["last_delivered_id"] == ids[1]);
  CHECK(group["lag"] == 1);
  CHECK(group["consumers"][0]["name"] == "c1");
  CHECK(group["consumers"][0]["pending"] == 0);
  CHECK(group["consumers"][1]["name"] == "c2");
  CHECK(group["consumers"][1]["pending"] == 1);
  auto t = run_oex({"bus", "info"}, options);
  CHECK(t.out.starts_with(prefix + "-a  length 3  first " + ids[0] + "  last " + ids[2]
                          + "\n  group g  pending 1  last delivered " + ids[1] + "  lag 1\n"
                          + "    consumer c1  pending 0  idle "));
  auto none = run_oex({"bus", "info", "--topic", "nothing"}, options);
  CHECK(none.exit_code == 0);
  CHECK(none.err == "oex: no stream '" + prefix + "-nothing' on " + url + "\n");
}
