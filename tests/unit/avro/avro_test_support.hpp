#pragma once

// Helpers shared by the Avro unit tests: hex (liboex's), a small user catalog, the normal form of a payload.

#include <string>

#include <nlohmann/json.hpp>

#include "oex/avro/schema.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/keys/datetime.hpp"
#include "oex/keys/opaque_keys.hpp"
#include "oex/keys/uuid.hpp"
#include "oex/util/hex.hpp"

namespace oex::test {

inline std::string hex(std::string_view bytes)
{
  return oex::to_hex(bytes);
}

inline std::string unhex(std::string_view text)
{
  return oex::from_hex("hex", text);
}

inline oex::Catalog catalog_with(const std::string& text)
{
  std::vector<oex::DefsSource> sources = oex::Catalog::builtin_sources();
  sources.push_back({"user.json", text});
  return oex::Catalog::load(sources);
}

// What decode(encode(payload)) gives: absent fields filled in (data-class defaults, else null),
// datetimes as isoformat(), UUIDs and keys canonical; compared as unordered JSON.
inline nlohmann::json normalised(const avro::Node& type, const nlohmann::json& value)
{
  using avro::Kind;
  switch (type.kind) {
  case Kind::union_:
    return value.is_null() ? value : normalised(*type.branches[1], value);
  case Kind::string:
    if (type.form == avro::StringForm::datetime) {
      return isoformat(*parse_isoformat(value.get<std::string>()));
    }
    if (type.form == avro::StringForm::key) {
      return *canonical_key(type.key, value.get<std::string>());
    }
    if (type.form == avro::StringForm::uuid) {
      return *canonical_uuid(value.get<std::string>());
    }
    return value;
  case Kind::array: {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : value) {
      out.push_back(normalised(*type.items, item));
    }
    return out;
  }
  case Kind::map: {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, item] : value.items()) {
      out[key] = normalised(*type.items, item);
    }
    return out;
  }
  case Kind::record: {
    nlohmann::json out = nlohmann::json::object();
    for (const avro::Field& f : type.fields) {
      if (value.contains(f.name)) {
        out[f.name] = normalised(*f.type, value[f.name]);
      } else {
        out[f.name] = f.fill ? nlohmann::json::parse(f.fill->dump()) : nlohmann::json(nullptr);
      }
    }
    return out;
  }
  default:
    return value;
  }
}

} // namespace oex::test
