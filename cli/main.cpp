// oex: the command line over liboex. Parses arguments, runs one command, and is the one place
// where errors become messages and exit codes.

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <span>
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

constexpr std::string_view k_global_options[] = {"--defs", "--help", "-h", "--version"};

// "unknown option '-x', did you mean '--xyz'?" for an option that none of candidates names.
std::string unknown_option(std::string_view arg, std::span<const std::string_view> candidates)
{
  const std::string_view name = arg.substr(0, arg.find('='));
  std::string message = "unknown option '" + std::string(name) + "'";
  // Long names only: one letter is too short for a guess ("-x, did you mean -h?").
  std::vector<std::string_view> long_names;
  std::copy_if(candidates.begin(), candidates.end(), std::back_inserter(long_names),
               [](std::string_view candidate) { return candidate.starts_with("--"); });
  if (auto near = name.starts_with("--") ? oex::closest_match(name, long_names) : std::nullopt) {
    message += ", did you mean '" + *near + "'?";
  }
  return message;
}

// What the words before the command say: the command's name, or the usage error that comes
// before CLI11 sees the line ("unknown command 'lsit', did you mean 'list'?", as ninja does for
// tools; an option that is not a global one, which CLI11 would report as a missing command).
struct CommandWord
{
  std::optional<std::string> command;
  std::optional<std::string> error;
};

CommandWord find_command(int argc, char** argv)
{
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--defs") {
      ++i; // its value
      continue;
    }
    if (arg.starts_with("--defs=")
        || std::find(std::begin(k_global_options), std::end(k_global_options), arg)
             != std::end(k_global_options)) {
      continue;
    }
    if (arg.starts_with("-") && arg != "-") {
      return {std::nullopt, unknown_option(arg, k_global_options)
                              + "\nRun 'oex --help' for more information."};
    }
    std::vector<std::string_view> names;
    for (const auto& command : oex::cli::commands()) {
      if (command.name == arg) {
        return {std::string(arg), std::nullopt};
      }
      if (!command.hidden) {
        names.push_back(command.name);
      }
    }
    std::string message = "unknown command '" + std::string(arg) + "'";
    if (auto near = oex::closest_match(arg, names)) {
      message += ", did you mean '" + *near + "'?";
    }
    return {std::nullopt, message + "\nRun 'oex --help' for the list of commands."};
  }
  return {};
}

// The words CLI11 could not place, from the top level and the command.
std::vector<std::string> unplaced_words(const CLI::App& app)
{
  std::vector<std::string> words = app.remaining(true);
  for (const CLI::App* sub : app.get_subcommands()) {
    for (const std::string& word : sub->remaining(true)) {
      words.push_back(word);
    }
  }
  return words;
}

// A CLI11 parse error in our words: unknown options and stray arguments said as such, and an
// unknown option before anything else (CLI11 would first say that TYPE is missing).
std::string usage_message(const CLI::ParseError& e, const CLI::App& app,
                          const std::optional<std::string>& command)
{
  const std::vector<std::string> words = unplaced_words(app);
  const auto first_option = std::find_if(words.begin(), words.end(), [](const std::string& word) {
    return word.starts_with("-") && word != "-";
  });
  if (first_option != words.end() || dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
    if (!words.empty()) {
      const std::string& word = first_option != words.end() ? *first_option : words.front();
      if (!word.starts_with("-") || word == "-") {
        return "unexpected argument '" + word + "'";
      }
      std::vector<std::string> names;
      const CLI::App* scope = command ? app.get_subcommand(*command) : &app;
      for (const CLI::Option* option : scope->get_options()) {
        for (const std::string& name : option->get_lnames()) {
          names.push_back("--" + name);
        }
      }
      std::vector<std::string_view> candidates(names.begin(), names.end());
      candidates.insert(candidates.end(), std::begin(k_global_options), std::end(k_global_options));
      return unknown_option(word, candidates);
    }
  }
  if (!command && dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
    return "no command given";
  }
  return e.what();
}

// Help and version text, written as every other output is, so that a failed write is an error.
int print_and_exit(const CLI::App& app, const CLI::Error& e)
{
  std::ostringstream out;
  std::ostringstream err;
  const int code = app.exit(e, out, err);
  std::fputs(err.str().c_str(), stderr);
  oex::cli::put_stdout(out.str()); // a failure is remembered for flush_stdout
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
                "Add event definitions: the *.json files of DIR, or FILE; repeatable")
    ->type_name("DIR|FILE")
    ->allow_extra_args(false);
  app.require_subcommand(1);
  app.fallthrough();
  const CommandWord word = find_command(argc, argv);
  if (word.error) {
    return fail(*word.error);
  }
  // Declaring every command's options costs start-up time, so only the command that runs
  // declares its own; all are declared for `oex --help` and for `oex completion`, which
  // describe them all.
  const bool declare_all = !word.command || *word.command == "completion";
  for (const auto& command : oex::cli::commands()) {
    CLI::App* sub = app.add_subcommand(std::string(command.name), std::string(command.summary));
    sub->footer(std::string(command.help) + "\n\n" + oex::cli::k_exit_codes_help);
    if (command.hidden) {
      sub->group("");
    }
    if (declare_all || *word.command == command.name) {
      command.add(*sub, context);
    }
  }
  app.footer(
    std::string("\nEnvironment:\n"
                "  OEX_DEFS_PATH        colon-separated directories of extra event "
                "definitions (*.json)\n"
                "  EVENTS_SERVICE_NAME  service name in metadata 'source' (first choice)\n"
                "  SERVICE_VARIANT      service name in metadata 'source' (second choice)\n"
                "  OEX_PLUGIN_PATH      colon-separated folders of receiver plugins (*.so)\n"
                "  NO_COLOR             turn off colour\n"
                "  EVENT_BUS_REDIS_CONNECTION_URL, EVENT_BUS_TOPIC_PREFIX,\n"
                "  EVENT_BUS_REDIS_STREAM_MAX_LEN, EVENT_BUS_KAFKA_BOOTSTRAP_SERVERS,\n"
                "  EVENT_BUS_KAFKA_SCHEMA_REGISTRY_URL (+ _API_KEY, _API_SECRET),\n"
                "  EVENT_BUS_KAFKA_API_KEY, EVENT_BUS_KAFKA_API_SECRET\n"
                "                       the event bus (produce, consume, bus): see their --help\n\n")
    + oex::cli::k_exit_codes_help);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return print_and_exit(app, e);
  } catch (const CLI::CallForAllHelp& e) {
    return print_and_exit(app, e);
  } catch (const CLI::CallForVersion& e) {
    return print_and_exit(app, e);
  } catch (const CLI::ParseError& e) {
    return fail(usage_message(e, app, word.command) + "\nRun 'oex "
                + (word.command ? *word.command + " " : "") + "--help' for more information.");
  } catch (const oex::UnknownEventType& e) {
    std::string message = e.what();
    if (e.suggestion()) {
      message += "\ndid you mean '" + *e.suggestion() + "'?";
    }
    return fail(message);
  } catch (const oex::DefsError& e) {
    // Every problem of the definitions, one error line each.
    for (std::size_t i = 0; i + 1 < e.findings().size(); ++i) {
      fail(oex::defs_finding_text(e.findings()[i]));
    }
    return fail(oex::defs_finding_text(e.findings().back()));
  } catch (const oex::Error& e) {
    return fail(e.what());
  } catch (const std::system_error& e) {
    // fmt::print throws this when a write fails, with the write's errno.
    if (std::ferror(stdout)) {
      return oex::cli::stdout_failed(oex::cli::note_stdout_error(e.code().value()));
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
