#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace oex {

// A new time-based UUID (version 1, as Python's uuid.uuid1()), lowercase and hyphenated.
std::string uuid1();

// The canonical form (lowercase, hyphenated) of a UUID written in any spelling Python's
// uuid.UUID(str) accepts: hyphens anywhere, braces, a "urn:uuid:" prefix, either case; nullopt
// when it accepts none.
std::optional<std::string> canonical_uuid(std::string_view text);

} // namespace oex
