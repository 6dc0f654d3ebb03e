#include <catch2/catch.hpp>

#include "kafka/schema_registry.hpp"
#include "oex/bus/transport.hpp"
#include "support/kafka_support.hpp"

using namespace oex::bus::kafka;
using oex::test::RegistryDouble;

namespace {

RegistrySettings settings_for(const std::string& url, const std::string& key = "",
                              const std::string& secret = "")
{
  RegistrySettings settings;
  settings.url = url;
  settings.key = key;
  settings.secret = secret;
  settings.connect_timeout = std::chrono::milliseconds(5000);
  settings.timeout = std::chrono::milliseconds(30000);
  return settings;
}

std::string error_of(const std::function<void()>& call)
{
  try {
    call();
  } catch (const oex::bus::BusError& e) {
    return e.what();
  }
  return "no error";
}

} // namespace

TEST_CASE("kafka::SchemaRegistry: registers once per subject and schema, looks ids up once")
{
  RegistryDouble double_({"--auth", "key:secret"});
  SchemaRegistry registry(settings_for(double_.url() + "/", "key", "secret"));
  const std::uint32_t id = registry.register_schema("t-string", R"({"name": "k", "type": "string"})");
  CHECK(registry.register_schema("t-string", R"({"name": "k", "type": "string"})") == id);
  CHECK(registry.register_schema("t-long", R"({"name": "n", "type": "long"})") != id);
  const std::shared_ptr<const std::string> text = registry.schema_by_id(id);
  REQUIRE(text);
  CHECK(*text == R"({"name": "k", "type": "string"})");
  CHECK(registry.schema_by_id(id) == text); // asked once: the same text object
  CHECK_FALSE(registry.schema_by_id(99));
  CHECK_FALSE(registry.schema_by_id(99));
  const std::vector<std::string> requests = double_.requests();
  REQUIRE(requests.size() == 4); // two registrations, two look-ups: the repeats came from the cache
  CHECK(requests[0]
        == R"({"method": "POST", "path": "/subjects/t-string/versions", "auth": "key", "body": "{\"schema\":\"{\\\"name\\\": \\\"k\\\", \\\"type\\\": \\\"string\\\"}\"}"})");
  CHECK(requests[2] == R"({"method": "GET", "path": "/schemas/ids/1", "auth": "key", "body": ""})");
  CHECK(requests[3] == R"({"method": "GET", "path": "/schemas/ids/99", "auth": "key", "body": ""})");
}

TEST_CASE("kafka::SchemaRegistry: subjects are escaped as one path segment")
{
  RegistryDouble double_;
  SchemaRegistry registry(settings_for(double_.url()));
  registry.register_schema("a b/c", R"("string")");
  CHECK(double_.requests().at(0).find(R"("path": "/subjects/a%20b%2Fc/versions")") != std::string::npos);
}

TEST_CASE("kafka::SchemaRegistry: refusals, wrong credentials and a registry that is down")
{
  RegistryDouble refusing({"--fail", "503"});
  SchemaRegistry registry(settings_for(refusing.url()));
  CHECK(error_of([&] { registry.register_schema("t-string", "\"string\""); })
        == "schema registry " + refusing.url()
             + ": POST /subjects/t-string/versions: HTTP 503: refused by --fail (error 50301)");
  CHECK(error_of([&] { registry.schema_by_id(1); })
        == "schema registry " + refusing.url() + ": GET /schemas/ids/1: HTTP 503: refused by --fail (error 50301)");

  RegistryDouble guarded({"--auth", "key:secret"});
  SchemaRegistry wrong(settings_for(guarded.url(), "key", "nope"));
  CHECK(error_of([&] { wrong.schema_by_id(1); })
        == "schema registry " + guarded.url() + ": GET /schemas/ids/1: HTTP 401: Unauthorized (error 40101)");

  const std::string url = guarded.url();
  guarded.stop();
  SchemaRegistry down(settings_for(url));
  CHECK_THAT(error_of([&] { down.register_schema("t-string", "\"string\""); }),
             Catch::StartsWith("schema registry " + url + ": POST /subjects/t-string/versions: ")
               && Catch::Contains("onnect"));
}

TEST_CASE("kafka::redact_url")
{
  CHECK(redact_url("http://user:pw@host:8081/x") == "http://user:***@host:8081/x");
  CHECK(redact_url("https://host/a@b") == "https://host/a@b");
  CHECK(redact_url("http://user@host") == "http://user@host");
  CHECK(redact_url("http://host:8081") == "http://host:8081");
}
