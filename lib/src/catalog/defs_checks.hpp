#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "catalog/defs_problems.hpp"
#include "oex/catalog/catalog.hpp"

namespace oex {

// A definition document being loaded: its source, parsed root and subdomain, and its lists
// when they have the right type.
struct DefsDocument
{
  const DefsSource* source;
  nlohmann::ordered_json root;
  std::string subdomain;
  const nlohmann::ordered_json* classes = nullptr; // "data_classes", when it is an array
  const nlohmann::ordered_json* events = nullptr;  // "events", when it is an array
};

// Thrown once a problem is recorded: the item being read is left out.
struct Skip
{
};

// The checks of a definition document's form, each recording its problem as a finding (in
// m_problems) and either going on or throwing Skip to leave out what is being read.
class DefsChecks
{
protected:
  using json = nlohmann::ordered_json;

  // Records a problem; the caller goes on.
  void problem(const DefsDocument& document, const std::string& path, const std::string& message,
               const char* rule = "defs", bool at_key = false);
  // Records a problem and leaves out what is being read.
  [[noreturn]] void fail(const DefsDocument& document, const std::string& path,
                         const std::string& message, const char* rule = "defs");
  // object[key], which must exist and have the type.
  const json& require(const DefsDocument& document, const json& object, const std::string& path,
                      const char* key, json::value_t type);
  // Fails unless value has the type; the place is path, or path.key when key is not empty
  // (built only on failure: loading runs at every start of oex).
  void expect_type(const DefsDocument& document, const std::string& path, std::string_view key,
                   const json& value, json::value_t type);
  void expect_type(const DefsDocument& document, const std::string& path, const json& value,
                   json::value_t type);
  // object[key]: a string that must exist and not be empty.
  const std::string& require_string(const DefsDocument& document, const json& object,
                                    const std::string& path, const char* key);
  // object[key] when present and not null: a string.
  std::optional<std::string> optional_string(const DefsDocument& document, const json& object,
                                             const std::string& path, const char* key);
  // Records each attribute that is not allowed; the caller goes on.
  void check_keys(const DefsDocument& document, const json& object, const std::string& path,
                  std::initializer_list<std::string_view> allowed);

  DefsProblems m_problems;
};

} // namespace oex
