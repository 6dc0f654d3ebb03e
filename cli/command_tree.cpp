#include "command_tree.hpp"

#include <CLI/CLI.hpp>

namespace oex::cli {
namespace {

using json = nlohmann::ordered_json;

// CLI11 shows "N:{a,b}" for a placeholder N and an IsMember validator; the part before ':'.
std::string placeholder_of(const CLI::Option& option)
{
  const std::string full = option.get_type_name();
  return full.substr(0, full.find(':'));
}

// The members of an IsMember validator, from its description "{avro,json-schema}".
std::vector<std::string> choices_of(const CLI::Option& option)
{
  const std::string full = option.get_type_name();
  const std::size_t open = full.find(":{");
  if (open == std::string::npos || !full.ends_with('}')) {
    return {};
  }
  std::vector<std::string> choices;
  std::string rest = full.substr(open + 2, full.size() - open - 3);
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    choices.push_back(rest.substr(0, comma));
    rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
  }
  return choices;
}

ValueKind kind_of_placeholder(const std::string& placeholder)
{
  if (placeholder == "DIR") {
    return ValueKind::directory;
  }
  if (placeholder == "FILE" || placeholder == "PATH" || placeholder == "PAYLOAD") {
    return ValueKind::file;
  }
  if (placeholder == "TYPE" || placeholder == "PATTERN") {
    return ValueKind::event_type;
  }
  return ValueKind::text;
}

OptionSpec option_spec(const CLI::Option& option, const std::vector<std::string>& subdomains)
{
  OptionSpec spec;
  for (const std::string& name : option.get_snames()) {
    spec.names.push_back("-" + name);
  }
  for (const std::string& name : option.get_lnames()) {
    spec.names.push_back("--" + name);
  }
  spec.help = option.get_description();
  spec.default_value = option.get_default_str();
  if (option.get_type_size_max() == 0 || option.get_expected_max() == 0) {
    return spec; // a flag
  }
  spec.placeholder = placeholder_of(option);
  spec.repeatable = option.get_expected_max() > 1;
  spec.range = number_range_of(option);
  spec.choices = choices_of(option);
  if (spec.range) {
    spec.kind = ValueKind::number;
  } else if (!spec.choices.empty()) {
    spec.kind = ValueKind::choice;
  } else if (spec.placeholder == "SUBDOMAIN") {
    spec.kind = ValueKind::choice;
    spec.choices = subdomains;
  } else {
    spec.kind = kind_of_placeholder(spec.placeholder);
  }
  return spec;
}

PositionalSpec positional_spec(const CLI::Option& option)
{
  PositionalSpec spec;
  spec.name = option.get_name(true);
  spec.help = option.get_description();
  spec.many = option.get_items_expected_max() > 1;
  spec.kind = kind_of_placeholder(spec.name);
  return spec;
}

} // namespace

std::string_view value_kind_name(ValueKind kind)
{
  switch (kind) {
  case ValueKind::none:
    return "none";
  case ValueKind::text:
    return "text";
  case ValueKind::number:
    return "number";
  case ValueKind::file:
    return "file";
  case ValueKind::directory:
    return "directory";
  case ValueKind::event_type:
    return "event_type";
  case ValueKind::choice:
    return "choice";
  }
  return "text";
}

namespace {

json option_json(const OptionSpec& option)
{
  json out = json::object();
  out["names"] = option.names;
  out["help"] = option.help;
  out["placeholder"] = option.placeholder;
  out["value"] = value_kind_name(option.kind);
  out["repeatable"] = option.repeatable;
  out["default"] = option.default_value;
  if (option.kind == ValueKind::choice) {
    out["choices"] = option.choices;
  }
  if (option.range) {
    const NumberRange& range = *option.range;
    out["range"] = range.integer
                     ? json{{"integer", true}, {"min", range.min}, {"max", range.max}}
                     : json{{"integer", false}, {"min", range.min_real}, {"max", range.max_real}};
    out["range"]["describe"] = range.describe();
  }
  return out;
}

} // namespace

CommandTree command_tree(const CLI::App& app, std::vector<std::string> subdomains)
{
  CommandTree tree;
  tree.subdomains = std::move(subdomains);
  const auto visible = [](const CLI::Option* option) {
    return !option->get_group().empty();
  };
  for (const CLI::Option* option : app.get_options(visible)) {
    tree.global_options.push_back(option_spec(*option, tree.subdomains));
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    CommandSpec command;
    command.name = sub->get_name();
    command.summary = sub->get_description();
    command.hidden = sub->get_group().empty();
    for (const CLI::Option* option : sub->get_options(visible)) {
      if (option->get_positional()) {
        command.positionals.push_back(positional_spec(*option));
      } else {
        command.options.push_back(option_spec(*option, tree.subdomains));
      }
    }
    tree.commands.push_back(std::move(command));
  }
  return tree;
}

json command_tree_json(const CommandTree& tree)
{
  json out = json::object();
  out["global_options"] = json::array();
  for (const OptionSpec& option : tree.global_options) {
    out["global_options"].push_back(option_json(option));
  }
  out["commands"] = json::array();
  for (const CommandSpec& command : tree.commands) {
    json entry = json::object();
    entry["name"] = command.name;
    entry["summary"] = command.summary;
    entry["hidden"] = command.hidden;
    entry["options"] = json::array();
    for (const OptionSpec& option : command.options) {
      entry["options"].push_back(option_json(option));
    }
    entry["positionals"] = json::array();
    for (const PositionalSpec& positional : command.positionals) {
      entry["positionals"].push_back(json{{"name", positional.name},
                                          {"help", positional.help},
                                          {"value", value_kind_name(positional.kind)},
                                          {"many", positional.many}});
    }
    out["commands"].push_back(std::move(entry));
  }
  return out;
}

} // namespace oex::cli
