#include "catalog/defs_checks.hpp"

#include <algorithm>

#include "util/json_reader.hpp"

namespace oex {

using json = nlohmann::ordered_json;

void DefsChecks::problem(const DefsDocument& document, const std::string& path,
                         const std::string& message, const char* rule, bool at_key)
{
  m_problems.add(*document.source, path, message, rule, at_key);
}

void DefsChecks::fail(const DefsDocument& document, const std::string& path,
                      const std::string& message, const char* rule)
{
  problem(document, path, message, rule);
  throw Skip{};
}

const json& DefsChecks::require(const DefsDocument& document, const json& object,
                                const std::string& path, const char* key, json::value_t type)
{
  auto it = object.find(key);
  if (it == object.end()) {
    fail(document, path, std::string("missing required attribute '") + key + "'");
  }
  expect_type(document, path, key, *it, type);
  return *it;
}

void DefsChecks::expect_type(const DefsDocument& document, const std::string& path,
                             std::string_view key, const json& value, json::value_t type)
{
  const bool ok =
    type == json::value_t::number_integer ? value.is_number_integer() : value.type() == type;
  if (!ok) {
    fail(document,
         key.empty()    ? path
         : path.empty() ? std::string(key)
                        : path + "." + std::string(key),
         "expected " + std::string(json_type_name(json(type))) + ", got "
           + std::string(json_type_name(value)));
  }
}

void DefsChecks::expect_type(const DefsDocument& document, const std::string& path,
                             const json& value, json::value_t type)
{
  expect_type(document, path, {}, value, type);
}

const std::string& DefsChecks::require_string(const DefsDocument& document, const json& object,
                                              const std::string& path, const char* key)
{
  const json& value = require(document, object, path, key, json::value_t::string);
  if (value.get_ref<const std::string&>().empty()) {
    fail(document, path + "." + key, "must not be empty");
  }
  return value.get_ref<const std::string&>();
}

std::optional<std::string> DefsChecks::optional_string(const DefsDocument& document,
                                                       const json& object, const std::string& path,
                                                       const char* key)
{
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    return std::nullopt;
  }
  expect_type(document, path, key, *it, json::value_t::string);
  return it->get<std::string>();
}

void DefsChecks::check_keys(const DefsDocument& document, const json& object,
                            const std::string& path,
                            std::initializer_list<std::string_view> allowed)
{
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      problem(document, path.empty() ? key : path + "." + key, "unknown attribute '" + key + "'",
              "defs", true);
    }
  }
}

} // namespace oex
