#pragma once

namespace oex::cli {

// Every exit status oex uses; documented in `oex --help` and the README.
enum class ExitCode : int {
  ok = 0,       // success; every payload valid
  findings = 1, // findings: an invalid payload, lint or check-config errors
  usage = 2,    // usage or input error: bad flag, unknown event type, unreadable or broken file
};

inline constexpr const char* k_exit_codes_help =
  "Exit status:\n"
  "  0  success\n"
  "  1  findings (an invalid payload; lint or check-config errors; for send, a receiver\n"
  "     that failed)\n"
  "  2  usage or input error (bad flag, unknown event type, unreadable or malformed file,\n"
  "     broken event definitions)\n";

} // namespace oex::cli
