#include "plugin_options.hpp"

#include <cmath>
#include <cstdlib>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "context.hpp"
#include "number_options.hpp"
#include "oex/util/error.hpp"

namespace oex::cli {

void PluginOptions::add_to(CLI::App& sub)
{
  sub.add_option("--plugin", plugins, "Load receivers from this shared object; repeatable")
    ->type_name("PATH")
    ->allow_extra_args(false);
  sub.add_flag("--no-isolate", no_isolate,
               "Call plugin receivers in-process (faster; a crash then takes oex down)");
  number_range(sub
                 .add_option("--timeout", timeout_seconds,
                             "Seconds a receiver may take before it is stopped and reported")
                 ->type_name("S")
                 ->capture_default_str(),
               real_range(0.001, 86400.0));
}

ReceiverOptions PluginOptions::receiver_options() const
{
  ReceiverOptions options;
  options.isolation = no_isolate ? Isolation::off : Isolation::on;
  options.timeout =
    std::chrono::milliseconds(static_cast<long>(std::llround(timeout_seconds * 1000)));
  return options;
}

void load_plugins(const PluginOptions& options, PluginSet& set, bool warn)
{
  const ReceiverOptions receiver_options = options.receiver_options();
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
