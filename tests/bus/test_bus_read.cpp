// oex consume --no-group on Redis: XREAD with no group, groups left as they were; usage.

#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <set>

#include "bus_test_helpers.hpp"

using namespace oex::test;
using json = nlohmann::json;

namespace {

// XINFO GROUPS as redis-cli prints it: names, consumers, pending, last delivered id, lag.
std::string groups_of(const std::string& url, const std::string& stream)
{
  RunResult r = run("redis-cli", {"-u", url, "XINFO", "GROUPS", stream});
  REQUIRE(r.exit_code == 0);
  return r.out;
}

std::vector<std::string> read_ids(const std::string& url, const std::string& topic,
                                  std::vector<std::string> extra)
{
  std::vector<std::string> args = {"consume", "--topic", topic, "--no-group", "--bus", url, "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  RunResult r = run_oex(args);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  return entry_ids(r.out);
}

// "2026-11-28T10:00:00.123Z" for ms since the epoch.
std::string iso_ms(std::int64_t ms)
{
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[64];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(ms % 1000));
  return std::string(text) + millis;
}

} // namespace

TEST_CASE("consume --no-group: reads everything from the beginning and leaves the groups alone")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("nogroup");
  const auto ids = produce_n(url, topic, 5);
  // a service's group, part way through, with a message pending
  REQUIRE(run_oex({"consume", "--topic", topic, "--group", "svc", "--from", "beginning", "--bus", url, "--max", "2"})
            .exit_code
          == 0);
  redis_command(url, {"XREADGROUP", "GROUP", "svc", "c2", "COUNT", "1", "STREAMS", topic, ">"});
  const std::string before = groups_of(url, topic);
  REQUIRE(before.find("svc") != std::string::npos);
  RunResult r = run_oex({"consume", "--topic", topic, "--no-group", "--from", "beginning", "--bus", url,
                         "--json", "--idle", "0.3", "--batch", "2"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(entry_ids(r.out) == ids);
  for (const json& line : json_lines(r.out)) {
    CHECK(line["status"] == "handled");
    CHECK(line["stream"] == topic);
  }
  CHECK(r.err == "oex: 5 messages from " + topic + " (no group): 5 handled, 0 skipped, 0 bad, 0 with failed receivers\n");
  CHECK(groups_of(url, topic) == before);
  // a stream with no group gets none
  const std::string fresh = unique_name("nogroup-fresh");
  produce_n(url, fresh, 2);
  CHECK(read_ids(url, fresh, {"--from", "beginning", "--idle", "0.2"}).size() == 2);
  CHECK(groups_of(url, fresh).find("name") == std::string::npos);
  // and a stream that does not exist yet is waited for, not made
  const std::string none = unique_name("nogroup-none");
  CHECK(read_ids(url, none, {"--from", "beginning", "--idle", "0.2"}).empty());
  CHECK(run("redis-cli", {"-u", url, "EXISTS", none}).out == "0\n");
  // a key that is no stream is a bus error, named
  const std::string plain = unique_name("nogroup-plain");
  redis_command(url, {"SET", plain, "x"});
  RunResult wrong = run_oex({"consume", "--topic", plain, "--no-group", "--from", "beginning", "--bus", url});
  CHECK(wrong.exit_code == 2);
  CHECK(wrong.err == "oex: error: " + url + ": XREAD '" + plain
                       + "': WRONGTYPE Operation against a key holding the wrong kind of value\n");
}

TEST_CASE("consume --no-group: --from end, an entry id, a time; --max")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("nogroup-from");
  const auto ids = produce_n(url, topic, 4);
  SECTION("end (the default) reads only what comes after it starts")
  {
    for (const std::vector<std::string>& from : {std::vector<std::string>{}, {"--from", "end"}}) {
      std::vector<std::string> args = {"consume", "--topic", topic, "--no-group", "--bus", url, "--json", "--max", "2"};
      args.insert(args.end(), from.begin(), from.end());
      Background reader(args);
      std::set<std::string> later;
      const auto lines = [&] {
        const std::string out = reader.out();
        return std::count(out.begin(), out.end(), '\n');
      };
      for (int i = 0; i < 100 && lines() < 2; ++i) {
        later.insert(produce_n(url, topic, 1).back());
        usleep(100 * 1000);
      }
      CHECK(reader.wait() == 0);
      const auto read = entry_ids(reader.out());
      REQUIRE(read.size() == 2);
      for (const std::string& id : read) {
        CHECK(later.count(id) == 1);
      }
    }
  }
  SECTION("an entry id: that entry on")
  {
    CHECK(read_ids(url, topic, {"--from", ids[2], "--idle", "0.2"}) == std::vector<std::string>{ids[2], ids[3]});
  }
  SECTION("a time: the entries from its millisecond on")
  {
    const std::int64_t ms = std::stoll(ids[2].substr(0, ids[2].find('-')));
    std::vector<std::string> expected;
    for (const std::string& id : ids) {
      if (std::stoll(id.substr(0, id.find('-'))) >= ms) {
        expected.push_back(id);
      }
    }
    CHECK(read_ids(url, topic, {"--from", iso_ms(ms), "--idle", "0.2"}) == expected);
    CHECK(read_ids(url, topic, {"--from", "2000-01-01T00:00:00+01:00", "--idle", "0.2"}) == ids);
    CHECK(read_ids(url, topic, {"--from", "2999-01-01T00:00:00Z", "--idle", "0.2"}).empty());
    RunResult bad = run_oex({"consume", "--topic", topic, "--no-group", "--bus", url, "--from", "2026-01-01T00:00:00"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err == "oex: error: --from '2026-01-01T00:00:00': give the time's offset (Z, +00:00, ...)\n");
    RunResult junk = run_oex({"consume", "--topic", topic, "--no-group", "--bus", url, "--from", "yesterday"});
    CHECK(junk.exit_code == 2);
    CHECK_THAT(junk.err, Catch::StartsWith("oex: error: --from: "));
    CHECK_THAT(junk.err, Catch::EndsWith(" (beginning, end, a Redis entry id such as 1700000000000-0, or an ISO time)\n"));
  }
  SECTION("--max")
  {
    CHECK(read_ids(url, topic, {"--from", "beginning", "--max", "3"}) == std::vector<std::string>{ids[0], ids[1], ids[2]});
  }
}

TEST_CASE("consume --no-group: bad messages are reported by entry id, skipped and dead-lettered")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("nogroup-bad");
  const std::string dead = unique_name("nogroup-dl");
  redis_command(url, xadd_args(topic, {{"type", ""}}));
  redis_command(url, xadd_args(topic, {{"event_data", "\x02\x02"}}));
  redis_command(url, xadd_args(topic, {}));
  const auto entries = xrange(url, topic);
  RunResult r = run_oex({"consume", "--topic", topic, "--no-group", "--from", "beginning", "--bus", url,
                         "--idle", "0.3", "--json", "--dead-letter", dead});
  CHECK(r.exit_code == 1);
  const auto lines = json_lines(r.out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0]["status"] == "bad");
  CHECK(lines[0]["error"] == "missing field 'type': the event type is unknown");
  CHECK(lines[1]["status"] == "bad");
  CHECK(lines[2]["status"] == "handled");
  CHECK(lines[1]["error"] == "event data: byte 1: user.is_active: invalid boolean byte 2");
  const auto copies = xrange(url, dead);
  REQUIRE(copies.size() == 2);
  CHECK(copies[1].get("original_entry_id") == entries[1].id);
  CHECK(lines[1]["dead_letter_entry_id"] == copies[1].id);
  // the same keys as a group's reports
  RunResult grouped = run_oex({"consume", "--topic", topic, "--group", "g", "--from", "beginning", "--bus", url,
                               "--max", "1", "--json"});
  const json group_line = json_lines(grouped.out).at(0);
  CHECK(json_keys(lines[0]) == json_keys(group_line));
  // text: each bad message on stderr by its entry id
  RunResult text = run_oex({"consume", "--topic", topic, "--no-group", "--from", "beginning", "--bus", url, "--idle", "0.3"});
  CHECK(text.exit_code == 1);
  CHECK_THAT(text.err, Catch::Contains("oex: " + entries[1].id + ": bad message: event data: byte 1: "
                                       "user.is_active: invalid boolean byte 2\n"));
  CHECK(text.out.starts_with(entries[2].id + " " + std::string(k_login) + " " + k_uuid));
}

TEST_CASE("consume --no-group: two readers at once both see every message")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("nogroup-two");
  const auto ids = produce_n(url, topic, 6);
  const std::vector<std::string> args = {"consume", "--topic", topic, "--no-group", "--from", "beginning",
                                         "--bus", url, "--json", "--max", "6", "--batch", "2"};
  Background a(args);
  Background b(args);
  CHECK(a.wait() == 0);
  CHECK(b.wait() == 0);
  CHECK(entry_ids(a.out()) == ids);
  CHECK(entry_ids(b.out()) == ids);
}

TEST_CASE("consume --no-group: usage errors, before any connection")
{
  const std::string nowhere = "redis://127.0.0.1:" + std::to_string(free_port());
  const std::string help = "\nRun 'oex consume --help' for more information.\n";
  RunResult both = run_oex({"consume", "--topic", "t", "--no-group", "--group", "g", "--bus", nowhere});
  CHECK(both.exit_code == 2);
  CHECK(both.err == "oex: error: --group cannot be used with --no-group: a group-less read joins no consumer group\n");
  RunResult consumer = run_oex({"consume", "--topic", "t", "--no-group", "--consumer", "c", "--bus", nowhere});
  CHECK(consumer.exit_code == 2);
  CHECK(consumer.err == "oex: error: --consumer cannot be used with --no-group: a group-less read joins no consumer group\n");
  RunResult claim = run_oex({"consume", "--topic", "t", "--no-group", "--claim-idle", "10", "--bus", nowhere});
  CHECK(claim.exit_code == 2);
  CHECK(claim.err == "oex: error: --claim-idle cannot be used with --no-group: a group-less read joins no consumer group\n");
  RunResult neither = run_oex({"consume", "--topic", "t", "--bus", nowhere});
  CHECK(neither.exit_code == 2);
  CHECK(neither.err == "oex: error: --group or --no-group is required" + help);
}
