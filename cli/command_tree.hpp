#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "number_options.hpp"

namespace CLI {
class App;
}

namespace oex::cli {

// What an option or positional argument takes, for completion: nothing (a flag), free text, a
// number, a file, a directory, an event type (completed from `oex list --names`) or one of
// fixed choices.
enum class ValueKind { none, text, number, file, directory, event_type, choice };

// "none", "text", "number", "file", "directory", "event_type", "choice".
std::string_view value_kind_name(ValueKind kind);

struct OptionSpec
{
  std::vector<std::string> names; // "--seed", "-q"
  std::string help;
  std::string placeholder; // "N", "DIR"; empty for flags
  ValueKind kind = ValueKind::none;
  std::vector<std::string> choices;
  std::optional<NumberRange> range;
  std::string default_value;
  bool repeatable = false;
};

struct PositionalSpec
{
  std::string name; // "TYPE", "FILE"
  std::string help;
  ValueKind kind = ValueKind::text;
  bool many = false; // takes every remaining word
};

struct CommandSpec
{
  std::string name;
  std::string summary;
  bool hidden = false;
  std::vector<OptionSpec> options;
  std::vector<PositionalSpec> positionals;
};

// The command line as CLI11 knows it, read from the built app, so that completions and the
// tests follow every command and option without a list of their own.
struct CommandTree
{
  std::vector<OptionSpec> global_options;
  std::vector<CommandSpec> commands;
  std::vector<std::string> subdomains; // of the built-in catalog, for --subdomain
};

// Value kinds come from the option: flags; number_range(); IsMember choices; the placeholder
// (DIR a directory, FILE or PATH a file, TYPE or PATTERN an event type, SUBDOMAIN a subdomain);
// for positionals also the name (FILE, PAYLOAD files). Anything else is free text.
CommandTree command_tree(const CLI::App& app, std::vector<std::string> subdomains);

// The tree as JSON (`oex completion json`): what the tests check every command against.
nlohmann::ordered_json command_tree_json(const CommandTree& tree);

} // namespace oex::cli
