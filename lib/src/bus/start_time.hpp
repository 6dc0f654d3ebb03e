#pragma once

#include <cstdint>
#include <string_view>

namespace oex::bus {

// Milliseconds since the epoch for an ISO time with a UTC offset (consume --from TIME, on either
// transport). Throws BusError: "--from: REASON (EXPECTED)" for text that is no ISO time, where
// expected says what else --from takes, or "--from 'TEXT': give the time's offset (Z, +00:00,
// ...)".
std::int64_t from_time_ms(std::string_view text,
                          std::string_view expected = "beginning, end or an ISO time");

} // namespace oex::bus
