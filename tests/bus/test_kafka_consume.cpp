// oex consume on Kafka: round trips, bad messages, groups, at least once.

#include <catch2/catch.hpp>

#include <unistd.h>

#include <csignal>
#include <set>

#include "kafka_test_helpers.hpp"
#include "support/bus_support.hpp"

using namespace oex::test;
using json = nlohmann::json;

namespace {

std::vector<std::pair<std::string, std::string>> env_pairs(const RunOptions& env)
{
  return {env.set_env.begin(), env.set_env.end()};
}

} // namespace

TEST_CASE("kafka consume: round trip of every bus event type through the mock cluster")
{
  MockCluster cluster(1, {"every:3"});
  RegistryDouble registry;
  const RunOptions env = kafka_env(cluster, registry);
  std::vector<std::string> types;
  for (const std::string& line : [&] {
         std::vector<std::string> lines;
         const std::string names = run_oex({"list", "--avro-only", "--names"}).out;
         for (std::size_t start = 0; start < names.size();) {
           const std::size_t end = names.find('\n', start);
           lines.push_back(names.substr(start, end - start));
           start = end + 1;
         }
         return lines;
       }()) {
    types.push_back(line);
  }
  REQUIRE(types.size() == 72);
  TempDir dir;
  std::map<std::string, json> expected; // event id -> the payload as decode reads it back
  for (const std::string& type : types) {
    const std::string payload = dir.write("p.json", sample(type, 7));
    const std::string key_field = key_field_for(type);
    REQUIRE_FALSE(key_field.empty());
    RunResult r = run_oex({"produce", type, payload, "--topic", "every", "--key-field", key_field, "--json"}, env);
    INFO(type << " " << key_field << ": " << r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(run_oex({"encode", type, payload, "-o", dir.path() + "/p.avro"}).exit_code == 0);
    RunResult decoded = run_oex({"decode", type, dir.path() + "/p.avro"});
    REQUIRE(decoded.exit_code == 0);
    expected[json::parse(r.out)["metadata"]["id"]] = json::parse(decoded.out);
  }
  RunResult r = run_consume({"consume", "--topic", "every", "--group", "g", "--from", "beginning", "--max",
                         std::to_string(types.size()), "--json"},
                        env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::vector<json> reports = json_lines(r.out);
  REQUIRE(reports.size() == types.size());
  std::set<std::string> seen;
  for (const json& report : reports) {
    INFO(report.dump());
    CHECK(report["status"] == "handled");
    const std::string id = report["metadata"]["id"];
    REQUIRE(expected.count(id) == 1);
    CHECK(report["data"] == expected[id]);
    seen.insert(id);
  }
  CHECK(seen.size() == types.size());
}

TEST_CASE("kafka consume: bad messages are reported with topic/partition/offset, skipped, dead-lettered")
{
  MockCluster cluster(1, {"t:1", "dl:1"});
  RegistryDouble registry;
  const RunOptions env = kafka_env(cluster, registry);
  produce_n(env, "t", 1); // registers the value schema as id 1 (the key as 2)
  const std::string type = std::string("ce_type=") + k_enrollment;
  const std::string id = "ce_id=1b4e28ba-2fa1-11d2-883f-0016d3cca427";
  auto raw = [&](const std::string& value, const std::vector<std::string>& headers, bool null_value = false) {
    kcat_produce(cluster, "t", value, headers, null_value);
  };
  raw("", {type, id}, true);                                   // offset 1: tombstone
  raw(std::string("\0\0\0\0\1", 5) + "x", {type});              // 2: no ce_id
  raw(std::string("\0\0\0\0\1", 5) + "x", {id});                // 3: no ce_type
  raw(std::string("\0\0\0\0\1", 5) + "x", {type, type, id});    // 4: two ce_type
  raw("{\"not\": \"avro\"}", {type, id});                       // 5: not framed
  raw(std::string("\0\0\0\x03\xe7", 5) + "x", {type, id});      // 6: unknown schema id 999
  raw(std::string("\0\0\0\0\1", 5) + "\x03", {type, id});       // 7: does not decode
  RunResult r = run_consume({"consume", "--topic", "t", "--group", "g", "--from", "beginning", "--max", "8",
                         "--json", "--dead-letter", "dl"},
                        env);
  INFO(r.err);
  const std::vector<json> reports = json_lines(r.out);
  REQUIRE(reports.size() == 8);
  CHECK(reports[0]["status"] == "handled");
  const std::vector<std::string> errors = {
    "no value (a tombstone)",
    "no 'ce_id' header",
    "no 'ce_type' header",
    "2 'ce_type' headers (the metadata is ambiguous)",
    "value: first byte 0x7b is not the schema registry framing's 0x00",
    "value: unknown schema id 999 (not in the schema registry " + registry.url() + ")",
  };
  for (std::size_t i = 0; i < errors.size(); ++i) {
    INFO(i);
    CHECK(reports[i + 1]["entry_id"] == "t/0/" + std::to_string(i + 1));
    CHECK(reports[i + 1]["status"] == "bad");
    CHECK(reports[i + 1]["error"] == errors[i]);
  }
  CHECK(reports[7]["status"] == "bad");
  CHECK_THAT(reports[7]["error"].get<std::string>(), Catch::StartsWith("event data: byte "));
  // Every bad message went to the dead-letter topic as it came, with the error in a header.
  const std::vector<KcatMessage> dead = kcat_messages(cluster, "dl");
  REQUIRE(dead.size() == 7);
  CHECK(reports[1]["dead_letter_entry_id"] == "dl/0/0");
  CHECK(dead[5].header("error") == errors[5]);
  CHECK(dead[5].header("original_entry_id") == "t/0/6");
  CHECK(dead[5].header("ce_id") == "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
  CHECK(kcat_raw(cluster, "dl", 0, 5, "%s") == std::string("\0\0\0\x03\xe7", 5) + "x");
  CHECK(dead[0].value_length == -1); // the tombstone stays one

  // Skipped means committed: the group has nothing left.
  RunResult again = run_consume({"consume", "--topic", "t", "--group", "g", "--idle", "2", "--json"}, env);
  CHECK(again.exit_code == 0);
  CHECK(again.out.empty());
}

TEST_CASE("kafka consume: a registry that is down stops it before anything is committed")
{
  MockCluster cluster(1, {"t:1"});
  RegistryDouble registry;
  const RunOptions env = kafka_env(cluster, registry);
  produce_n(env, "t", 2);
  registry.stop(); // the consumer has no schema cached: it must ask
  RunResult r = run_consume({"consume", "--topic", "t", "--group", "g", "--from", "beginning", "--max", "2"}, env);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("oex: error: schema registry " + registry.url() + ": GET /schemas/ids/1: "));
  RegistryDouble back; // a new registry knows no ids: the messages are bad now, but they came again
  RunOptions env2 = kafka_env(cluster, back);
  RunResult r2 = run_consume({"consume", "--topic", "t", "--group", "g", "--from", "beginning", "--max", "2", "--json"}, env2);
  const std::vector<json> reports = json_lines(r2.out);
  REQUIRE(reports.size() == 2);
  CHECK(reports[0]["entry_id"] == "t/0/0");
}

TEST_CASE("kafka consume: brokers that cannot be reached are one line and exit 2")
{
  MockCluster cluster(1, {"t:1"});
  RegistryDouble registry;
  RunOptions env = kafka_env(cluster, registry);
  REQUIRE(cluster.command("down all") == "ok");
  RunResult r = run_consume({"consume", "--topic", "t", "--group", "g", "--max", "1"}, env);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("oex: error: kafka kafka://" + cluster.address() + ": cannot reach the brokers: "));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

TEST_CASE("kafka consume: two consumers of one group share the partitions and lose nothing")
{
  MockCluster cluster(1, {"t:4"});
  RegistryDouble registry;
  const RunOptions env = kafka_env(cluster, registry);
  const std::vector<std::string> ids = produce_n(env, "t", 40);
  const std::vector<std::string> args = {"consume", "--topic", "t", "--group", "g", "--from", "beginning",
                                         "--idle", "4", "--json"};
  Background a(fast_group(args), env_pairs(env));
  Background b(fast_group(args), env_pairs(env));
  CHECK(a.wait() == 0);
  CHECK(b.wait() == 0);
  std::multiset<std::string> seen;
  for (const auto* consumer : {&a, &b}) {
    for (const json& report : json_lines(consumer->out())) {
      seen.insert(report["metadata"]["id"].get<std::string>());
    }
  }
  for (const std::string& id : ids) {
    CHECK(seen.count(id) >= 1); // at least once, across a rebalance
  }
  CHECK(seen.size() >= ids.size());
}

TEST_CASE("kafka consume: a consumer killed mid-message gets it again (at least once)")
{
  MockCluster cluster(1, {"t:1"});
  RegistryDouble registry;
  const RunOptions env = kafka_env(cluster, registry);
  const std::vector<std::string> ids = produce_n(env, "t", 6);
  TempDir dir;
  const std::string log = dir.path() + "/handled";
  // The receiver notes each event and hangs on the fourth: the consumer is killed there.
  const std::string receiver = "exec:cat >/dev/null; echo x >>" + log + "; if [ $(wc -l <" + log
                               + ") -eq 4 ]; then touch " + dir.path()
                               + "/stuck; sleep 600; fi; echo {}";
  auto committed = [&] { // the group's committed offset in the topic's one partition, -1: none
    const json info = json::parse(run_oex({"bus", "info", "--topic", "t", "--group", "g", "--json"}, env).out);
    const json& offset = info["streams"][0]["groups"][0]["partitions"][0]["committed"];
    return offset.is_null() ? -1 : offset.get<int>();
  };
  {
    Background consumer(fast_group({"consume", "--topic", "t", "--group", "g", "--from", "beginning",
                                    "--json", "--receiver", receiver}),
                        env_pairs(env));
    REQUIRE(wait_for_file(dir.path() + "/stuck"));
    // The three handled messages are committed in the background while the fourth hangs (and
    // the fourth is not): wait until the group's offset says so, then kill.
    int offset = -1;
    for (int i = 0; i < 200 && offset < 3; ++i) {
      offset = committed();
      if (offset < 3) {
        usleep(100'000);
      }
    }
    REQUIRE(offset == 3);
    consumer.signal_group(SIGKILL);
    consumer.wait();
  }
  CHECK(committed() == 3);
  // Restarted: once the dead member's session has ended and the partition is this consumer's,
  // the message in hand at the kill comes again, and everything after it.
  RunResult r = run_consume({"consume", "--topic", "t", "--group", "g", "--idle", "3", "--json"}, env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> again;
  for (const json& report : json_lines(r.out)) {
    again.push_back(report["metadata"]["id"]);
  }
  CHECK(again == std::vector<std::string>(ids.begin() + 3, ids.end()));
}
