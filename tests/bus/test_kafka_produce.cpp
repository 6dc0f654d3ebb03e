// oex produce on Kafka (librdkafka's mock cluster and the registry double): what goes on the wire,
// read raw with kcat.

#include <catch2/catch.hpp>

#include <unistd.h>

#include <map>
#include <set>

#include "kafka_test_helpers.hpp"

using namespace oex::test;
using json = nlohmann::json;

namespace {

std::string avro_string(const std::string& text)
{
  std::string out;
  std::uint64_t zigzag = static_cast<std::uint64_t>(text.size()) << 1;
  while (zigzag >= 0x80) {
    out.push_back(static_cast<char>((zigzag & 0x7f) | 0x80));
    zigzag >>= 7;
  }
  out.push_back(static_cast<char>(zigzag));
  return out + text;
}

} // namespace

TEST_CASE("kafka produce: headers, framing, key and partition as event-bus-kafka writes them")
{
  MockCluster cluster(1, {"t:3"});
  RegistryDouble registry;
  TempDir dir;
  const std::string payload = dir.write("p.json", sample(k_enrollment, 1));
  const std::string id = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
  RunResult r = run_oex({"produce", k_enrollment, payload, "--topic", "t", "--time",
                         "2026-11-28T10:00:00+00:00", "--id", id, "--json"},
                        kafka_env(cluster, registry));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json out = json::parse(r.out);
  const std::vector<KcatMessage> messages = kcat_messages(cluster, "t");
  REQUIRE(messages.size() == 1);
  const KcatMessage& message = messages[0];
  const int partition = message.partition;
  CHECK(out["entry_id"] == "t/" + std::to_string(partition) + "/0");
  char host[256] = "";
  gethostname(host, sizeof host);
  using Headers = std::vector<std::pair<std::string, std::string>>;
  CHECK(message.headers
        == Headers{{"ce_specversion", "1.0"}, {"content-type", "application/avro"},
                   {"ce_datacontenttype", "application/avro"}, {"ce_type", k_enrollment},
                   {"ce_id", id}, {"ce_source", "openedx/SERVICE_NAME_UNSET/web"},
                   {"ce_time", "2026-11-28T10:00:00+00:00"}, {"ce_minorversion", "0"},
                   {"sourcehost", host}, {"sourcelib", "11.2.0"}});

  // Value: 0x00, schema id 1 (the first registered), the bytes oex encode writes.
  const std::string avro = dir.path() + "/p.avro";
  REQUIRE(run_oex({"encode", k_enrollment, payload, "-o", avro}).exit_code == 0);
  CHECK(kcat_raw(cluster, "t", partition, 0, "%s") == std::string("\0\0\0\0\1", 5) + read_file(avro));
  // Key: 0x00, schema id 2, the course key as an Avro string.
  const std::string course_key = json::parse(read_file(payload))["enrollment"]["course"]["course_key"];
  const std::string key = kcat_raw(cluster, "t", partition, 0, "%k");
  CHECK(key == std::string("\0\0\0\0\2", 5) + avro_string(course_key));
  // librdkafka's default partitioner (consistent_random): CRC-32 of the key bytes.
  CHECK(static_cast<std::uint32_t>(partition) == crc32(key) % 3);

  // The registrations: subjects by topic_record_subject_name_strategy, schemas as upstream's
  // json.dumps(schema, sort_keys=True).
  const std::vector<std::string> requests = registry.requests();
  REQUIRE(requests.size() == 2);
  const json value_request = json::parse(requests[0]);
  CHECK(value_request["path"] == "/subjects/t-" + std::string(k_enrollment) + ".CloudEvent/versions");
  const std::string schema_file = dir.write("s.avsc", run_oex({"schema", k_enrollment}).out);
  const std::string upstream_text =
    run("python3", {"-c", "import json,sys; print(json.dumps(json.load(open(sys.argv[1])), sort_keys=True), end='')",
                    schema_file})
      .out;
  CHECK(json::parse(value_request["body"].get<std::string>())["schema"] == upstream_text);
  const json key_request = json::parse(requests[1]);
  CHECK(key_request["path"] == "/subjects/t-string/versions");
  CHECK(key_request["body"] == R"({"schema":"{\"name\": \"course_key\", \"type\": \"string\"}"})");
}

TEST_CASE("kafka produce: --key-field, the prefix, and the same key on the same partition")
{
  MockCluster cluster(1, {"dev-t:4"});
  RegistryDouble registry;
  TempDir dir;
  std::string lines;
  for (int i = 0; i < 20; ++i) {
    lines += one_line(sample(k_enrollment, i % 4)) + "\n";
  }
  const std::string file = dir.write("p.jsonl", lines);
  RunOptions env = kafka_env(cluster, registry);
  env.set_env["EVENT_BUS_TOPIC_PREFIX"] = "dev";
  RunResult r = run_oex({"produce", k_enrollment, file, "--jsonl", "--topic", "t", "--key-field",
                         "enrollment.user.id", "--json"},
                        env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["produced"] == 20);
  std::map<std::string, std::set<int>> partitions_by_key;
  for (const KcatMessage& message : kcat_messages(cluster, "dev-t")) {
    const std::string key = kcat_raw(cluster, "dev-t", message.partition, message.offset, "%k");
    partitions_by_key[key].insert(message.partition);
  }
  CHECK(partitions_by_key.size() <= 4);
  for (const auto& [key, partitions] : partitions_by_key) {
    CHECK(partitions.size() == 1);
  }
  CHECK(json::parse(registry.requests().back())["path"] == "/subjects/dev-t-long/versions");
}

TEST_CASE("kafka produce --config: each enabled topic with its own key field, one event id")
{
  MockCluster cluster(1, {"by-course:1", "by-user:1", "off:1"});
  RegistryDouble registry;
  TempDir dir;
  const std::string payload = dir.write("p.json", sample(k_enrollment, 2));
  const std::string config = dir.write(
    "config.json", std::string("{\"") + k_enrollment
                     + "\": {\"by-course\": {\"event_key_field\": \"enrollment.course.course_key\", "
                       "\"enabled\": true}, \"by-user\": {\"event_key_field\": "
                       "\"enrollment.user.id\", \"enabled\": true}, \"off\": "
                       "{\"event_key_field\": \"enrollment.user.id\", \"enabled\": false}}}");
  RunResult r = run_oex({"produce", "--config", config, k_enrollment, payload, "--json"},
                        kafka_env(cluster, registry));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json out = json::parse(r.out);
  REQUIRE(out.size() == 2);
  CHECK(out[0]["topic"] == "by-course");
  CHECK(out[1]["topic"] == "by-user");
  const json data = json::parse(read_file(payload));
  const std::vector<KcatMessage> course = kcat_messages(cluster, "by-course");
  const std::vector<KcatMessage> user = kcat_messages(cluster, "by-user");
  REQUIRE(course.size() == 1);
  REQUIRE(user.size() == 1);
  CHECK(kcat_messages(cluster, "off").empty());
  auto header = [](const KcatMessage& message, const std::string& name) {
    for (const auto& [key, value] : message.headers) {
      if (key == name) {
        return value;
      }
    }
    return std::string();
  };
  CHECK(header(course[0], "ce_id") == header(user[0], "ce_id"));
  CHECK(header(course[0], "ce_id") == out[0]["metadata"]["id"]);
  // The course topic's key is the course key as an Avro string, the user topic's the user id
  // as an Avro long (after 0x00 and the 4-byte schema id).
  const std::string course_key = kcat_raw(cluster, "by-course", 0, 0, "%k");
  REQUIRE(course_key.size() > 5);
  CHECK(course_key.substr(5) == avro_string(data["enrollment"]["course"]["course_key"]));
  const std::string user_key = kcat_raw(cluster, "by-user", 0, 0, "%k");
  REQUIRE(user_key.size() > 5);
  CHECK(user_key.substr(5) != course_key.substr(5));
  std::set<std::string> subjects;
  for (const std::string& request : registry.requests()) {
    subjects.insert(json::parse(request)["path"].get<std::string>());
  }
  CHECK(subjects.count("/subjects/by-course-string/versions") == 1);
  CHECK(subjects.count("/subjects/by-user-long/versions") == 1);
}

TEST_CASE("kafka produce: failures are one line and exit 2")
{
  MockCluster cluster(1, {"t:1"});
  TempDir dir;
  const std::string payload = dir.write("p.json", sample(k_enrollment, 1));

  SECTION("no schema registry")
  {
    RunOptions env;
    env.set_env = {{"EVENT_BUS_KAFKA_BOOTSTRAP_SERVERS", cluster.address()}};
    env.unset_env = {"EVENT_BUS_REDIS_CONNECTION_URL", "EVENT_BUS_KAFKA_SCHEMA_REGISTRY_URL"};
    RunResult r = run_oex({"produce", k_enrollment, payload, "--topic", "t"}, env);
    CHECK(r.exit_code == 2);
    CHECK(r.err == "oex: error: kafka: no schema registry: give --registry URL or set "
                   "EVENT_BUS_KAFKA_SCHEMA_REGISTRY_URL\n");
  }
  SECTION("a registry that refuses")
  {
    RegistryDouble registry({"--fail", "500"});
    RunResult r = run_oex({"produce", k_enrollment, payload, "--topic", "t"}, kafka_env(cluster, registry));
    CHECK(r.exit_code == 2);
    CHECK(r.err == "oex: error: schema registry " + registry.url() + ": POST /subjects/t-" + k_enrollment
                     + ".CloudEvent/versions: HTTP 500: refused by --fail (error 50001)\n");
    CHECK(kcat_messages(cluster, "t").empty());
  }
  SECTION("a registry that is down")
  {
    RegistryDouble registry;
    registry.stop();
    RunResult r = run_oex({"produce", k_enrollment, payload, "--topic", "t"}, kafka_env(cluster, registry));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("oex: error: schema registry " + registry.url() + ": POST /subjects/"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  SECTION("brokers that are down")
  {
    RegistryDouble registry;
    REQUIRE(cluster.command("down all") == "ok");
    RunResult r = run_oex({"produce", k_enrollment, payload, "--topic", "t"}, kafka_env(cluster, registry));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("oex: error: kafka kafka://" + cluster.address()
                                        + ": cannot reach the brokers: "));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  SECTION("an unknown topic")
  {
    RegistryDouble registry;
    REQUIRE(cluster.command("topic-error gone 3") == "ok");
    RunResult r = run_oex({"produce", k_enrollment, payload, "--topic", "gone", "--kafka-config",
                           "topic.metadata.propagation.max.ms=1000"},
                          kafka_env(cluster, registry));
    CHECK(r.exit_code == 2);
    CHECK(r.err == "oex: error: kafka kafka://" + cluster.address()
                     + ": topic 'gone': not delivered: Broker: Unknown topic or partition\n");
  }
  SECTION("--jsonl to an unknown topic: the error says how many were sent before")
  {
    RegistryDouble registry;
    REQUIRE(cluster.command("topic-error gone 3") == "ok");
    const std::string lines = dir.write("p.jsonl", run_oex({"sample", k_enrollment, "--count", "3"}).out);
    RunResult r = run_oex({"produce", k_enrollment, lines, "--jsonl", "--topic", "gone", "--kafka-config",
                           "topic.metadata.propagation.max.ms=1000"},
                          kafka_env(cluster, registry));
    CHECK(r.exit_code == 2);
    CHECK(r.err == "oex: error: kafka kafka://" + cluster.address()
                     + ": topic 'gone': not delivered: Broker: Unknown topic or partition (0 of 3 events "
                       "were sent before)\n");
    CHECK(r.out.empty());
  }
  SECTION("a key field that is not there or not a primitive")
  {
    RegistryDouble registry;
    RunResult r = run_oex({"produce", k_enrollment, payload, "--topic", "t", "--key-field", "enrollment.user"},
                          kafka_env(cluster, registry));
    CHECK(r.exit_code == 2);
    CHECK(r.err == "oex: error: " + std::string(k_enrollment)
                     + ": key field 'enrollment.user' is a record 'UserData': a Kafka key must be of a "
                       "primitive type (string, long, ...)\n");
  }
  SECTION("a librdkafka property it does not know")
  {
    RegistryDouble registry;
    RunResult r = run_oex({"produce", k_enrollment, payload, "--topic", "t", "--kafka-config", "no.such=1"},
                          kafka_env(cluster, registry));
    CHECK(r.exit_code == 2);
    CHECK(r.err == "oex: error: kafka: property 'no.such=1': No such configuration property: \"no.such\"\n");
  }
}

TEST_CASE("kafka produce: a new topic's partitions are asked for at once, not at librdkafka's next scan")
{
  // A topic only named in each produce call is looked up by librdkafka's once-a-second scan of
  // unknown topics, so every `oex produce` took a second; a topic handle asks at once ("leader
  // query"). librdkafka's own debug log says which happened.
  MockCluster cluster(1, {"t:2"});
  RegistryDouble registry;
  TempDir dir;
  const std::string payload = dir.write("p.json", sample(k_enrollment, 1));
  RunResult r = run_oex({"produce", k_enrollment, payload, "--topic", "t", "--kafka-config", "debug=metadata",
                         "--kafka-config", "log_level=7"},
                        kafka_env(cluster, registry));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("Request metadata for 1 topic(s): leader query"));
  CHECK(kcat_messages(cluster, "t").size() == 1);
}

TEST_CASE("kafka produce --jsonl: one line per event in input order, each where its event went")
{
  // Deliveries are reported as they come rather than a window at a time: every event still gets
  // exactly one line, in the order of the input, naming the partition and offset that hold it.
  MockCluster cluster(1, {"t:4"});
  RegistryDouble registry;
  TempDir dir;
  const int n = 3000;
  const std::string lines =
    dir.write("p.jsonl", run_oex({"sample", k_enrollment, "--count", std::to_string(n)}).out);
  RunResult r = run_oex({"produce", k_enrollment, lines, "--jsonl", "--topic", "t"}, kafka_env(cluster, registry));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::map<std::string, std::string> ids; // "partition/offset" -> the ce_id kcat reads there
  for (const KcatMessage& message : kcat_messages(cluster, "t")) {
    ids[std::to_string(message.partition) + "/" + std::to_string(message.offset)] = message.header("ce_id");
  }
  REQUIRE(ids.size() == static_cast<std::size_t>(n));
  std::map<std::string, long> next_offset; // per partition: offsets go up in line order
  std::set<std::string> seen;
  int count = 0;
  for (std::size_t start = 0; start < r.out.size(); ++count) {
    const std::size_t end = r.out.find('\n', start);
    REQUIRE(end != std::string::npos);
    const std::string line = r.out.substr(start, end - start);
    start = end + 1;
    REQUIRE(line.rfind("t/", 0) == 0);
    const std::size_t space = line.find(' ');
    const std::string where = line.substr(2, space - 2);
    const std::string partition = where.substr(0, where.find('/'));
    const long offset = std::stol(where.substr(where.find('/') + 1));
    CHECK(offset == next_offset[partition]++);
    CHECK(ids[where] == line.substr(space + 1));
    CHECK(seen.insert(where).second);
  }
  CHECK(count == n);
}
