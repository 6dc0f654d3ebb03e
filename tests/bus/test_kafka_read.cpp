// oex consume --no-group on Kafka: every partition read without a group, nothing committed.

#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <set>

#include "kafka_test_helpers.hpp"
#include "support/bus_support.hpp"

using namespace oex::test;
using json = nlohmann::json;

namespace {

std::vector<std::string> event_ids(const std::vector<json>& reports)
{
  std::vector<std::string> ids;
  for (const json& report : reports) {
    ids.push_back(report["metadata"].is_null() ? "" : report["metadata"]["id"].get<std::string>());
  }
  return ids;
}

std::set<std::string> as_set(const std::vector<std::string>& ids)
{
  return {ids.begin(), ids.end()};
}

// The committed offsets of group on topic, as bus info shows them ("partition:offset ...").
std::string committed(const RunOptions& env, const std::string& topic, const std::string& group)
{
  RunResult r = run_oex({"bus", "info", "--topic", topic, "--group", group, "--json"}, env);
  REQUIRE(r.exit_code == 0);
  // Parsed into a variable: a range-for over a member of json::parse()'s temporary reads freed
  // memory (the temporary ends before the loop in C++20).
  const json info = json::parse(r.out);
  std::string out;
  for (const json& g : info["streams"][0]["groups"]) {
    for (const json& partition : g["partitions"]) {
      out += partition["partition"].dump() + ":" + partition["committed"].dump() + " ";
    }
  }
  return out;
}

// Runs a --no-group reader of topic in the background with extra (--from ...) and --max 2, and
// produces one event at a time (at most 100) until it has reported two: what it reads is what
// came after it started. Returns its reports and the ids of the events produced meanwhile.
std::pair<std::vector<json>, std::set<std::string>> read_later(const RunOptions& env, const std::string& topic,
                                                              std::vector<std::string> extra)
{
  std::vector<std::string> args = {"consume", "--topic", topic, "--no-group", "--max", "2", "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  Background reader(args, {env.set_env.begin(), env.set_env.end()});
  std::set<std::string> later;
  const auto lines = [&] {
    const std::string out = reader.out();
    return std::count(out.begin(), out.end(), '\n');
  };
  for (int i = 0; i < 100 && lines() < 2; ++i) {
    for (const std::string& id : produce_n(env, topic, 1)) {
      later.insert(id);
    }
    usleep(100 * 1000);
  }
  CHECK(reader.wait() == 0);
  return {json_lines(reader.out()), later};
}

} // namespace

TEST_CASE("kafka consume --no-group: every partition from the beginning, no offsets committed")
{
  MockCluster cluster(1, {"t:3"});
  RegistryDouble registry;
  const RunOptions env = kafka_env(cluster, registry);
  const std::vector<std::string> ids = produce_n(env, "t", 6);
  // A service's group has handled some of them.
  REQUIRE(run_consume({"consume", "--topic", "t", "--group", "svc", "--from", "beginning", "--max", "2"}, env)
            .exit_code
          == 0);
  const std::string before = committed(env, "t", "svc");
  RunResult r = run_oex({"consume", "--topic", "t", "--no-group", "--from", "beginning", "--max", "6", "--json"}, env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::vector<json> reports = json_lines(r.out);
  REQUIRE(reports.size() == 6);
  CHECK(as_set(event_ids(reports)) == as_set(ids));
  std::set<std::string> partitions;
  for (const json& report : reports) {
    CHECK(report["status"] == "handled");
    CHECK(report["stream"] == "t");
    const std::string position = report["entry_id"];
    partitions.insert(position.substr(0, position.rfind('/')));
  }
  CHECK(partitions.size() == 3); // all three partitions were read
  CHECK(r.err == "oex: 6 messages from t (no group): 6 handled, 0 skipped, 0 bad, 0 with failed receivers\n");
  // The service's group is where it was, and a second read sees everything again.
  CHECK(committed(env, "t", "svc") == before);
  RunResult again = run_oex({"consume", "--topic", "t", "--no-group", "--from", "beginning", "--max", "6", "--json"}, env);
  CHECK(as_set(event_ids(json_lines(again.out))) == as_set(ids));
  // A group.id through --kafka-config would make it commit: refused.
  RunResult grouped = run_oex({"consume", "--topic", "t", "--no-group", "--kafka-config", "group.id=svc"}, env);
  CHECK(grouped.exit_code == 2);
  CHECK(grouped.err == "oex: error: kafka: --kafka-config 'group.id' cannot be used with --no-group\n");
}

TEST_CASE("kafka consume --no-group: --from end and a time read only what comes later")
{
  MockCluster cluster(1, {"t:2"});
  RegistryDouble registry;
  const RunOptions env = kafka_env(cluster, registry);
  const std::vector<std::string> earlier = produce_n(env, "t", 3);
  // The default is the end; a time with no message at or after it is the end too (librdkafka
  // 2.0's mock answers every time so: an earlier time cannot be checked against it).
  for (const std::vector<std::string>& from :
       {std::vector<std::string>{}, {"--from", "end"}, {"--from", "2999-01-01T00:00:00Z"}}) {
    INFO((from.empty() ? "default" : from[1]));
    const auto [reports, later] = read_later(env, "t", from);
    REQUIRE(reports.size() == 2);
    for (const std::string& id : event_ids(reports)) {
      CHECK(later.count(id) == 1);
    }
  }
  RunResult bad = run_oex({"consume", "--topic", "t", "--no-group", "--from", "yesterday"}, env);
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::StartsWith("oex: error: --from: "));
  CHECK_THAT(bad.err, Catch::EndsWith(" (beginning, end or an ISO time)\n"));
}

TEST_CASE("kafka consume --no-group: --max, bad messages skipped and dead-lettered")
{
  MockCluster cluster(1, {"t:1", "dl:1"});
  RegistryDouble registry;
  const RunOptions env = kafka_env(cluster, registry);
  const std::vector<std::string> ids = produce_n(env, "t", 2);
  const std::string type = std::string("ce_type=") + k_enrollment;
  const std::string id = "ce_id=1b4e28ba-2fa1-11d2-883f-0016d3cca427";
  auto raw = [&](const std::string& value, const std::vector<std::string>& headers, bool null_value = false) {
    kcat_produce(cluster, "t", value, headers, null_value);
  };
  raw("", {type, id}, true);                                // offset 2: tombstone
  raw(std::string("\0\0\0\0\1", 5) + "x", {type});           // 3: no ce_id
  raw("{\"not\": \"avro\"}", {type, id});                    // 4: not framed
  raw(std::string("\0\0\0\x03\xe7", 5) + "x", {type, id});   // 5: unknown schema id 999
  raw(std::string("\0\0\0\0\1", 5) + "\x03", {type, id});    // 6: does not decode
  produce_n(env, "t", 1);                                   // 7: good again

  RunResult first = run_oex({"consume", "--topic", "t", "--no-group", "--from", "beginning", "--max", "1", "--json"}, env);
  CHECK(first.exit_code == 0);
  REQUIRE(json_lines(first.out).size() == 1);
  CHECK(json_lines(first.out)[0]["entry_id"] == "t/0/0");

  RunResult r = run_oex({"consume", "--topic", "t", "--no-group", "--from", "beginning", "--max", "8", "--json",
                         "--dead-letter", "dl"},
                        env);
  INFO(r.err);
  CHECK(r.exit_code == 1);
  const std::vector<json> reports = json_lines(r.out);
  REQUIRE(reports.size() == 8);
  const std::vector<std::string> statuses = {"handled", "handled", "bad", "bad", "bad", "bad", "bad", "handled"};
  for (std::size_t i = 0; i < reports.size(); ++i) {
    INFO(i);
    CHECK(reports[i]["entry_id"] == "t/0/" + std::to_string(i));
    CHECK(reports[i]["status"] == statuses[i]);
  }
  CHECK(reports[2]["error"] == "no value (a tombstone)");
  CHECK(reports[5]["error"] == "value: unknown schema id 999 (not in the schema registry " + registry.url() + ")");
  CHECK(reports[3]["error"] == "no 'ce_id' header");
  CHECK(reports[3]["dead_letter_entry_id"] == "dl/0/1");
  const std::vector<KcatMessage> dead = kcat_messages(cluster, "dl");
  REQUIRE(dead.size() == 5);
  CHECK(dead[3].header("original_entry_id") == "t/0/5");
  // The same keys as a group's reports.
  RunResult grouped = run_consume({"consume", "--topic", "t", "--group", "g", "--from", "beginning", "--max", "1", "--json"}, env);
  REQUIRE(json_lines(grouped.out).size() == 1);
  const json group_line = json_lines(grouped.out)[0];
  CHECK(json_keys(reports[0]) == json_keys(group_line));
  // text: each bad message on stderr with its topic/partition/offset
  RunResult text = run_oex({"consume", "--topic", "t", "--no-group", "--from", "beginning", "--max", "8"}, env);
  CHECK(text.exit_code == 1);
  CHECK_THAT(text.err, Catch::Contains("oex: t/0/3: bad message: no 'ce_id' header\n"));
}

TEST_CASE("kafka consume --no-group: two readers at once both see every message")
{
  MockCluster cluster(1, {"t:2"});
  RegistryDouble registry;
  const RunOptions env = kafka_env(cluster, registry);
  const std::vector<std::string> ids = produce_n(env, "t", 5);
  const std::vector<std::string> args = {"consume", "--topic", "t", "--no-group", "--from", "beginning", "--max", "5", "--json"};
  Background a(args, {env.set_env.begin(), env.set_env.end()});
  Background b(args, {env.set_env.begin(), env.set_env.end()});
  CHECK(a.wait() == 0);
  CHECK(b.wait() == 0);
  CHECK(as_set(event_ids(json_lines(a.out()))) == as_set(ids));
  CHECK(as_set(event_ids(json_lines(b.out()))) == as_set(ids));
}

TEST_CASE("kafka consume --no-group: brokers that cannot be reached and a topic that does not exist")
{
  MockCluster cluster(1, {"t:1"});
  RegistryDouble registry;
  const RunOptions env = kafka_env(cluster, registry);
  REQUIRE(cluster.command("topic-error gone 3") == "ok");
  RunResult gone = run_oex({"consume", "--topic", "gone", "--no-group", "--max", "1"}, env);
  CHECK(gone.exit_code == 2);
  CHECK(gone.err == "oex: error: kafka kafka://" + cluster.address() + ": topic 'gone': Broker: Unknown topic or partition\n");
  REQUIRE(cluster.command("down all") == "ok");
  RunResult down = run_oex({"consume", "--topic", "t", "--no-group", "--max", "1"}, env);
  CHECK(down.exit_code == 2);
  CHECK_THAT(down.err, Catch::StartsWith("oex: error: kafka kafka://" + cluster.address() + ": cannot reach the brokers: "));
  CHECK(std::count(down.err.begin(), down.err.end(), '\n') == 1);
}
