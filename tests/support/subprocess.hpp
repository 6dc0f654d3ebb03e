#pragma once

#include <map>
#include <string>
#include <vector>

namespace oex::test {

struct RunResult
{
  int exit_code = -1; // the exit status, or 128 + signal
  std::string out;
  std::string err;
};

struct RunOptions
{
  std::string input;                          // written to standard input
  std::map<std::string, std::string> set_env; // added to (or replacing in) the environment
  std::vector<std::string> unset_env;         // removed from the environment
  std::string cwd;                            // working directory; empty: inherit
};

// Runs program with args, feeding input and collecting stdout and stderr.
RunResult run(const std::string& program, const std::vector<std::string>& args,
              const RunOptions& options = {});

// Runs the oex binary under test (OEX_BINARY) with NO_COLOR set and OEX_DEFS_PATH unset.
RunResult run_oex(const std::vector<std::string>& args, RunOptions options = {});

// Runs script with /bin/sh -c, the oex binary as $0 and args as "$@", in the environment of
// run_oex (and OEX_PLUGIN_PATH unset): for redirections, pipes and ulimits around oex, as in
// `exec "$0" "$@" >/dev/full`.
RunResult run_oex_in_shell(const std::string& script, const std::vector<std::string>& args);

// text with its line breaks made spaces: a pretty-printed JSON fixture as one JSON Lines line.
std::string one_line(std::string text);

// A fresh empty directory under the system temp dir, removed when the object goes away.
class TempDir
{
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return m_path; }
  // Writes text to path()/name and returns the full path.
  std::string write(const std::string& name, const std::string& text) const;

private:
  std::string m_path;
};

std::string read_file(const std::string& path);

} // namespace oex::test
