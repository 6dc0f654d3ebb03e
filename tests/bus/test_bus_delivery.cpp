// oex consume: nothing lost (SIGKILL, SIGTERM, --claim-idle), bad messages, dead letters.

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <iterator>
#include <set>

#include "bus_test_helpers.hpp"

using namespace oex::test;
using json = nlohmann::json;

TEST_CASE("consume: killed (SIGKILL) in the middle of a message, it gets it again on restart")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("kill");
  REQUIRE(run_oex({"consume", "--topic", topic, "--group", "g", "--bus", url, "--idle", "0.1"})
            .exit_code
          == 0);
  const auto ids = produce_n(url, topic, 5);
  TempDir dir;
  const std::string started = dir.path() + "/started";
  // The receiver of the third message says it started, then hangs until killed.
  const std::string receiver = "exec:n=$(cat " + dir.path()
                               + "/count 2>/dev/null || echo 0); n=$((n+1)); echo $n > "
                               + dir.path() + "/count; if [ $n -eq 3 ]; then touch " + started
                               + "; sleep 60; fi; echo";
  Background first({"consume", "--topic", topic, "--group", "g", "--consumer", "c1", "--bus",
                    url, "--json", "--batch", "2", "--receiver", receiver});
  REQUIRE(wait_for_file(started));
  first.signal_group(SIGKILL);
  CHECK(first.wait() == 128 + SIGKILL);
  // the restarted consumer (same name) handles what was not acknowledged, then the rest
  auto second = run_oex({"consume", "--topic", topic, "--group", "g", "--consumer", "c1", "--bus",
                         url, "--json", "--idle", "0.5"});
  INFO(second.err);
  CHECK(second.exit_code == 0);
  std::vector<std::string> handled = entry_ids(first.out());
  const std::vector<std::string> again = entry_ids(second.out);
  // nothing skipped: every entry handled by one run or the other, and in order in the second
  std::set<std::string> all(handled.begin(), handled.end());
  all.insert(again.begin(), again.end());
  CHECK(all == std::set<std::string>(ids.begin(), ids.end()));
  CHECK(std::find(again.begin(), again.end(), ids[2]) != again.end()); // the one in the middle
  CHECK(std::is_sorted(again.begin(), again.end()));
  auto info = json::parse(run_oex({"bus", "info", "--topic", topic, "--bus", url, "--json"}).out);
  CHECK(info["streams"][0]["groups"][0]["pending"] == 0);
}

TEST_CASE("consume: SIGTERM finishes the message in hand, acknowledges it and exits 0")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("term");
  REQUIRE(run_oex({"consume", "--topic", topic, "--group", "g", "--bus", url, "--idle", "0.1"})
            .exit_code
          == 0);
  const auto ids = produce_n(url, topic, 3);
  TempDir dir;
  const std::string started = dir.path() + "/started";
  const std::string go = dir.path() + "/go";
  // The first receiver call waits (bounded) for the test to say go.
  const std::string receiver = "exec:touch " + started + "; i=0; while [ ! -f " + go
                               + " ] && [ $i -lt 3000 ]; do sleep 0.02; i=$((i+1)); done; echo";
  Background consumer({"consume", "--topic", topic, "--group", "g", "--consumer", "c1", "--bus",
                       url, "--json", "--batch", "1", "--receiver", receiver});
  REQUIRE(wait_for_file(started));
  consumer.signal(SIGTERM);
  dir.write("go", "");
  CHECK(consumer.wait() == 0);
  CHECK(entry_ids(consumer.out()) == std::vector<std::string>{ids[0]});
  CHECK(consumer.err().find("stopped by a signal") != std::string::npos);
  // the first was acknowledged; the rest come next
  auto next = run_oex({"consume", "--topic", topic, "--group", "g", "--consumer", "c1", "--bus",
                       url, "--json", "--idle", "0.3"});
  CHECK(entry_ids(next.out) == std::vector<std::string>{ids[1], ids[2]});
}

TEST_CASE("consume: --claim-idle takes over what a dead consumer left pending")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("claim");
  REQUIRE(run_oex({"consume", "--topic", topic, "--group", "g", "--bus", url, "--idle", "0.1"})
            .exit_code
          == 0);
  const auto ids = produce_n(url, topic, 4);
  // "dead" reads two and never acknowledges them
  redis_command(url, {"XREADGROUP", "GROUP", "g", "dead", "COUNT", "2", "STREAMS", topic, ">"});
  SECTION("without --claim-idle another consumer does not get them")
  {
    auto r = run_oex({"consume", "--topic", topic, "--group", "g", "--consumer", "alive", "--bus",
                      url, "--json", "--idle", "0.3"});
    CHECK(entry_ids(r.out) == std::vector<std::string>{ids[2], ids[3]});
  }
  SECTION("with it, it takes them first")
  {
    auto r = run_oex({"consume", "--topic", topic, "--group", "g", "--consumer", "alive", "--bus",
                      url, "--json", "--idle", "0.3", "--claim-idle", "0"});
    CHECK(entry_ids(r.out) == ids);
    auto info = json::parse(run_oex({"bus", "info", "--topic", topic, "--bus", url, "--json"}).out);
    CHECK(info["streams"][0]["groups"][0]["pending"] == 0);
  }
}

TEST_CASE("consume: --max reads no more than it handles, after claimed messages too")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("claimmax");
  REQUIRE(run_oex({"consume", "--topic", topic, "--group", "g", "--bus", url, "--idle", "0.1"})
            .exit_code
          == 0);
  const auto ids = produce_n(url, topic, 6);
  // two dead consumers read one each and never acknowledge them
  redis_command(url, {"XREADGROUP", "GROUP", "g", "dead1", "COUNT", "1", "STREAMS", topic, ">"});
  redis_command(url, {"XREADGROUP", "GROUP", "g", "dead2", "COUNT", "1", "STREAMS", topic, ">"});
  auto r = run_oex({"consume", "--topic", topic, "--group", "g", "--consumer", "alive", "--bus",
                    url, "--json", "--claim-idle", "0", "--max", "3", "--batch", "5"});
  CHECK(r.exit_code == 0);
  CHECK(entry_ids(r.out) == std::vector<std::string>{ids[0], ids[1], ids[2]});
  // nothing read past --max is left pending under "alive", where no one else would get it
  auto info = json::parse(run_oex({"bus", "info", "--topic", topic, "--bus", url, "--json"}).out);
  CHECK(info["streams"][0]["groups"][0]["pending"] == 0);
  auto rest = run_oex({"consume", "--topic", topic, "--group", "g", "--consumer", "other",
                       "--bus", url, "--json", "--idle", "0.3"});
  CHECK(entry_ids(rest.out) == std::vector<std::string>{ids[3], ids[4], ids[5]});
}

TEST_CASE("consume: each kind of bad message is reported with its entry id and never stops it")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("bad");
  const std::vector<std::pair<std::map<std::string, std::string>, std::string>> cases = {
    // a missing field of a message that cannot be dispatched anyway is no warning
    {{{"type", "org.openedx.nope.v1"}, {"sourcehost", ""}}, "unknown event type 'org.openedx.nope.v1'"},
    {{{"type", ""}}, "missing field 'type': the event type is unknown"},
    {{{"event_data", "\x02\x02"}}, "event data: byte 1: user.is_active: invalid boolean byte 2"},
    {{{"event_data", ""}}, "missing the event data (no value)"},
    {{{"time", "yesterday"}}, "malformed metadata: time: invalid isoformat string 'yesterday'"},
    {{{"id", "x"}, {"sourcelib", "a.b"}},
     "malformed metadata: id: not a UUID: 'x'; sourcelib: expected non-negative 64-bit integers "
     "separated by dots, e.g. 11.2.0, got 'a.b'"},
    {{}, ""}, // a good one after them
  };
  for (const auto& [change, why] : cases) {
    redis_command(url, xadd_args(topic, change));
  }
  const auto entries = xrange(url, topic);
  auto r = run_oex({"consume", "--topic", topic, "--group", "g", "--from", "beginning", "--bus",
                    url, "--idle", "0.3"});
  CHECK(r.exit_code == 1);
  for (std::size_t i = 0; i + 1 < cases.size(); ++i) {
    INFO(r.err);
    CHECK(r.err.find("oex: " + entries[i].id + ": bad message: " + cases[i].second)
          != std::string::npos);
  }
  CHECK(r.err.find("warning") == std::string::npos);
  CHECK(r.out.starts_with(entries.back().id + " " + std::string(k_login) + " " + k_uuid));
  CHECK(r.err.find("7 messages from " + topic) != std::string::npos);
  CHECK(r.err.find("1 handled, 0 skipped, 6 bad") != std::string::npos);
  // --json says the same, one line each
  auto j = run_oex({"consume", "--topic", topic, "--group", "g2", "--from", "beginning", "--bus",
                    url, "--idle", "0.3", "--json"});
  const auto lines = json_lines(j.out);
  REQUIRE(lines.size() == 7);
  CHECK(lines[0]["status"] == "bad");
  CHECK(lines[0]["error"] == "unknown event type 'org.openedx.nope.v1'");
  CHECK(lines[6]["status"] == "handled");
}

TEST_CASE("consume: a missing metadata field is reported, and refused with --strict-metadata")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("missing");
  redis_command(url, xadd_args(topic, {{"id", ""}, {"sourcehost", ""}}));
  const std::string id = xrange(url, topic).front().id;
  auto r = run_oex({"consume", "--topic", topic, "--group", "g", "--from", "beginning", "--bus",
                    url, "--max", "1", "--json"});
  CHECK(r.exit_code == 0);
  const auto line = json_lines(r.out).at(0);
  CHECK(line["status"] == "handled");
  CHECK(line["warnings"] == json::array({"missing field 'id'", "missing field 'sourcehost'"}));
  CHECK(line["metadata"]["id"].get<std::string>().size() == 36); // made up, as upstream does
  auto strict = run_oex({"consume", "--topic", topic, "--group", "g2", "--from", "beginning",
                         "--bus", url, "--max", "1", "--strict-metadata"});
  CHECK(strict.exit_code == 1);
  CHECK(strict.err.find("oex: " + id + ": bad message: --strict-metadata: missing metadata "
                        "fields 'id', 'sourcehost'\n")
        != std::string::npos);
}

TEST_CASE("consume: --dead-letter copies bad messages and failed receivers' messages")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("dl");
  redis_command(url, xadd_args(topic, {{"type", "org.openedx.nope.v1"}}));
  redis_command(url, xadd_args(topic, {}));
  const auto entries = xrange(url, topic);
  auto r = run_oex({"consume", "--topic", topic, "--group", "g", "--from", "beginning", "--bus",
                    url, "--idle", "0.3", "--prefix", "", "--dead-letter", topic + "-dlq",
                    "--receiver", "exec:echo broken >&2; exit 3"});
  CHECK(r.exit_code == 1);
  const auto dead = xrange(url, topic + "-dlq");
  REQUIRE(dead.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    // the same fields in the same order, then error and original_entry_id
    REQUIRE(dead[i].fields.size() == entries[i].fields.size() + 2);
    for (std::size_t f = 0; f < entries[i].fields.size(); ++f) {
      CHECK(dead[i].fields[f] == entries[i].fields[f]);
    }
    CHECK(dead[i].fields[entries[i].fields.size()].first == "error");
    CHECK(dead[i].get("original_entry_id") == entries[i].id);
  }
  CHECK(dead[0].get("error") == "unknown event type 'org.openedx.nope.v1'");
  CHECK(dead[1].get("error") == "receiver exec:echo broken >&2; exit 3 failed");
  auto info = json::parse(run_oex({"bus", "info", "--topic", topic, "--bus", url, "--json"}).out);
  CHECK(info["streams"][0]["groups"][0]["pending"] == 0);
}

TEST_CASE("produce --jsonl and consume: memory flat in the number of events")
{
#ifdef OEX_SANITIZED
  SUCCEED("no address-space limit under the sanitizers (ASan reserves terabytes of it)");
#else
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("memory");
  TempDir dir;
  const std::string line = one_line(sample_payload(k_login, 5)) + "\n";
  std::string lines;
  for (int i = 0; i < 30000; ++i) {
    lines += line;
  }
  const std::string file = dir.write("p.jsonl", lines);
  // 25 MB of address space: what 30000 events held at once would not fit in
  const std::string limited = "ulimit -v 25000; exec \"$0\" \"$@\"";
  auto p = run_oex_in_shell(limited, {"produce", k_login, file, "--jsonl", "--topic", topic,
                                      "--bus", url, "--maxlen", "100000", "--json"});
  INFO(p.err);
  REQUIRE(p.exit_code == 0);
  CHECK(nlohmann::json::parse(p.out)["produced"] == 30000);
  auto c = run_oex_in_shell(limited, {"consume", "--topic", topic, "--group", "g", "--from",
                                      "beginning", "--bus", url, "--json", "--idle", "0.3"});
  INFO(c.err);
  CHECK(c.exit_code == 0);
  CHECK(c.err.find("30000 messages from " + topic) != std::string::npos);
  // the limit bites when the whole stream is read at once
  auto all = run_oex_in_shell(limited, {"consume", "--topic", topic, "--group", "g2", "--from",
                                        "beginning", "--bus", url, "--json", "--idle", "0.3",
                                        "--batch", "30000"});
  CHECK(all.exit_code == 2);
  CHECK(all.err == "oex: error: " + url + ": out of memory in oex while reading the reply\n");
#endif
}

TEST_CASE("consume: killed (SIGKILL) while writing a batch of reports, it gets back exactly the unacknowledged ones")
{
  // Without receivers the reports go out in large writes and a batch is acknowledged only after
  // its reports were written. The consumer writes into a pipe the test stops reading, and is
  // killed wherever it then is (blocked on the full pipe, or still working): every message it
  // acknowledged must be a complete line of its output, and a restart gets exactly the others.
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("killw");
  const auto ids = produce_n(url, topic, 400); // far more output than a pipe holds
  TempDir dir;
  const std::string out = dir.path() + "/out";
  auto r = run_oex_in_shell(
    "mkfifo " + dir.path() + "/f && { \"$0\" \"$@\" >" + dir.path() + "/f & pid=$!; exec 3<"
      + dir.path() + "/f; head -c 20000 <&3 >" + out + "; kill -9 $pid; wait $pid; echo $? >"
      + dir.path() + "/rc; cat <&3 >>" + out + "; }",
    {"consume", "--topic", topic, "--group", "g", "--consumer", "c1", "--from", "beginning",
     "--bus", url, "--json", "--batch", "10"});
  REQUIRE(r.exit_code == 0);
  CHECK(read_file(dir.path() + "/rc") == std::to_string(128 + SIGKILL) + "\n");
  const std::string written = read_file(out);
  std::set<std::string> reported; // the complete lines only
  for (std::size_t start = 0, end; (end = written.find('\n', start)) != std::string::npos;
       start = end + 1) {
    reported.insert(json::parse(written.substr(start, end - start))["entry_id"].get<std::string>());
  }
  REQUIRE(reported.size() < ids.size());
  // what the group still has pending for c1: read it back with a restart under the same name
  auto again = run_oex({"consume", "--topic", topic, "--group", "g", "--consumer", "c1", "--bus",
                        url, "--json", "--idle", "0.3"});
  REQUIRE(again.exit_code == 0);
  const std::vector<std::string> second = entry_ids(again.out);
  std::set<std::string> all(second.begin(), second.end());
  std::vector<std::string> in_stream_order; // (entry ids do not sort as text)
  std::copy_if(ids.begin(), ids.end(), std::back_inserter(in_stream_order),
               [&](const std::string& id) { return all.count(id) == 1; });
  CHECK(second == in_stream_order);
  // nothing skipped, and nothing acknowledged that was not written out whole
  for (const std::string& id : ids) {
    if (!all.count(id)) {
      CHECK(reported.count(id) == 1); // acknowledged: so it was reported
    }
  }
  all.insert(reported.begin(), reported.end());
  CHECK(all == std::set<std::string>(ids.begin(), ids.end()));
}
