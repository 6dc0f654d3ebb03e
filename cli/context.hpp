#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "exit_codes.hpp"
#include "oex/catalog.hpp"

namespace oex::cli {

// What every command shares: global options, the catalog (loaded on first use) and the result.
class Context
{
public:
  std::vector<std::string> defs_dirs; // --defs, in the order given
  ExitCode exit_code = ExitCode::ok;

  // The built-in catalog plus OEX_DEFS_PATH and --defs directories; throws oex::Error when a
  // definition file is broken.
  const Catalog& catalog();

  // True when stdout is a terminal and NO_COLOR is not set.
  bool color_stdout() const;

private:
  std::optional<Catalog> m_catalog;
};

// The directories named in a colon-separated path list, empty entries dropped.
std::vector<std::string> split_path_list(const std::string& list);

} // namespace oex::cli
