#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "redis_client.hpp"
#include "support/bus_support.hpp"

namespace oex::test {

inline constexpr const char* k_login = "org.openedx.learning.auth.session.login.completed.v1";

// A sampled payload of event_type (oex sample --seed).
inline std::string sample_payload(const std::string& event_type, int seed)
{
  return run_oex({"sample", event_type, "--seed", std::to_string(seed)}).out;
}

struct Entry
{
  std::string id;
  std::vector<std::pair<std::string, std::string>> fields;
  std::string get(const std::string& name) const
  {
    for (const auto& [n, v] : fields) {
      if (n == name) {
        return v;
      }
    }
    return "<absent>";
  }
};

// A connection of the test's own, for what oex does not do (XRANGE, raw XADD, CONFIG).
inline std::unique_ptr<bus::redis::Connection> connect(const std::string& url)
{
  return std::make_unique<bus::redis::Connection>(bus::redis::parse_url(url),
                                                  std::chrono::milliseconds(5000),
                                                  std::chrono::milliseconds(5000));
}

// Sends a command; the reply must not be an error.
inline void redis_command(const std::string& url, const std::vector<std::string>& args)
{
  std::vector<std::string_view> views(args.begin(), args.end());
  connect(url)->command(views);
}

inline std::vector<Entry> xrange(const std::string& url, const std::string& stream)
{
  auto conn = connect(url);
  bus::redis::ReplyPtr reply = conn->command({"XRANGE", stream, "-", "+"});
  const std::string context = "XRANGE";
  const bus::redis::Reply r(reply.get(), &context);
  std::vector<Entry> out;
  for (std::size_t i = 0; i < r.size(); ++i) {
    Entry entry;
    entry.id = std::string(r[i][0].string());
    for (std::size_t j = 0; j + 1 < r[i][1].size(); j += 2) {
      entry.fields.emplace_back(r[i][1][j].string(), r[i][1][j + 1].string());
    }
    out.push_back(std::move(entry));
  }
  return out;
}

inline const std::string k_uuid = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";


// The fields of a good message, with replacements (an empty value leaves the field out).
inline std::vector<std::string> xadd_args(const std::string& stream,
                                   const std::map<std::string, std::string>& change)
{
  static const std::string avro = [] {
    TempDir dir;
    const std::string payload = dir.write("p.json", sample_payload(k_login, 1));
    run_oex({"encode", k_login, payload, "-o", dir.path() + "/p.avro"});
    return read_file(dir.path() + "/p.avro");
  }();
  const std::vector<std::pair<std::string, std::string>> good = {
    {"type", k_login},        {"id", k_uuid},          {"source", "openedx/lms/web"},
    {"time", "2026-11-28T10:00:00+00:00"}, {"minorversion", "0"}, {"sourcehost", "h"},
    {"sourcelib", "11.2.0"},  {"event_data", avro}};
  std::vector<std::string> args{"XADD", stream, "*"};
  for (const auto& [name, value] : good) {
    auto it = change.find(name);
    const std::string v = it == change.end() ? value : it->second;
    if (!v.empty()) {
      args.push_back(name);
      args.push_back(v);
    }
  }
  return args;
}

// The JSON lines of consume --json output.
inline std::vector<nlohmann::json> json_lines(const std::string& out)
{
  std::vector<nlohmann::json> lines;
  std::size_t start = 0;
  while (start < out.size()) {
    const std::size_t end = out.find('\n', start);
    lines.push_back(nlohmann::json::parse(out.substr(start, end - start)));
    start = end == std::string::npos ? out.size() : end + 1;
  }
  return lines;
}

// Produces n sampled login events to topic (oex produce --jsonl); returns the stream's entry ids.
inline std::vector<std::string> produce_n(const std::string& url, const std::string& topic, int n)
{
  TempDir dir;
  std::string lines;
  for (int i = 0; i < n; ++i) {
    lines += one_line(sample_payload(k_login, 100 + i)) + "\n";
  }
  const std::string file = dir.write("p.jsonl", lines);
  if (run_oex({"produce", k_login, file, "--jsonl", "--topic", topic, "--bus", url}).exit_code != 0) {
    throw std::runtime_error("produce failed");
  }
  std::vector<std::string> ids;
  for (const auto& entry : xrange(url, topic)) {
    ids.push_back(entry.id);
  }
  return ids;
}

// The entry ids of consume --json output, in order.
inline std::vector<std::string> entry_ids(const std::string& out)
{
  std::vector<std::string> ids;
  for (const nlohmann::json& line : json_lines(out)) {
    ids.push_back(line["entry_id"]);
  }
  return ids;
}

} // namespace oex::test
