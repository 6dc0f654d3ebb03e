// What a definition document refers to, read from its JSON before it is loaded: which documents
// a partial load (Catalog::load_for) must take along.

#include "catalog/defs_references.hpp"

#include <cctype>

#include "oex/util/text.hpp"

namespace oex {

using json = nlohmann::ordered_json;

namespace {

// Adds to subdomains every subdomain a qualified name in text may belong to: "a.b.C" may be
// class "b.C" of subdomain "a" or class "C" of subdomain "a.b".
void add_qualifiers(std::string_view text, Subdomains& subdomains)
{
  const auto is_name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
  };
  for (std::size_t i = 0; i < text.size();) {
    if (!is_name_char(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_name_char(text[end])) {
      if (text[end] == '.') {
        subdomains.emplace(text.substr(i, end - i));
      }
      ++end;
    }
    i = end;
  }
}

} // namespace

void add_references(const json& root, const std::string& subdomain, Subdomains& subdomains)
{
  subdomains.insert(subdomain);
  const auto strings_of = [&](const json* value, auto&& each) {
    if (value && value->is_string()) {
      each(value->get_ref<const std::string&>());
    } else if (value && (value->is_array() || value->is_object())) {
      for (const json& item : *value) {
        if (item.is_string()) {
          each(item.get_ref<const std::string&>());
        }
      }
    }
  };
  const auto member = [](const json& object, const char* key) -> const json* {
    if (!object.is_object()) {
      return nullptr;
    }
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  };
  const auto add = [&](const std::string& text) {
    add_qualifiers(text, subdomains);
  };
  if (const json* classes = member(root, "data_classes"); classes && classes->is_array()) {
    for (const json& cls : *classes) {
      strings_of(member(cls, "bases"), add);
      if (const json* fields = member(cls, "fields"); fields && fields->is_array()) {
        for (const json& field : *fields) {
          strings_of(member(field, "type"), add);
        }
      }
    }
  }
  if (const json* events = member(root, "events"); events && events->is_array()) {
    for (const json& event : *events) {
      strings_of(member(event, "data"), add);
    }
  }
}

bool defines_event(const json& root, std::string_view wanted)
{
  if (!root.is_object()) {
    return false;
  }
  auto events = root.find("events");
  if (events == root.end() || !events->is_array()) {
    return false;
  }
  for (const json& event : *events) {
    if (!event.is_object()) {
      continue;
    }
    auto type = event.find("event_type");
    auto name = event.find("name");
    if ((type != event.end() && type->is_string() && *type == wanted)
        || (name != event.end() && name->is_string()
            && iequals(name->get_ref<const std::string&>(), wanted))) {
      return true;
    }
  }
  return false;
}

} // namespace oex
