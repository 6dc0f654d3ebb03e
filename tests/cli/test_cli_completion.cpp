// Shell completions: generated from the command tree, committed, and working.

#include <algorithm>
#include <filesystem>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/subprocess.hpp"

using oex::test::read_file;
using oex::test::run;
using oex::test::run_oex;
using oex::test::RunOptions;

namespace {

using json = nlohmann::json;

const std::string k_type = "org.openedx.learning.course.enrollment.created.v1";

json command_tree()
{
  const auto result = run_oex({"completion", "json"});
  REQUIRE(result.exit_code == 0);
  return json::parse(result.out);
}

std::string committed(const std::string& file)
{
  return read_file(COMPLETIONS_DIR "/" + file);
}

bool has_program(const std::string& name)
{
  return run("/bin/sh", {"-c", "command -v " + name}).exit_code == 0;
}

// The text from `start` to the next `end`, or "" when start is not there.
std::string section(const std::string& text, const std::string& start, const std::string& end)
{
  const std::size_t from = text.find(start);
  if (from == std::string::npos) {
    return "";
  }
  return text.substr(from, text.find(end, from + start.size()) - from);
}

// What bash completes for the words of `line` (the last one being completed).
std::vector<std::string> bash_complete(const std::vector<std::string>& words)
{
  std::string script = "source " COMPLETIONS_DIR "/oex.bash; COMP_WORDS=(" OEX_BINARY;
  for (std::size_t i = 1; i < words.size(); ++i) {
    script += " '" + words[i] + "'";
  }
  script += "); COMP_CWORD=" + std::to_string(words.size() - 1)
            + "; _oex; printf '%s\\n' \"${COMPREPLY[@]}\"";
  RunOptions options;
  options.cwd = TEST_DATA_DIR;
  options.unset_env = {"OEX_DEFS_PATH"};
  const auto result = run("/bin/bash", {"-c", script}, options);
  REQUIRE(result.exit_code == 0);
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t end; (end = result.out.find('\n', start)) != std::string::npos;
       start = end + 1) {
    if (end > start) {
      out.push_back(result.out.substr(start, end - start));
    }
  }
  return out;
}

} // namespace

TEST_CASE("completions: the committed files are what oex completion generates")
{
  // After adding a command or option: cmake --build build --target completions
  for (const auto& [shell, file] : std::vector<std::pair<std::string, std::string>>{
         {"bash", "oex.bash"}, {"zsh", "_oex"}, {"fish", "oex.fish"}}) {
    INFO(shell << ": completions/" << file
               << " is out of date: run cmake --build build --target completions");
    const auto generated = run_oex({"completion", shell});
    CHECK(generated.exit_code == 0);
    CHECK(generated.out == committed(file));
  }
  const auto bad = run_oex({"completion", "tcsh"});
  CHECK(bad.exit_code == 2);
}

TEST_CASE("completions name every command and every option")
{
  const json tree = command_tree();
  const std::string bash = committed("oex.bash");
  const std::string zsh = committed("_oex");
  const std::string fish = committed("oex.fish");
  int commands = 0;
  for (const json& command : tree["commands"]) {
    if (command["hidden"] == true) {
      continue;
    }
    ++commands;
    const std::string name = command["name"];
    INFO(name);
    std::string bash_commands = section(bash, "if [[ -z $cmd ]]; then\n        COMPREPLY=", "\n");
    std::replace(bash_commands.begin(), bash_commands.end(), '\'', ' ');
    CHECK(bash_commands.find(" " + name + " ") != std::string::npos);
    CHECK(zsh.find("    '" + name + ":") != std::string::npos);
    CHECK(fish.find(" -a " + name + " -d ") != std::string::npos);
    std::string bash_options = section(bash, "            " + name + ") COMPREPLY=", "\n");
    std::replace(bash_options.begin(), bash_options.end(), '\'', ' ');
    const std::string zsh_options = section(zsh, "        " + name + ")\n", ";;");
    std::string fish_options; // the lines for this command's options
    const std::string fish_prefix =
      "complete -c oex -n '__fish_seen_subcommand_from " + name + "' ";
    for (std::size_t at = fish.find(fish_prefix); at != std::string::npos;
         at = fish.find(fish_prefix, at + 1)) {
      fish_options += fish.substr(at, fish.find('\n', at) - at) + " \n";
    }
    // zsh refuses to complete at all when _arguments names an option twice.
    std::vector<std::string> zsh_names;
    if (zsh_options.find("$global") != std::string::npos) { // the global options, by reference
      for (const json& option : tree["global_options"]) {
        for (const std::string flag : option["names"]) {
          zsh_names.push_back(flag);
        }
      }
    }
    // Each quoted word of the section that starts with an option, once each ('*--defs=[...').
    std::string specs = zsh_options; // an apostrophe inside a word is written '\''
    for (std::size_t at = specs.find("'\\''"); at != std::string::npos;
         at = specs.find("'\\''", at)) {
      specs.replace(at, 4, "_");
    }
    std::vector<std::string> quoted;
    std::size_t open = specs.find('\'');
    while (open != std::string::npos) {
      const std::size_t close = specs.find('\'', open + 1);
      if (close == std::string::npos) {
        break;
      }
      quoted.push_back(specs.substr(open + 1, close - open - 1));
      open = specs.find('\'', close + 1);
    }
    for (std::string spec : quoted) {
      spec = spec.substr(spec.starts_with("*") ? 1 : 0);
      spec = spec.substr(0, spec.find_first_of("[=+"));
      if (spec.starts_with("-")) {
        CHECK(std::find(zsh_names.begin(), zsh_names.end(), spec) == zsh_names.end());
        zsh_names.push_back(spec);
      }
    }
    CHECK(zsh_names.size() >= command["options"].size());
    for (const json& option : command["options"]) {
      for (const std::string flag : option["names"]) {
        INFO(flag);
        CHECK(bash_options.find(" " + flag + " ") != std::string::npos);
        CHECK((zsh_options.find("'" + flag + "[") != std::string::npos
               || zsh_options.find("'" + flag + "=[") != std::string::npos
               || zsh_options.find("'*" + flag + "=[") != std::string::npos
               || zsh_options.find("'" + flag + "+[") != std::string::npos));
        const std::string fish_name =
          flag.starts_with("--") ? "-l " + flag.substr(2) : "-s " + flag.substr(1);
        CHECK(fish_options.find(" " + fish_name + " ") != std::string::npos);
      }
    }
  }
  CHECK(commands >= 8);
  std::string bash_words = bash;
  std::replace(bash_words.begin(), bash_words.end(), '\'', ' ');
  for (const json& option : tree["global_options"]) {
    for (const std::string flag : option["names"]) {
      INFO(flag);
      CHECK(bash_words.find(" " + flag + " ") != std::string::npos);
      CHECK(
        (zsh.find("'" + flag) != std::string::npos || zsh.find("'*" + flag) != std::string::npos));
      CHECK(fish.find(flag.starts_with("--") ? " -l " + flag.substr(2) + " "
                                             : " -s " + flag.substr(1) + " ")
            != std::string::npos);
    }
  }
}

TEST_CASE("completions: bash completes commands, options, values, event types and files")
{
  using V = std::vector<std::string>;
  CHECK(bash_complete({"oex", "sa"}) == V{"sample"});
  CHECK(bash_complete({"oex", "--defs", "/tmp", "va"}) == V{"validate"});
  CHECK(bash_complete({"oex", "sample", "--se"}) == V{"--seed", "--set"});
  CHECK(bash_complete({"oex", "schema", "--format", ""}) == V{"avro", "json-schema"});
  CHECK(bash_complete({"oex", "list", "--subdomain", "le"}) == V{"learning"});
  CHECK(bash_complete({"oex", "metadata", "--count", ""}).empty());
  CHECK(bash_complete({"oex", "show", "org.openedx.learning.course.enrollment.cr"}) == V{k_type});
  // After --count's value, the event type again; after TYPE, files.
  CHECK(
    bash_complete({"oex", "sample", "--count", "3", "org.openedx.learning.course.enrollment.ch"})
    == V{"org.openedx.learning.course.enrollment.changed.v1"});
  CHECK(bash_complete({"oex", "validate", k_type, "payloads/valid/enrollment_full.j"})
        == V{"payloads/valid/enrollment_full.json"});
  CHECK(
    bash_complete({"oex", "send", k_type, "-", "--metadata", "payloads/valid/enrollment_full.j"})
    == V{"payloads/valid/enrollment_full.json"});
  CHECK(bash_complete({"oex", "schema", "--out", "payloads/va"}) == V{"payloads/valid"});
}

TEST_CASE("completions: zsh and fish read their scripts")
{
  if (has_program("zsh")) {
    const auto result = run("zsh", {"-n", COMPLETIONS_DIR "/_oex"});
    CHECK(result.err.empty());
    CHECK(result.exit_code == 0);
  } else {
    WARN("zsh is not installed: the zsh completion was not checked");
  }
  if (!has_program("fish")) {
    WARN("fish is not installed: the fish completion was not checked");
    return;
  }
  RunOptions options;
  options.set_env["PATH"] =
    std::filesystem::path(OEX_BINARY).parent_path().string() + ":/usr/bin:/bin";
  options.unset_env = {"OEX_DEFS_PATH"};
  const auto complete = [&](const std::string& line) {
    const auto result =
      run("fish",
          {"--no-config", "-c", "source " COMPLETIONS_DIR "/oex.fish; complete -C '" + line + "'"},
          options);
    CHECK(result.err.empty());
    return result.out;
  };
  CHECK(complete("oex sa").starts_with("sample\t"));
  CHECK(complete("oex sample --se").find("--seed\t") != std::string::npos);
  CHECK(complete("oex schema --format ").find("json-schema") != std::string::npos);
  CHECK(complete("oex show org.openedx.learning.course.enrollment.cr") == k_type + "\n");
}
