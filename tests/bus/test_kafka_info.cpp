// oex bus info on Kafka, and how the transport is chosen.

#include <catch2/catch.hpp>

#include "kafka_test_helpers.hpp"

using namespace oex::test;
using json = nlohmann::json;

TEST_CASE("kafka bus info: topics under the prefix, partitions, a group's committed offsets and lag")
{
  MockCluster cluster(1, {"dev-a:2", "dev-b:1", "other:1"});
  RegistryDouble registry;
  RunOptions env = kafka_env(cluster, registry);
  env.set_env["EVENT_BUS_TOPIC_PREFIX"] = "dev";
  TempDir dir;
  std::string lines;
  for (int i = 0; i < 5; ++i) {
    lines += one_line(run_oex({"sample", k_enrollment, "--seed", std::to_string(i)}).out) + "\n";
  }
  REQUIRE(run_oex({"produce", k_enrollment, dir.write("p.jsonl", lines), "--jsonl", "--topic", "a"}, env)
            .exit_code
          == 0);
  // No background commit in this run: what bus info sees was committed when consume ended.
  REQUIRE(run_consume({"consume", "--topic", "a", "--group", "g", "--from", "beginning", "--max", "3",
                       "--kafka-config", "auto.commit.interval.ms=600000"},
                      env)
            .exit_code
          == 0);
  RunResult r = run_oex({"bus", "info", "--group", "g", "--json"}, env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json info = json::parse(r.out);
  CHECK(info["bus"] == "kafka://" + cluster.address());
  REQUIRE(info["streams"].size() == 2);
  const json& a = info["streams"][0];
  CHECK(a["name"] == "dev-a");
  CHECK(a["length"] == 5);
  REQUIRE(a["partitions"].size() == 2);
  CHECK(a["partitions"][0]["partition"] == 0);
  CHECK(a["partitions"][0]["first_offset"] == 0);
  CHECK(a["partitions"][0]["next_offset"].get<int>() + a["partitions"][1]["next_offset"].get<int>() == 5);
  REQUIRE(a["groups"].size() == 1);
  CHECK(a["groups"][0]["name"] == "g");
  CHECK(a["groups"][0]["lag"] == 2);
  std::int64_t committed = 0;
  for (const json& partition : a["groups"][0]["partitions"]) {
    committed += partition["committed"].is_null() ? 0 : partition["committed"].get<std::int64_t>();
  }
  CHECK(committed == 3);
  CHECK(info["streams"][1]["name"] == "dev-b");

  RunResult text = run_oex({"bus", "info", "--topic", "a", "--group", "g"}, env);
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::StartsWith("dev-a  length 5  partitions 2\n  partition 0  offsets 0 to "));
  CHECK_THAT(text.out, Catch::Contains("\n  group g  lag 2\n    partition 0  committed "));
}

TEST_CASE("kafka: how the transport is chosen")
{
  MockCluster cluster(1, {"t:1"});
  RunOptions env;
  env.unset_env = {"EVENT_BUS_REDIS_CONNECTION_URL", "EVENT_BUS_KAFKA_BOOTSTRAP_SERVERS", "EVENT_BUS_TOPIC_PREFIX"};
  // Kafka by the environment alone
  env.set_env = {{"EVENT_BUS_KAFKA_BOOTSTRAP_SERVERS", cluster.address()}};
  RunResult kafka = run_oex({"bus", "info", "--json"}, env);
  INFO(kafka.err);
  CHECK(json::parse(kafka.out)["bus"] == "kafka://" + cluster.address());
  // a Redis URL keeps Redis the default
  env.set_env["EVENT_BUS_REDIS_CONNECTION_URL"] = "redis://127.0.0.1:1";
  RunResult redis = run_oex({"bus", "info", "--json"}, env);
  CHECK(redis.exit_code == 2);
  CHECK_THAT(redis.err, Catch::Contains("redis://127.0.0.1:1"));
  // --bus wins over both
  RunResult chosen = run_oex({"bus", "info", "--json", "--bus", "kafka://" + cluster.address()}, env);
  CHECK(chosen.exit_code == 0);
  // malformed
  RunResult bad = run_oex({"bus", "info", "--bus", "kafka://user@h:1"}, env);
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "oex: error: kafka: 'kafka://user@h:1' is not kafka://HOST:PORT[,HOST:PORT...] "
                   "(credentials and other settings go in EVENT_BUS_KAFKA_API_KEY/_SECRET or "
                   "--kafka-config)\n");
}

TEST_CASE("kafka consume: --from takes beginning, end or an ISO time with its offset")
{
  MockCluster cluster(1, {"t:1"});
  RegistryDouble registry;
  const RunOptions env = kafka_env(cluster, registry);
  RunResult r = run_consume({"consume", "--topic", "t", "--group", "g", "--from", "yesterday"}, env);
  CHECK(r.exit_code == 2);
  CHECK(r.err == "oex: error: --from: invalid isoformat string 'yesterday' (beginning, end or an ISO time)\n");
  r = run_consume({"consume", "--topic", "t", "--group", "g", "--from", "2026-01-01T00:00:00"}, env);
  CHECK(r.exit_code == 2);
  CHECK(r.err == "oex: error: --from '2026-01-01T00:00:00': give the time's offset (Z, +00:00, ...)\n");
}
