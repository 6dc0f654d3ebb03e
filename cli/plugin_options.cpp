#include "plugin_options.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "context.hpp"
#include "number_options.hpp"
#include "oex/util/error.hpp"

namespace oex::cli {

void PluginOptions::add_plugin_option(CLI::App& sub)
{
  sub.add_option("--plugin", plugins, "Load receivers from this shared object; repeatable")
    ->type_name("PATH")
    ->allow_extra_args(false);
}

void PluginOptions::add_to(CLI::App& sub)
{
  add_plugin_option(sub);
  sub.add_flag("--no-isolate", no_isolate,
               "Call plugin receivers in-process: faster, but a crash takes oex down and a hang "
               "hangs it (no --timeout)");
  number_range(sub
                 .add_option("--timeout", timeout_seconds,
                             "Seconds an isolated plugin receiver or an exec receiver may take "
                             "before it is stopped and reported (default 30; not with "
                             "--no-isolate)")
                 ->type_name("S"),
               real_range(0.001, 86400.0));
  number_range(sub
                 .add_option("--max-response", max_response,
                             "Bytes kept of each receiver's response and of its output; the rest "
                             "is read and dropped, and the report says it was cut (default "
                             "1048576)")
                 ->type_name("BYTES"),
               integer_range(1, std::uint64_t{1} << 40));
}

ReceiverOptions PluginOptions::receiver_options() const
{
  ReceiverOptions options;
  options.isolation = no_isolate ? Isolation::off : Isolation::on;
  if (timeout_seconds && no_isolate) {
    throw Error("--timeout cannot be used with --no-isolate: a receiver called in-process "
                "cannot be stopped (leave out --no-isolate to have a timeout)");
  }
  options.timeout = std::chrono::milliseconds(
    static_cast<long>(std::llround(timeout_seconds.value_or(k_default_timeout_seconds) * 1000)));
  if (max_response) {
    options.max_response_bytes = static_cast<std::size_t>(*max_response);
  }
  return options;
}

void load_plugins(const PluginOptions& options, const ReceiverOptions& receiver_options,
                  PluginSet& set, bool warn)
{
  for (const std::string& path : options.plugins) {
    if (!set.load(path, receiver_options)) {
      throw Error("cannot load plugin '" + path + "': " + set.failures().back().reason);
    }
  }
  if (const char* env = std::getenv("OEX_PLUGIN_PATH")) {
    for (const std::string& dir : split_path_list(env)) {
      for (const std::string& path : find_plugins(dir)) {
        if (!set.load(path, receiver_options) && warn) {
          fmt::print(stderr, "oex: warning: skipped plugin '{}': {}\n", path,
                     set.failures().back().reason);
        }
      }
    }
  }
}

} // namespace oex::cli
