#pragma once

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

namespace oex {

struct EventType;

// A sample draws list items and optional fields until it holds this many JSON values, then
// makes only what is required; one whose required values alone exceed k_sample_max_values is
// refused (oex::Error).
inline constexpr std::size_t k_sample_values = 10'000;
inline constexpr std::size_t k_sample_max_values = 100'000;

struct SampleOptions
{
  std::uint64_t seed = 0;
  bool minimal = false; // leave out every field that may be absent
};

// A valid payload for the event (the data keys, each its data class as JSON in upstream's
// to_dict() form) with realistic values: keys that parse, UTC times, emails that look like
// emails. The same seed gives the same payload on every machine. Recursion through optional
// fields, lists and dicts is cut (left out, or empty).
nlohmann::ordered_json sample_payload(const EventType& event, const SampleOptions& options);

// A version-1-shaped UUID and a UTC time (isoformat) drawn from seed, for reproducible sample
// metadata.
std::string sample_uuid1(std::uint64_t seed);
std::string sample_time(std::uint64_t seed);

// Sets the value at PATH ("enrollment.mode", "user.pii.email", "tags[0]") in payload, parsing
// text by the field's type: strings as they are, numbers and booleans by JSON rules, datetimes,
// UUIDs and keys checked, data classes, lists and dicts as JSON, "null" for optional fields.
// Throws oex::Error for an unknown path (with a did-you-mean) or a value of the wrong type
// (naming the expected type).
void set_payload_value(nlohmann::ordered_json& payload, const EventType& event,
                       std::string_view path, std::string_view text);

} // namespace oex
