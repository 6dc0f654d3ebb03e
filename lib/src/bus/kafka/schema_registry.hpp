#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace oex::bus::kafka {

struct RegistrySettings
{
  std::string url;    // http(s)://host[:port][/path]; user info in it is allowed and redacted
  std::string key;    // basic auth user (EVENT_BUS_KAFKA_SCHEMA_REGISTRY_API_KEY); empty: none
  std::string secret; // basic auth password (..._API_SECRET)
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds timeout{30000};
};

// A client of a Confluent-compatible schema registry (the REST API event-bus-kafka's
// confluent-kafka client uses), over libcurl. Ids are cached for the life of the object, so
// each subject is registered and each id looked up once per process. One thread at a time.
class SchemaRegistry
{
public:
  explicit SchemaRegistry(RegistrySettings settings);
  ~SchemaRegistry();
  SchemaRegistry(const SchemaRegistry&) = delete;
  SchemaRegistry& operator=(const SchemaRegistry&) = delete;

  // POST /subjects/<subject>/versions {"schema": text}: the schema's id. Throws BusError
  // "schema registry URL: POST /subjects/S/versions: ..." when the registry cannot be reached,
  // refuses (HTTP status and its message) or answers something else.
  std::uint32_t register_schema(const std::string& subject, const std::string& schema_text);

  // GET /schemas/ids/<id>: the schema text, or null when the registry has no such id (404).
  // Asked once per id: later calls return the same text object (consume keys its parsed writer
  // schemas by it, so a message costs no copy or comparison of the schema text). Throws
  // BusError for every other failure, as register_schema does.
  std::shared_ptr<const std::string> schema_by_id(std::uint32_t id);

  // The URL with any password replaced by "***", for messages.
  const std::string& describe() const { return m_described; }

private:
  struct Answer;
  Answer call(const char* method, const std::string& path, const std::string* body);

  RegistrySettings m_settings;
  std::string m_base;      // the URL without a trailing '/'
  std::string m_described; // the URL for messages
  struct Handle;
  std::unique_ptr<Handle> m_handle;
  std::map<std::pair<std::string, std::string>, std::uint32_t> m_registered;
  std::map<std::uint32_t, std::shared_ptr<const std::string>> m_by_id;
};

// "http://user:***@host/": the URL with the password of its user info replaced.
std::string redact_url(const std::string& url);

} // namespace oex::bus::kafka
