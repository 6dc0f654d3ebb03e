// oex consume against the suite's redis-server: round trips, groups, replay, bad messages.

#include <catch2/catch.hpp>

#include <set>

#include "bus_test_helpers.hpp"

using namespace oex::test;
using json = nlohmann::json;

namespace {

// Produces n sampled login events to topic; returns their entry ids.
std::vector<std::string> produce_n(const std::string& url, const std::string& topic, int n)
{
  TempDir dir;
  std::string lines;
  for (int i = 0; i < n; ++i) {
    lines += one_line(sample_payload(k_login, 100 + i)) + "\n";
  }
  const std::string file = dir.write("p.jsonl", lines);
  auto r = run_oex({"produce", k_login, file, "--jsonl", "--topic", topic, "--bus", url});
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> ids;
  for (const auto& entry : xrange(url, topic)) {
    ids.push_back(entry.id);
  }
  return ids;
}

std::vector<std::string> entry_ids(const std::vector<json>& lines)
{
  std::vector<std::string> ids;
  for (const json& line : lines) {
    ids.push_back(line["entry_id"]);
  }
  return ids;
}

} // namespace

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

TEST_CASE("consume: a new group starts at the end; --from beginning and --from ID replay")
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
    CHECK(entry_ids(json_lines(r.out)) == ids);
    // the group resumes: nothing is read twice
    auto again = run_oex({"consume", "--topic", topic, "--group", "all", "--bus", url, "--json",
                          "--idle", "0.3"});
    CHECK(again.out.empty());
    // and replays when told to
    auto replay = run_oex({"consume", "--topic", topic, "--group", "all", "--from", ids[2],
                           "--bus", url, "--json", "--idle", "0.3"});
    CHECK(entry_ids(json_lines(replay.out)) == std::vector<std::string>{ids[2], ids[3]});
  }
  SECTION("--from ID: that entry on")
  {
    auto r = run_oex({"consume", "--topic", topic, "--group", "some", "--from", ids[1], "--bus",
                      url, "--json", "--idle", "0.3"});
    CHECK(entry_ids(json_lines(r.out)) == std::vector<std::string>{ids[1], ids[2], ids[3]});
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
  CHECK(entry_ids(json_lines(r.out)) == ids);
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
  const auto from_a = entry_ids(json_lines(a.out()));
  const auto from_b = entry_ids(json_lines(b.out()));
  std::multiset<std::string> all(from_a.begin(), from_a.end());
  all.insert(from_b.begin(), from_b.end());
  CHECK(all.size() == ids.size());
  CHECK(std::set<std::string>(all.begin(), all.end()) == std::set<std::string>(ids.begin(), ids.end()));
  CHECK(!from_a.empty());
  CHECK(!from_b.empty());
}
