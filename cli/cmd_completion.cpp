// oex completion: the shell completion scripts, made from the command tree (hidden command).

#include <algorithm>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "command_tree.hpp"
#include "commands.hpp"
#include "completion_scripts.hpp"
#include "context.hpp"
#include "oex/catalog/catalog.hpp"

namespace oex::cli {
namespace {

// The subdomains of the built-in catalog: the committed scripts must not depend on the
// OEX_DEFS_PATH of whoever generates them.
std::vector<std::string> builtin_subdomains()
{
  const Catalog catalog = Catalog::builtin();
  std::vector<std::string> out;
  for (const EventType* event : catalog.all_events()) {
    if (std::find(out.begin(), out.end(), event->subdomain) == out.end()) {
      out.push_back(event->subdomain);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

ExitCode run_completion(const std::string& shell, const CLI::App& root)
{
  const CommandTree tree = command_tree(root, builtin_subdomains());
  if (shell == "bash") {
    fmt::print("{}", bash_completion(tree));
  } else if (shell == "zsh") {
    fmt::print("{}", zsh_completion(tree));
  } else if (shell == "fish") {
    fmt::print("{}", fish_completion(tree));
  } else {
    fmt::print("{}\n", command_tree_json(tree).dump(2));
  }
  return ExitCode::ok;
}

} // namespace

void add_completion_command(CLI::App& sub, Context& context)
{
  auto shell = std::make_shared<std::string>();
  sub
    .add_option("SHELL", *shell,
                "bash, zsh or fish; json prints the command tree the scripts are made from")
    ->required()
    ->check(CLI::IsMember({"bash", "zsh", "fish", "json"}));
  sub.callback(
    [shell, &sub, &context] { context.exit_code = run_completion(*shell, *sub.get_parent()); });
}

} // namespace oex::cli
