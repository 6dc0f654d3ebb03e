#include "util/json_reader.hpp"

#include <rapidjson/document.h>

#include "oex/util/error.hpp"
#include "oex/util/text.hpp"

namespace oex {

namespace {

using RapidDocument = rapidjson::Document;

nlohmann::ordered_json convert(const rapidjson::Value& value, bool& duplicates)
{
  switch (value.GetType()) {
  case rapidjson::kNullType:
    return nullptr;
  case rapidjson::kFalseType:
    return false;
  case rapidjson::kTrueType:
    return true;
  case rapidjson::kStringType:
    return std::string(value.GetString(), value.GetStringLength());
  case rapidjson::kArrayType: {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    out.get_ref<nlohmann::ordered_json::array_t&>().reserve(value.Size());
    for (const auto& item : value.GetArray()) {
      out.push_back(convert(item, duplicates));
    }
    return out;
  }
  case rapidjson::kObjectType: {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    out.get_ref<nlohmann::ordered_json::object_t&>().reserve(value.MemberCount());
    for (const auto& member : value.GetObject()) {
      // Duplicate keys: the last one wins, as when nlohmann parses. ordered_json looks the key
      // up anyway, so noticing one costs nothing.
      const std::size_t before = out.size();
      out[std::string(member.name.GetString(), member.name.GetStringLength())] =
        convert(member.value, duplicates);
      duplicates = duplicates || out.size() == before;
    }
    return out;
  }
  case rapidjson::kNumberType:
    break;
  }
  if (value.IsInt64()) {
    return value.GetInt64();
  }
  if (value.IsUint64()) {
    return value.GetUint64();
  }
  return value.GetDouble();
}

} // namespace

JsonSyntaxError::JsonSyntaxError(std::string_view name, std::size_t line, std::size_t column,
                                 std::string detail)
  : Error(std::string(name) + ":" + std::to_string(line) + ":" + std::to_string(column)
          + ": invalid JSON: " + detail)
  , m_line(line)
  , m_column(column)
  , m_message("invalid JSON: " + detail)
{
}

nlohmann::ordered_json parse_json_document(std::string_view name, std::string_view text,
                                           bool* duplicate_keys)
{
  // RapidJSON reads well-formed documents several times faster than nlohmann, and every oex
  // start reads the whole built-in catalog; nlohmann parses again only to word an error.
  RapidDocument fast;
  fast.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(text.data(),
                                                                                     text.size());
  if (!fast.HasParseError()) {
    bool duplicates = false;
    nlohmann::ordered_json out = convert(fast, duplicates);
    if (duplicate_keys) {
      *duplicate_keys = duplicates;
    }
    return out;
  }
  try {
    return nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::ordered_json::parse_error& e) {
    // nlohmann's message reads "[json.exception.parse_error.101] parse error at line L, column C:
    // syntax error while parsing value - DETAIL"; keep DETAIL and compute the place ourselves.
    std::string detail = e.what();
    if (auto dash = detail.find(" - "); dash != std::string::npos) {
      detail = detail.substr(dash + 3);
    } else if (auto colon = detail.rfind(": "); colon != std::string::npos) {
      detail = detail.substr(colon + 2);
    }
    const TextPosition at = position_of(text, e.byte == 0 ? 0 : e.byte - 1);
    throw JsonSyntaxError(name, at.line, at.column, detail);
  } catch (const nlohmann::ordered_json::out_of_range&) {
    // A number beyond a double ("1e999"): nlohmann says so without a place; RapidJSON has one.
    const TextPosition at = position_of(text, fast.GetErrorOffset());
    throw JsonSyntaxError(name, at.line, at.column, "number out of range");
  }
}

std::string_view json_type_name(const nlohmann::ordered_json& value)
{
  switch (value.type()) {
  case nlohmann::ordered_json::value_t::object:
    return "object";
  case nlohmann::ordered_json::value_t::array:
    return "array";
  case nlohmann::ordered_json::value_t::string:
    return "string";
  case nlohmann::ordered_json::value_t::number_integer:
  case nlohmann::ordered_json::value_t::number_unsigned:
    return "integer";
  case nlohmann::ordered_json::value_t::number_float:
    return "number";
  case nlohmann::ordered_json::value_t::boolean:
    return "boolean";
  case nlohmann::ordered_json::value_t::null:
    return "null";
  default:
    return "value";
  }
}

} // namespace oex
