#include "kafka/schema_registry.hpp"

#include <cctype>

#include <nlohmann/json.hpp>

#include "kafka/curl_api.hpp"
#include "oex/bus/transport.hpp"

namespace oex::bus::kafka {

struct SchemaRegistry::Handle
{
  CURL* curl = nullptr;
  ~Handle()
  {
    if (curl) {
      kafka::curl().curl_easy_cleanup(curl);
    }
  }
};

struct SchemaRegistry::Answer
{
  long status = 0;
  std::string body;
  nlohmann::json document;
};

namespace {

constexpr std::size_t k_max_answer = 64 * 1024 * 1024; // a schema is far smaller

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user)
{
  auto* out = static_cast<std::string*>(user);
  if (out->size() + size * count > k_max_answer) {
    return 0; // curl reports a write error
  }
  out->append(data, size * count);
  return size * count;
}

// The registry's own explanation of a refusal, when the body has its {"error_code", "message"}.
std::string refusal(long status, const std::string& body)
{
  std::string text = "HTTP " + std::to_string(status);
  nlohmann::json document = nlohmann::json::parse(body, nullptr, false);
  if (document.is_object() && document.contains("message") && document["message"].is_string()) {
    text += ": " + document["message"].get<std::string>();
    if (document.contains("error_code") && document["error_code"].is_number_integer()) {
      text += " (error " + std::to_string(document["error_code"].get<long long>()) + ")";
    }
  }
  return text;
}

} // namespace

std::string redact_url(const std::string& url)
{
  const std::size_t scheme = url.find("://");
  const std::size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  const std::size_t end = url.find_first_of("/?#", start);
  const std::size_t at = url.rfind('@', end == std::string::npos ? url.size() : end);
  if (at == std::string::npos || at < start) {
    return url;
  }
  const std::size_t colon = url.find(':', start);
  if (colon == std::string::npos || colon > at) {
    return url;
  }
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

SchemaRegistry::SchemaRegistry(RegistrySettings settings)
  : m_settings(std::move(settings))
  , m_base(m_settings.url)
  , m_described(redact_url(m_settings.url))
  , m_handle(std::make_unique<Handle>())
{
  while (!m_base.empty() && m_base.back() == '/') {
    m_base.pop_back();
  }
}

SchemaRegistry::~SchemaRegistry() = default;

SchemaRegistry::Answer SchemaRegistry::call(const char* method, const std::string& path,
                                            const std::string* body)
{
  const CurlApi& api = curl();
  const std::string where = "schema registry " + m_described + ": " + method + " " + path;
  if (!m_handle->curl) {
    m_handle->curl = api.curl_easy_init();
    if (!m_handle->curl) {
      throw BusError(where + ": libcurl cannot make a handle");
    }
  }
  CURL* handle = m_handle->curl;
  const std::string url = m_base + path;
  std::string received;
  char error[CURL_ERROR_SIZE] = "";
  std::unique_ptr<curl_slist, decltype(api.curl_slist_free_all)> headers(
    nullptr, api.curl_slist_free_all);
  curl_slist* list = api.curl_slist_append(nullptr, "Accept: application/vnd.schemaregistry.v1+json, application/json");
  list = api.curl_slist_append(list, "Content-Type: application/vnd.schemaregistry.v1+json");
  headers.reset(list);
  api.curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  api.curl_easy_setopt(handle, CURLOPT_HTTPHEADER, list);
  api.curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error);
  api.curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &collect);
  api.curl_easy_setopt(handle, CURLOPT_WRITEDATA, &received);
  api.curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  api.curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                       static_cast<long>(m_settings.connect_timeout.count()));
  api.curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(m_settings.timeout.count()));
  api.curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  if (!m_settings.key.empty() || !m_settings.secret.empty()) {
    api.curl_easy_setopt(handle, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    api.curl_easy_setopt(handle, CURLOPT_USERNAME, m_settings.key.c_str());
    api.curl_easy_setopt(handle, CURLOPT_PASSWORD, m_settings.secret.c_str());
  }
  if (body) {
    api.curl_easy_setopt(handle, CURLOPT_POST, 1L);
    api.curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body->c_str());
    api.curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
  } else {
    api.curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
  }
  const CURLcode code = api.curl_easy_perform(handle);
  api.curl_easy_setopt(handle, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
  api.curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr));
  if (code != CURLE_OK) {
    throw BusError(where + ": " + (*error ? error : api.curl_easy_strerror(code)));
  }
  Answer answer;
  api.curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &answer.status);
  if (answer.status / 100 != 2) {
    if (answer.status == 404) {
      answer.body = std::move(received);
      return answer; // the caller knows what a missing thing means
    }
    throw BusError(where + ": " + refusal(answer.status, received));
  }
  answer.document = nlohmann::json::parse(received, nullptr, false);
  if (answer.document.is_discarded()) {
    throw BusError(where + ": the answer is not JSON");
  }
  return answer;
}

std::uint32_t SchemaRegistry::register_schema(const std::string& subject,
                                              const std::string& schema_text)
{
  auto key = std::make_pair(subject, schema_text);
  if (auto found = m_registered.find(key); found != m_registered.end()) {
    return found->second;
  }
  // The subject is one path segment: escape what is not unreserved.
  std::string escaped;
  for (const char ch : subject) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      escaped.push_back(static_cast<char>(c));
    } else {
      static const char* hex = "0123456789ABCDEF";
      escaped += {'%', hex[c >> 4], hex[c & 15]};
    }
  }
  const std::string path = "/subjects/" + escaped + "/versions";
  const std::string body = nlohmann::json{{"schema", schema_text}}.dump();
  Answer answer = call("POST", path, &body);
  if (answer.status == 404) {
    throw BusError("schema registry " + m_described + ": POST " + path + ": "
                   + refusal(answer.status, answer.body));
  }
  const nlohmann::json& id = answer.document.is_object() && answer.document.contains("id")
                               ? answer.document["id"]
                               : nlohmann::json();
  if (!id.is_number_unsigned() || id.get<std::uint64_t>() > 0xffffffffULL) {
    throw BusError("schema registry " + m_described + ": POST " + path
                   + ": the answer has no schema id: " + answer.document.dump());
  }
  const auto schema_id = static_cast<std::uint32_t>(id.get<std::uint64_t>());
  m_registered.emplace(std::move(key), schema_id);
  return schema_id;
}

std::shared_ptr<const std::string> SchemaRegistry::schema_by_id(std::uint32_t id)
{
  if (auto found = m_by_id.find(id); found != m_by_id.end()) {
    return found->second;
  }
  const std::string path = "/schemas/ids/" + std::to_string(id);
  Answer answer = call("GET", path, nullptr);
  std::shared_ptr<const std::string> text;
  if (answer.status != 404) {
    const nlohmann::json& schema = answer.document.is_object() && answer.document.contains("schema")
                                     ? answer.document["schema"]
                                     : nlohmann::json();
    if (!schema.is_string()) {
      throw BusError("schema registry " + m_described + ": GET " + path
                     + ": the answer has no schema: " + answer.document.dump());
    }
    text = std::make_shared<const std::string>(schema.get<std::string>());
  }
  m_by_id.emplace(id, text);
  return text;
}

} // namespace oex::bus::kafka
