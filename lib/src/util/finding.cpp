#include "oex/util/finding.hpp"

namespace oex {

std::string_view severity_name(Severity severity)
{
  switch (severity) {
  case Severity::error:
    return "error";
  case Severity::warning:
    return "warning";
  case Severity::note:
    return "note";
  }
  return "error";
}

} // namespace oex
