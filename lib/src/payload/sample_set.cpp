// set_payload_value: one --set PATH=VALUE, parsed by the type the event's schema gives PATH.

#include <charconv>
#include <cstdlib>

#include "oex/catalog/catalog.hpp"
#include "oex/keys/datetime.hpp"
#include "oex/util/error.hpp"
#include "oex/keys/opaque_keys.hpp"
#include "oex/payload/sample.hpp"
#include "oex/util/text.hpp"
#include "oex/keys/uuid.hpp"

namespace oex {

using json = nlohmann::ordered_json;

namespace {

struct Segment
{
  std::string key;
  std::optional<std::size_t> index;
};

std::vector<Segment> split_path(std::string_view path)
{
  std::vector<Segment> segments;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '[') {
      const std::size_t close = path.find(']', i);
      std::size_t index = 0;
      const std::string_view digits = path.substr(i + 1, close - i - 1);
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
      if (close == std::string_view::npos || digits.empty() || ec != std::errc()
          || end != digits.data() + digits.size()) {
        throw Error("invalid path '" + std::string(path) + "': expected [N] with a number N");
      }
      segments.push_back({"", index});
      i = close + 1;
      if (i < path.size() && path[i] == '.') {
        ++i;
      }
      continue;
    }
    const std::size_t stop = path.find_first_of(".[", i);
    const std::string_view key = path.substr(i, stop - i);
    if (key.empty()) {
      throw Error("invalid path '" + std::string(path) + "'");
    }
    segments.push_back({std::string(key), std::nullopt});
    i = stop == std::string_view::npos ? path.size() : (path[stop] == '.' ? stop + 1 : stop);
  }
  if (segments.empty()) {
    throw Error("empty path");
  }
  return segments;
}

[[noreturn]] void unknown(std::string_view what, const std::string& key,
                          const std::vector<std::string_view>& names, std::string_view owner)
{
  std::string message = "unknown " + std::string(what) + " '" + key + "'";
  if (!owner.empty()) {
    message += " in " + std::string(owner);
  }
  if (auto near = closest_match(key, names)) {
    message += ", did you mean '" + *near + "'?";
  }
  throw Error(message);
}

[[noreturn]] void wrong(std::string_view text, std::string_view expected)
{
  throw Error("'" + std::string(text) + "' is not " + std::string(expected));
}

json parse_value(const Type& type, bool nullable, std::string_view text)
{
  if (text == "null") {
    if (!nullable) {
      throw Error("null is only allowed for optional fields; expected " + type.spelling());
    }
    return nullptr;
  }
  switch (type.kind) {
  case TypeKind::str:
  case TypeKind::bytes:
  case TypeKind::binary_io:
    return std::string(text);
  case TypeKind::int_: {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
      wrong(text, "an integer (64-bit)");
    }
    return value;
  }
  case TypeKind::float_: {
    const json number = json::parse(text, nullptr, false);
    if (number.is_discarded() || !number.is_number()) {
      wrong(text, "a number");
    }
    return number;
  }
  case TypeKind::bool_:
    if (text == "true" || text == "false") {
      return text == "true";
    }
    wrong(text, "a boolean (true or false)");
  case TypeKind::datetime:
    if (!parse_isoformat(text)) {
      wrong(text, "a datetime (ISO 8601, e.g. 2026-01-05T10:00:00+00:00)");
    }
    return std::string(text);
  case TypeKind::uuid:
    if (!canonical_uuid(text)) {
      wrong(text, "a UUID");
    }
    return std::string(text);
  case TypeKind::opaque_key:
    if (!is_valid_key(type.key, text)) {
      wrong(text, "a valid " + std::string(key_kind_name(type.key)) + " (expected "
                    + std::string(key_form(type.key)) + ")");
    }
    return std::string(text);
  case TypeKind::list:
  case TypeKind::dict:
  case TypeKind::record: {
    const json value = json::parse(text, nullptr, false);
    const bool ok =
      !value.is_discarded() && (type.kind == TypeKind::list ? value.is_array() : value.is_object());
    if (!ok) {
      wrong(text, "JSON for " + type.spelling());
    }
    return value;
  }
  }
  return nullptr;
}

} // namespace

void set_payload_value(json& payload, const EventType& event, std::string_view path,
                       std::string_view text)
{
  const std::vector<Segment> segments = split_path(path);
  if (segments[0].index) {
    throw Error("invalid path '" + std::string(path) + "': it starts with a data key");
  }
  auto key = std::find_if(event.data.begin(), event.data.end(),
                          [&](const DataKey& k) { return k.name == segments[0].key; });
  if (key == event.data.end()) {
    std::vector<std::string_view> names;
    for (const DataKey& k : event.data) {
      names.push_back(k.name);
    }
    unknown("argument", segments[0].key, names, "");
  }
  Type type;
  type.kind = TypeKind::record;
  type.record = key->data_class;
  bool nullable = false;
  json* node = &payload[segments[0].key];
  for (std::size_t i = 1; i < segments.size(); ++i) {
    const Segment& segment = segments[i];
    if (type.kind == TypeKind::record) {
      const DataClass& cls = *type.record;
      auto field = std::find_if(cls.fields.begin(), cls.fields.end(),
                                [&](const Field& f) { return f.name == segment.key; });
      if (segment.index || field == cls.fields.end()) {
        std::vector<std::string_view> names;
        for (const Field& f : cls.fields) {
          names.push_back(f.name);
        }
        unknown("field", segment.index ? "[" + std::to_string(*segment.index) + "]" : segment.key,
                names, cls.name);
      }
      if (!node->is_object()) {
        *node = json::object();
      }
      node = &(*node)[segment.key];
      nullable = field->default_value.kind == DefaultKind::none;
      type = field->type;
    } else if (type.kind == TypeKind::list) {
      if (!segment.index) {
        throw Error("'" + std::string(path) + "': " + type.spelling() + " takes an index like [0]");
      }
      if (!node->is_array()) {
        *node = json::array();
      }
      if (*segment.index > node->size()) {
        throw Error("'" + std::string(path) + "': index " + std::to_string(*segment.index)
                    + " is past the end of the list (" + std::to_string(node->size()) + " items)");
      }
      if (*segment.index == node->size()) {
        node->push_back(nullptr);
      }
      node = &(*node)[*segment.index];
      nullable = false;
      const Type element = *type.element;
      type = element;
    } else if (type.kind == TypeKind::dict && !segment.index) {
      if (!node->is_object()) {
        *node = json::object();
      }
      node = &(*node)[segment.key];
      nullable = false;
      const Type element = *type.element;
      type = element;
    } else {
      throw Error("'" + std::string(path) + "': " + type.spelling() + " has no part '"
                  + (segment.index ? "[" + std::to_string(*segment.index) + "]" : segment.key)
                  + "'");
    }
  }
  *node = parse_value(type, nullable, text);
}

} // namespace oex
