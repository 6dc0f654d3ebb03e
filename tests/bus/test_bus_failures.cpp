// oex produce, consume and bus info when the bus fails: every failure one clear line, exit 2.

#include <catch2/catch.hpp>

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
