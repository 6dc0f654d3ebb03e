// oex: the command line over liboex. Parses arguments, runs one command, and is the one place
// where errors become messages and exit codes.

#include <cstdio>
#include <sstream>
#include <system_error>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "commands.hpp"
#include "context.hpp"
#include "oex/util/error.hpp"
#include "oex/util/text.hpp"
#include "standard_streams.hpp"
#include "version.hpp"

namespace {

using oex::cli::ExitCode;

// Says why on stderr; never throws, even when stderr cannot be written.
int fail(const std::string& message, ExitCode code = ExitCode::usage)
{
  std::fputs(("oex: error: " + message + "\n").c_str(), stderr);
  return static_cast<int>(code);
}

// "unknown command 'lsit', did you mean 'list'?" before CLI11 sees it, as ninja does for tools.
std::optional<std::string> unknown_command(int argc, char** argv)
{
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--defs") {
      ++i; // its value
      continue;
    }
    if (arg.starts_with("-")) {
      continue;
    }
    std::vector<std::string_view> names;
    for (const auto& command : oex::cli::commands()) {
      if (command.name == arg) {
        return std::nullopt;
      }
      names.push_back(command.name);
    }
    std::string message = "unknown command '" + std::string(arg) + "'";
    if (auto near = oex::closest_match(arg, names)) {
      message += ", did you mean '" + *near + "'?";
    }
    return message + "\nRun 'oex --help' for the list of commands.";
  }
  return std::nullopt;
}

// Help and version text, written as every other output is, so that a failed write is an error.
int print_and_exit(const CLI::App& app, const CLI::Error& e)
{
  std::ostringstream out;
  std::ostringstream err;
  const int code = app.exit(e, out, err);
  std::fputs(err.str().c_str(), stderr);
  std::fputs(out.str().c_str(), stdout);
  if (const int error = oex::cli::flush_stdout()) {
    return oex::cli::stdout_failed(error);
  }
  return code;
}

} // namespace

int main(int argc, char** argv)
{
  oex::cli::guard_standard_streams();
  oex::cli::Context context;
  CLI::App app{"oex: Open edX events from the command line: the openedx-events " OEX_CATALOG_VERSION
               " catalog, metadata and Avro schemas, with no Django.",
               "oex"};
  app.set_version_flag("--version",
                       "oex " OEX_VERSION " (catalog: openedx-events " OEX_CATALOG_VERSION ")");
  app
    .add_option("--defs", context.defs_dirs,
                "Add the event definitions (*.json) in DIR; repeatable")
    ->type_name("DIR")
    ->allow_extra_args(false);
  app.require_subcommand(1);
  app.fallthrough();
  for (const auto& command : oex::cli::commands()) {
    CLI::App* sub = app.add_subcommand(std::string(command.name), std::string(command.summary));
    sub->footer(std::string(command.help) + "\n\n" + oex::cli::k_exit_codes_help);
    command.add(*sub, context);
  }
  app.footer(
    std::string("\nEnvironment:\n"
                "  OEX_DEFS_PATH        colon-separated directories of extra event "
                "definitions (*.json)\n"
                "  EVENTS_SERVICE_NAME  service name in metadata 'source' (first choice)\n"
                "  SERVICE_VARIANT      service name in metadata 'source' (second choice)\n"
                "  OEX_PLUGIN_PATH      colon-separated folders of receiver plugins (*.so)\n"
                "  NO_COLOR             turn off colour\n\n")
    + oex::cli::k_exit_codes_help);

  if (auto message = unknown_command(argc, argv)) {
    return fail(*message);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return print_and_exit(app, e);
  } catch (const CLI::CallForAllHelp& e) {
    return print_and_exit(app, e);
  } catch (const CLI::CallForVersion& e) {
    return print_and_exit(app, e);
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    if (argc == 1) {
      message = "no command given";
    }
    return fail(message + "\nRun 'oex --help' for more information.");
  } catch (const oex::UnknownEventType& e) {
    std::string message = e.what();
    if (e.suggestion()) {
      message += "\ndid you mean '" + *e.suggestion() + "'?";
    }
    return fail(message);
  } catch (const oex::Error& e) {
    return fail(e.what());
  } catch (const std::system_error& e) {
    // fmt::print throws this when a write fails, with the write's errno.
    if (std::ferror(stdout)) {
      return oex::cli::stdout_failed(e.code().value());
    }
    if (std::ferror(stderr)) {
      return static_cast<int>(ExitCode::usage); // no way left to say why
    }
    return fail(std::string("unexpected failure: ") + e.what());
  } catch (const std::exception& e) {
    return fail(std::string("unexpected failure: ") + e.what());
  }
  if (const int error = oex::cli::flush_stdout()) {
    return oex::cli::stdout_failed(error);
  }
  return static_cast<int>(context.exit_code);
}
