#include "start_time.hpp"

#include <string>

#include "oex/bus/transport.hpp"
#include "oex/keys/datetime.hpp"

namespace oex::bus {
namespace {

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d)
{
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

} // namespace

std::int64_t from_time_ms(std::string_view text, std::string_view expected)
{
  Result<DateTime> parsed = parse_isoformat(text);
  if (!parsed) {
    throw BusError("--from: " + parsed.error() + " (" + std::string(expected) + ")");
  }
  const DateTime& t = *parsed;
  if (!t.utc_offset_us) {
    throw BusError("--from '" + std::string(text) + "': give the time's offset (Z, +00:00, ...)");
  }
  const std::int64_t days = days_from_civil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day));
  const std::int64_t us = ((days * 24 + t.hour) * 60 + t.minute) * 60'000'000LL + t.second * 1'000'000LL
                          + t.microsecond - *t.utc_offset_us;
  return us / 1000;
}

} // namespace oex::bus
