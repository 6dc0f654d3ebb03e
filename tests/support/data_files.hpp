#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace oex::test {

// The whole file; throws when it cannot be opened (a missing fixture is a test bug).
inline std::string read_text(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot open test data " + path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// One JSON value per line of a JSON Lines fixture.
inline std::vector<nlohmann::json> read_json_lines(const std::string& path)
{
  std::istringstream in(read_text(path));
  std::vector<nlohmann::json> values;
  for (std::string line; std::getline(in, line);) {
    values.push_back(nlohmann::json::parse(line));
  }
  return values;
}

// The names (without ".json") of the *.json cases in dir, sorted: data-driven tests whose
// expected output is NAME.expected beside each case.
inline std::vector<std::string> json_case_names(const std::string& dir)
{
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") {
      names.push_back(entry.path().stem().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

} // namespace oex::test
