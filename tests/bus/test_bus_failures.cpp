// oex produce, consume and bus info when the bus fails: every failure one clear line, exit 2.

#include <catch2/catch.hpp>

#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bus_test_helpers.hpp"

using namespace oex::test;

TEST_CASE("bus: nothing listening at the URL is one clear line, exit 2")
{
  const int port = free_port();
  const std::string url = "redis://127.0.0.1:" + std::to_string(port);
  TempDir dir;
  const std::string payload = dir.write("p.json", sample_payload(k_login, 1));
  auto r = run_oex({"produce", k_login, payload, "--topic", "t", "--bus", url});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "oex: error: " + url + ": cannot connect: Connection refused\n");
  auto c = run_oex({"consume", "--topic", "t", "--group", "g", "--bus", url});
  CHECK(c.exit_code == 2);
  CHECK(c.err == "oex: error: " + url + ": cannot connect: Connection refused\n");
  auto i = run_oex({"bus", "info", "--bus", url});
  CHECK(i.exit_code == 2);
  CHECK(i.err == "oex: error: " + url + ": cannot connect: Connection refused\n");
}

TEST_CASE("bus: a server that is not Redis")
{
  // an HTTP server where Redis was expected: it answers the first command with a status line
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(listen(listener, 1) == 0);
  REQUIRE(getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  std::thread server([listener] {
    const int client = accept(listener, nullptr, nullptr);
    char buffer[256];
    (void)!read(client, buffer, sizeof buffer);
    const char answer[] = "HTTP/1.0 400 Bad Request\r\n\r\n";
    (void)!write(client, answer, sizeof answer - 1);
    close(client);
  });
  const std::string url = "redis://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  auto r = run_oex({"bus", "info", "--bus", url});
  server.join();
  close(listener);
  CHECK(r.exit_code == 2);
  CHECK(r.err == "oex: error: " + url
                   + ": the server does not answer as Redis does (Protocol error, got \"H\" as "
                     "reply type byte)\n");
}

TEST_CASE("bus: URLs")
{
  TempDir dir;
  const std::string payload = dir.write("p.json", sample_payload(k_login, 1));
  const auto error_for = [&](const std::string& url) {
    return run_oex({"produce", k_login, payload, "--topic", "t", "--bus", url}).err;
  };
  CHECK(error_for("rediss://:secret@127.0.0.1:6380")
        == "oex: error: bus URL 'rediss://***@127.0.0.1:6380': rediss:// (TLS) is not supported: "
           "this oex is built with hiredis 0.14, which has no TLS; use redis:// through a TLS "
           "tunnel (stunnel, spiped)\n");
  CHECK(error_for("http://127.0.0.1")
        == "oex: error: bus URL 'http://127.0.0.1': expected "
           "redis://[user:password@]host[:port][/db] or unix:///path/to/socket\n");
  CHECK(error_for("redis://127.0.0.1:99999")
        == "oex: error: bus URL 'redis://127.0.0.1:99999': the port must be 1 to 65535, got "
           "'99999'\n");
  CHECK(error_for("redis://127.0.0.1/x")
        == "oex: error: bus URL 'redis://127.0.0.1/x': the database after '/' must be a "
           "non-negative integer, got 'x'\n");
}

TEST_CASE("bus: an empty topic or group is a usage error")
{
  TempDir dir;
  const std::string payload = dir.write("p.json", sample_payload(k_login, 1));
  auto p = run_oex({"produce", k_login, payload, "--topic", "", "--bus", fixture_redis_url()});
  CHECK(p.exit_code == 2);
  CHECK(p.err == "oex: error: --topic: must not be empty\nRun 'oex produce --help' for more information.\n");
  auto c = run_oex({"consume", "--topic", "t", "--group", "", "--bus", fixture_redis_url()});
  CHECK(c.exit_code == 2);
  CHECK(c.err == "oex: error: --group: must not be empty\nRun 'oex consume --help' for more information.\n");
}

TEST_CASE("bus: a unix socket URL and a database number")
{
  const std::string socket = std::string(REDIS_FIXTURE_DIR) + "/redis.sock";
  const std::string topic = unique_name("unix");
  TempDir dir;
  const std::string payload = dir.write("p.json", sample_payload(k_login, 1));
  auto r = run_oex({"produce", k_login, payload, "--topic", topic, "--bus", "unix://" + socket + "?db=3"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(xrange(fixture_redis_url(), topic).empty()); // database 0
  CHECK(xrange(fixture_redis_url() + "/3", topic).size() == 1);
}

TEST_CASE("bus: authentication, wrong type at the key, out of memory: one line, exit 2")
{
  RedisServer server({"--requirepass", "sekret"});
  const std::string with_password = "redis://:sekret@127.0.0.1:" + std::to_string(server.port());
  TempDir dir;
  const std::string payload = dir.write("p.json", sample_payload(k_login, 1));
  const auto produce = [&](const std::string& url, const std::string& topic) {
    return run_oex({"produce", k_login, payload, "--topic", topic, "--bus", url});
  };
  SECTION("no password")
  {
    auto r = produce(server.url(), "t");
    CHECK(r.exit_code == 2);
    CHECK(r.err
          == "oex: error: " + server.url()
               + ": authentication required: give the password in the URL "
                 "(redis://:PASSWORD@host:port)\n");
    auto c = run_oex({"consume", "--topic", "t", "--group", "g", "--bus", server.url()});
    CHECK(c.exit_code == 2);
    CHECK(c.err == r.err);
  }
  SECTION("a wrong password, never shown")
  {
    const std::string url = "redis://:nope@127.0.0.1:" + std::to_string(server.port());
    auto r = produce(url, "t");
    CHECK(r.exit_code == 2);
    CHECK(r.err
          == "oex: error: redis://:***@127.0.0.1:" + std::to_string(server.port())
               + ": authentication refused: WRONGPASS invalid username-password pair or user is "
                 "disabled.\n");
  }
  SECTION("the right password")
  {
    CHECK(produce(with_password, "t").exit_code == 0);
  }
  SECTION("a key of another type")
  {
    redis_command(with_password, {"SET", "plain", "1"});
    const std::string prefix = "oex: error: redis://:***@127.0.0.1:" + std::to_string(server.port());
    auto r = produce(with_password, "plain");
    CHECK(r.exit_code == 2);
    CHECK(r.err == prefix + ": XADD 'plain': WRONGTYPE Operation against a key holding the wrong kind of value\n");
    auto c = run_oex({"consume", "--topic", "plain", "--group", "g", "--bus", with_password});
    CHECK(c.exit_code == 2);
    CHECK(c.err == prefix + ": XGROUP CREATE 'plain': WRONGTYPE Operation against a key holding the wrong kind of value\n");
    TempDir lines_dir;
    const std::string line = one_line(sample_payload(k_login, 1)) + "\n";
    auto lines = run_oex({"produce", k_login, lines_dir.write("p.jsonl", line + line + line), "--jsonl", "--topic",
                          "plain", "--bus", with_password});
    CHECK(lines.exit_code == 2);
    CHECK(lines.err == prefix + ": XADD 'plain': WRONGTYPE Operation against a key holding the wrong kind of "
                                "value (0 of 3 events were sent before)\n");
    CHECK(lines.out.empty());
  }
  SECTION("out of memory")
  {
    redis_command(with_password, {"CONFIG", "SET", "maxmemory", "1"});
    auto r = produce(with_password, "t");
    CHECK(r.exit_code == 2);
    CHECK(r.err
          == "oex: error: redis://:***@127.0.0.1:" + std::to_string(server.port())
               + ": XADD 't': OOM command not allowed when used memory > 'maxmemory'.\n");
  }
}

TEST_CASE("bus: a full standard output is an error and leaves the message unacknowledged")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("full");
  TempDir dir;
  const std::string payload = dir.write("p.json", sample_payload(k_login, 1));
  const std::string k_full = "oex: error: cannot write to standard output: No space left on device\n";
  auto p = run_oex_in_shell("exec \"$0\" \"$@\" >/dev/full",
                            {"produce", k_login, payload, "--topic", topic, "--bus", url});
  CHECK(p.exit_code == 2);
  CHECK(p.err == k_full);
  REQUIRE(xrange(url, topic).size() == 1); // it was sent: only the report failed
  for (const char* format : {"--json", "--strict-metadata"}) { // JSON lines, then text
    auto c = run_oex_in_shell("exec \"$0\" \"$@\" >/dev/full",
                              {"consume", "--topic", topic, "--group", "g", "--from", "beginning",
                               "--bus", url, "--max", "1", format});
    CHECK(c.exit_code == 2);
    CHECK(c.err == k_full);
  }
  // still there for the next run
  auto again = run_oex({"consume", "--topic", topic, "--group", "g", "--bus", url, "--max", "1", "--json"});
  CHECK(again.exit_code == 0);
  CHECK(json_lines(again.out).size() == 1);
  auto i = run_oex_in_shell("exec \"$0\" \"$@\" >/dev/full", {"bus", "info", "--bus", url});
  CHECK(i.exit_code == 2);
  CHECK(i.err == k_full);
}

TEST_CASE("bus: redis-server going away under a running consumer is a clear error, exit 2")
{
  // oex does not reconnect: what it had handled but not yet acknowledged is delivered again to
  // the next run (its own pending entries), so a supervisor restarting it loses nothing.
  RedisServer server;
  const std::string topic = unique_name("restart");
  TempDir dir;
  const std::string payload = dir.write("p.json", sample_payload(k_login, 1));
  const std::string marker = dir.path() + "/handled";
  // the group first, so that the consumer started next reads the message whenever it starts
  REQUIRE(run_oex({"consume", "--topic", topic, "--group", "g", "--bus", server.url(), "--idle", "0.1"})
            .exit_code
          == 0);
  Background consumer({"consume", "--topic", topic, "--group", "g", "--bus", server.url(),
                       "--idle", "60", "--receiver", "exec:touch " + marker + "; echo"});
  REQUIRE(run_oex({"produce", k_login, payload, "--topic", topic, "--bus", server.url()}).exit_code == 0);
  REQUIRE(wait_for_file(marker));
  server.stop();
  CHECK(consumer.wait() == 2);
  INFO(consumer.err());
  CHECK(consumer.err().starts_with("oex: error: " + server.url() + ": connection lost: "));
  CHECK(consumer.err().find('\n') == consumer.err().size() - 1);
  // and a new run against the restarted server works
  server.start();
  auto r = run_oex({"consume", "--topic", topic, "--group", "g", "--bus", server.url(), "--idle", "0.2"});
  CHECK(r.exit_code == 0);
}

TEST_CASE("bus: a write that fails midway leaves only the unreported messages unacknowledged")
{
  const std::string url = fixture_redis_url();
  const std::string topic = unique_name("midway");
  const auto ids = produce_n(url, topic, 3);
  TempDir dir;
  // 512 bytes of output at most: the first line (about 300 bytes) fits, the second does not;
  // with SIGXFSZ ignored the write fails with EFBIG instead of killing oex
  auto r = run_oex_in_shell("trap '' XFSZ; ulimit -f 1; exec \"$0\" \"$@\" >" + dir.path() + "/out",
                            {"consume", "--topic", topic, "--group", "g", "--from", "beginning",
                             "--bus", url, "--max", "3"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "oex: error: cannot write to standard output: File too large\n");
  CHECK(read_file(dir.path() + "/out").starts_with(ids[0] + " "));
  const auto info = nlohmann::json::parse(
    run_oex({"bus", "info", "--topic", topic, "--bus", url, "--json"}).out);
  CHECK(info["streams"][0]["groups"][0]["pending"] == 2); // the first was acknowledged
}
