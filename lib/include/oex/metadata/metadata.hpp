#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "oex/keys/datetime.hpp"
#include "oex/util/result.hpp"

namespace oex {

class Catalog;
struct EventType;

// OEP-41 event metadata, as openedx-events' EventsMetadata.
struct EventsMetadata
{
  std::string event_type;
  std::string id; // a UUID, canonical form
  std::int64_t minorversion = 0;
  std::string source;
  std::string sourcehost;
  DateTime time; // aware, UTC
  std::vector<std::int64_t> sourcelib;

  // The JSON object upstream's to_json_data() makes, keys in upstream's order.
  nlohmann::ordered_json to_json_data() const;
  // Upstream's to_json(): json.dumps of to_json_data().
  std::string to_json() const;
  // Appends to_json() to out (made directly, without a json value: consume writes one a message).
  void append_json(std::string& out) const;

  // Reads metadata from JSON, keeping minorversion (upstream's from_json drops it); fails with
  // a message naming the first bad attribute.
  static Result<EventsMetadata> from_json_data(const nlohmann::ordered_json& data);
  static Result<EventsMetadata> from_json(std::string_view text);
};

// What upstream reads from Django settings and the host to fill in source and sourcehost.
struct MetadataSettings
{
  std::optional<std::string> events_service_name; // EVENTS_SERVICE_NAME
  std::optional<std::string> service_variant;     // SERVICE_VARIANT
  std::string hostname;

  // From the environment variables of the same names and gethostname().
  static MetadataSettings from_environment();
  // "openedx/<EVENTS_SERVICE_NAME, else SERVICE_VARIANT, else SERVICE_NAME_UNSET>/web".
  std::string source() const;
};

// Values to use instead of the generated ones.
struct MetadataOverrides
{
  std::optional<DateTime> time;
  std::optional<std::string> id;
  std::optional<std::string> source;
  std::optional<std::string> sourcehost;
  std::optional<std::vector<std::int64_t>> sourcelib;
  std::optional<std::int64_t> minorversion;
};

// OpenEdxPublicSignal.generate_signal_metadata(): a fresh uuid1 id, the current UTC time and
// sourcelib from the catalog's version, unless overridden. Throws oex::Error with upstream's
// "'time' must have timezone.utc" for a time that is not UTC, or "invalid UUID 'X'".
EventsMetadata generate_signal_metadata(const EventType& event, const Catalog& catalog,
                                        const MetadataSettings& settings,
                                        const MetadataOverrides& overrides = {});

// The metadata of the next event of a bulk send, from the last one's: a fresh id and time as
// generate_signal_metadata makes them (same overrides), everything else kept; the same result
// as generating it again, for a fraction of the cost. Throws as generate_signal_metadata.
void renew_signal_metadata(EventsMetadata& metadata, const MetadataOverrides& overrides = {});

// sourcelib, the openedx-events version as a tuple of integers: upstream makes it with
// tuple(map(int, version.split("."))) and the event bus carries it as the dotted string, so
// oex takes one or more non-negative 64-bit integers, written "11.2.0" (--sourcelib, the
// catalog's version) or as the JSON array [11, 2, 0] (metadata files). Both spellings go
// through here and fail with a message that says what is expected.
Result<std::vector<std::int64_t>> parse_sourcelib(std::string_view dotted);
Result<std::vector<std::int64_t>> sourcelib_from_json(const nlohmann::ordered_json& value);

} // namespace oex
