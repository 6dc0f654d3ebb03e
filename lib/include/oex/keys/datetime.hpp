#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "oex/util/result.hpp"

namespace oex {

// A Python datetime: calendar fields plus an optional UTC offset (aware when present).
struct DateTime
{
  int year = 1;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int microsecond = 0;
  std::optional<std::int64_t> utc_offset_us; // nullopt: naive

  // True for an aware time whose offset is zero (what upstream's timezone.utc check accepts).
  bool is_utc() const { return utc_offset_us && *utc_offset_us == 0; }
};

// Parses text as CPython 3.11's datetime.fromisoformat() does, accepting and refusing the same
// strings. Fails with "invalid isoformat string 'TEXT'".
Result<DateTime> parse_isoformat(std::string_view text);

// Whether parse_isoformat takes text, without the error message: the usual spelling
// "YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00" is checked directly, anything else by parse_isoformat.
bool is_isoformat(std::string_view text);

// True when text is a UTC time that parse_isoformat takes and isoformat() writes back unchanged,
// seen without parsing it: "YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00" with the fields in range and no
// ".000000". False means "not known": parse it.
bool is_canonical_utc_isoformat(std::string_view text);

// Python's datetime.isoformat(): "2026-11-25T10:00:00.123456+00:00", no fraction when the
// microseconds are 0, no offset for a naive time.
std::string isoformat(const DateTime& time);
// The same, appended to out (ASCII only: never needs escaping in JSON).
void append_isoformat(std::string& out, const DateTime& time);

// The current time, aware, in UTC, with microseconds.
DateTime utc_now();
// The given time so, to the microsecond below it.
DateTime utc_at(std::chrono::system_clock::time_point when);

} // namespace oex
