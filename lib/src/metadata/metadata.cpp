#include "oex/metadata/metadata.hpp"

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>

#include <unistd.h>

#include "oex/catalog/catalog.hpp"
#include "oex/util/error.hpp"
#include "oex/util/python_json.hpp"
#include "oex/keys/uuid.hpp"

namespace oex {

using json = nlohmann::ordered_json;

json EventsMetadata::to_json_data() const
{
  // attrs.asdict order: the order the attributes are declared in EventsMetadata.
  json data = json::object();
  data["event_type"] = event_type;
  data["id"] = id;
  data["minorversion"] = minorversion;
  data["source"] = source;
  data["sourcehost"] = sourcehost;
  data["time"] = isoformat(time);
  data["sourcelib"] = sourcelib;
  return data;
}

std::string EventsMetadata::to_json() const
{
  std::string out;
  append_json(out);
  return out;
}

namespace {

// Whether python_json_dumps writes text as it is between quotes: printable ASCII but '"' and '\\'.
bool plain_json_text(std::string_view text)
{
  // Eight bytes at a time while there are eight: none with the high bit, none below 0x20, none
  // 0x7f, '"' or '\\' (each test is exact once no byte has the high bit).
  constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
  constexpr std::uint64_t k_highs = 0x8080808080808080ULL;
  const auto zero_byte = [](std::uint64_t x) { return (x - k_ones) & ~x & k_highs; };
  while (text.size() >= 8) {
    std::uint64_t x = 0;
    std::memcpy(&x, text.data(), 8);
    if ((x & k_highs) != 0) {
      return false;
    }
    const std::uint64_t special = ((x - k_ones * 0x20) & ~x & k_highs) | ((x + k_ones) & k_highs)
                                  | zero_byte(x ^ (k_ones * '"')) | zero_byte(x ^ (k_ones * '\\'));
    if (special != 0) {
      return false;
    }
    text.remove_prefix(8);
  }
  bool plain = true;
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    plain &= b >= 0x20 && b < 0x7f && b != '"' && b != '\\';
  }
  return plain;
}

} // namespace

void EventsMetadata::append_json(std::string& out) const
{
  // Made for every event sent: when no string needs escaping (the usual case), the whole text
  // is written in place in one go; otherwise piece by piece below, which gives the same text.
  if (plain_json_text(event_type) && plain_json_text(id) && plain_json_text(source)
      && plain_json_text(sourcehost)) {
    char number[24];
    const auto minor = std::to_chars(number, number + sizeof number, minorversion);
    const std::size_t start = out.size();
    out.resize(start + 200 + event_type.size() + id.size() + source.size() + sourcehost.size()
               + 24 * sourcelib.size());
    char* to = out.data() + start;
    const auto put = [&](std::string_view text) {
      std::memcpy(to, text.data(), text.size());
      to += text.size();
    };
    put("{\"event_type\": \"");
    put(event_type);
    put("\", \"id\": \"");
    put(id);
    put("\", \"minorversion\": ");
    put(std::string_view(number, static_cast<std::size_t>(minor.ptr - number)));
    put(", \"source\": \"");
    put(source);
    put("\", \"sourcehost\": \"");
    put(sourcehost);
    put("\", \"time\": \"");
    out.resize(static_cast<std::size_t>(to - out.data()));
    append_isoformat(out, time); // digits and "-T:.+": nothing to escape
    out += "\", \"sourcelib\": [";
    for (std::size_t i = 0; i < sourcelib.size(); ++i) {
      if (i > 0) {
        out += ", ";
      }
      const auto made = std::to_chars(number, number + sizeof number, sourcelib[i]);
      out.append(number, made.ptr);
    }
    out += "]}";
    return;
  }
  // to_json_data()'s keys in its order, as python_json_dumps writes them
  const auto key = [&](const char* name) {
    out += name;
    out += ": ";
  };
  out += '{';
  key("\"event_type\"");
  append_python_json_string(out, event_type, EnsureAscii::yes);
  key(", \"id\"");
  append_python_json_string(out, id, EnsureAscii::yes);
  key(", \"minorversion\"");
  out += std::to_string(minorversion);
  key(", \"source\"");
  append_python_json_string(out, source, EnsureAscii::yes);
  key(", \"sourcehost\"");
  append_python_json_string(out, sourcehost, EnsureAscii::yes);
  key(", \"time\"");
  out += '"'; // isoformat's text is digits and "-T:.+": nothing to escape
  append_isoformat(out, time);
  out += '"';
  key(", \"sourcelib\"");
  out += '[';
  for (std::size_t i = 0; i < sourcelib.size(); ++i) {
    out += i ? ", " : "";
    out += std::to_string(sourcelib[i]);
  }
  out += "]}";
}

namespace {

using Failure = Result<EventsMetadata>;

std::optional<std::string> string_attribute(const json& data, const char* key, std::string& error)
{
  auto it = data.find(key);
  if (it == data.end()) {
    error = std::string("missing '") + key + "'";
    return std::nullopt;
  }
  if (!it->is_string()) {
    error = std::string("'") + key + "' must be a string";
    return std::nullopt;
  }
  return it->get<std::string>();
}

} // namespace

Result<EventsMetadata> EventsMetadata::from_json_data(const json& data)
{
  if (!data.is_object()) {
    return Failure::failure("metadata must be a JSON object");
  }
  EventsMetadata metadata;
  std::string error;
  auto event_type = string_attribute(data, "event_type", error);
  auto id = event_type ? string_attribute(data, "id", error) : std::nullopt;
  auto source = id ? string_attribute(data, "source", error) : std::nullopt;
  auto sourcehost = source ? string_attribute(data, "sourcehost", error) : std::nullopt;
  auto time = sourcehost ? string_attribute(data, "time", error) : std::nullopt;
  if (!time) {
    return Failure::failure(error);
  }
  metadata.event_type = *event_type;
  metadata.source = *source;
  metadata.sourcehost = *sourcehost;
  auto canonical_id = canonical_uuid(*id);
  if (!canonical_id) {
    return Failure::failure("'id' is not a UUID: '" + *id + "'");
  }
  metadata.id = *canonical_id;
  auto parsed_time = parse_isoformat(*time);
  if (!parsed_time) {
    return Failure::failure("'time': " + parsed_time.error());
  }
  if (!parsed_time->is_utc()) {
    return Failure::failure("'time' must have timezone.utc");
  }
  metadata.time = *parsed_time;
  if (auto it = data.find("minorversion"); it != data.end() && !it->is_null()) {
    if (!it->is_number_integer()) {
      return Failure::failure("'minorversion' must be an integer");
    }
    metadata.minorversion = it->get<std::int64_t>();
  }
  auto sourcelib = data.find("sourcelib");
  if (sourcelib == data.end()) {
    return Failure::failure("missing 'sourcelib'");
  }
  auto parts = sourcelib_from_json(*sourcelib);
  if (!parts) {
    return Failure::failure(parts.error());
  }
  metadata.sourcelib = *parts;
  return metadata;
}

Result<EventsMetadata> EventsMetadata::from_json(std::string_view text)
{
  json data = json::parse(text, nullptr, false);
  if (data.is_discarded()) {
    return Failure::failure("metadata is not valid JSON");
  }
  return from_json_data(data);
}

MetadataSettings MetadataSettings::from_environment()
{
  MetadataSettings settings;
  const auto read = [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    return value ? std::optional<std::string>(value) : std::nullopt;
  };
  settings.events_service_name = read("EVENTS_SERVICE_NAME");
  settings.service_variant = read("SERVICE_VARIANT");
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0) {
    settings.hostname = host;
  }
  return settings;
}

std::string MetadataSettings::source() const
{
  // Upstream: EVENTS_SERVICE_NAME or SERVICE_VARIANT or "SERVICE_NAME_UNSET" (Python's `or`,
  // so an empty value counts as unset).
  std::string service = "SERVICE_NAME_UNSET";
  if (events_service_name && !events_service_name->empty()) {
    service = *events_service_name;
  } else if (service_variant && !service_variant->empty()) {
    service = *service_variant;
  }
  return "openedx/" + service + "/web";
}

Result<std::vector<std::int64_t>> parse_sourcelib(std::string_view dotted)
{
  using Parts = Result<std::vector<std::int64_t>>;
  const std::string_view whole = dotted;
  std::vector<std::int64_t> parts;
  while (true) {
    const std::size_t dot = dotted.find('.');
    const std::string_view part = dotted.substr(0, dot);
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || part.find_first_not_of("0123456789") != std::string_view::npos
        || ec != std::errc() || end != part.data() + part.size()) {
      return Parts::failure(
        "expected non-negative 64-bit integers separated by dots, e.g. 11.2.0, got '"
        + std::string(whole) + "'");
    }
    parts.push_back(value);
    if (dot == std::string_view::npos) {
      return parts;
    }
    dotted.remove_prefix(dot + 1);
  }
}

Result<std::vector<std::int64_t>> sourcelib_from_json(const json& value)
{
  using Parts = Result<std::vector<std::int64_t>>;
  const auto failure = [] {
    return Parts::failure(
      "'sourcelib' must be a list of one or more non-negative 64-bit integers, e.g. [11, 2, 0]");
  };
  if (!value.is_array() || value.empty()) {
    return failure();
  }
  std::vector<std::int64_t> parts;
  for (const json& part : value) {
    // nlohmann reads 2^63 and above as unsigned; get<std::int64_t> would wrap them.
    if (!part.is_number_integer()
        || (part.is_number_unsigned()
            ? part.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
            : part.get<std::int64_t>() < 0)) {
      return failure();
    }
    parts.push_back(part.get<std::int64_t>());
  }
  return parts;
}

void renew_signal_metadata(EventsMetadata& metadata, const MetadataOverrides& overrides)
{
  if (overrides.id) {
    auto id = canonical_uuid(*overrides.id);
    if (!id) {
      throw Error("invalid UUID '" + *overrides.id + "'");
    }
    metadata.id = *id;
  } else {
    metadata.id = uuid1();
  }
  if (overrides.time && !overrides.time->is_utc()) {
    throw Error("'time' must have timezone.utc");
  }
  // Not value_or(utc_now()): that reads the clock for every consumed message, which has a time.
  metadata.time = overrides.time ? *overrides.time : utc_now();
}

EventsMetadata generate_signal_metadata(const EventType& event, const Catalog& catalog,
                                        const MetadataSettings& settings,
                                        const MetadataOverrides& overrides)
{
  EventsMetadata metadata;
  metadata.event_type = event.event_type;
  renew_signal_metadata(metadata, overrides);
  metadata.minorversion = overrides.minorversion.value_or(event.minor_version);
  metadata.source = overrides.source.value_or(settings.source());
  metadata.sourcehost = overrides.sourcehost.value_or(settings.hostname);
  if (overrides.sourcelib) {
    metadata.sourcelib = *overrides.sourcelib;
  } else if (auto version = parse_sourcelib(catalog.library_version())) {
    metadata.sourcelib = *version;
  } else {
    throw Error("the catalog's version: " + version.error());
  }
  return metadata;
}

} // namespace oex
