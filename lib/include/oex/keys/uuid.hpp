#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace oex {

// A new time-based UUID (version 1, as Python's uuid.uuid1()), lowercase and hyphenated.
std::string uuid1();
// The same, for the time now, read by the caller (send_event reads the clock once for the id
// and the event's time). Ids stay unique and their timestamps increasing whatever is given.
std::string uuid1(std::chrono::system_clock::time_point now);
// The same, appended to out (send_event writes each event's id into the buffer of the last).
void append_uuid1(std::string& out, std::chrono::system_clock::time_point now);

// The canonical form (lowercase, hyphenated, as str(UUID)) of a UUID written in any spelling
// CPython 3.11's uuid.UUID(str) accepts: "urn:" and "uuid:" anywhere, braces at the ends, hyphens
// anywhere, and for the 32 characters left what int(x, 16) reads (either case, whitespace, a '+',
// a 0x prefix, single underscores, Unicode decimal digits). nullopt when it refuses the text or
// the text is not UTF-8.
std::optional<std::string> canonical_uuid(std::string_view text);

// True when text is the usual spelling: 8-4-4-4-12 ASCII hex digits (either case) with hyphens,
// which uuid.UUID always takes. Allocates nothing: it is asked for every UUID of every payload.
bool is_hyphenated_uuid(std::string_view text);

} // namespace oex
