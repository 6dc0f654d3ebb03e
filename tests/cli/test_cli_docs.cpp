// oex docs: the site written to disk, its errors, and --against from the command line.

#include <filesystem>

#include <catch2/catch.hpp>

#include "support/subprocess.hpp"

using oex::test::read_file;
using oex::test::run_oex;
using oex::test::TempDir;

namespace {

const std::string k_defs = TEST_DATA_DIR "/docs/defs";
const std::string k_enrollment = "org.openedx.learning.course.enrollment.created.v1";

bool has(const std::string& text, const std::string& part)
{
  return text.find(part) != std::string::npos;
}

// Every file under dir, by path relative to it, with its content.
std::map<std::string, std::string> tree(const std::string& dir)
{
  std::map<std::string, std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      out[std::filesystem::relative(entry.path(), dir).string()] = read_file(entry.path().string());
    }
  }
  return out;
}

} // namespace

TEST_CASE("oex docs: writes the site, prints index.html, and the same catalog gives the same bytes")
{
  TempDir dir;
  const std::string out = dir.path() + "/site/nested";
  const auto result = run_oex({"docs", "--out", out});
  REQUIRE(result.exit_code == 0);
  CHECK(result.out == out + "/index.html\n");
  CHECK(result.err == "oex: wrote 280 files (131 pages) to " + out + "\n");
  const auto first = tree(out);
  CHECK(first.size() == 280);
  CHECK(first.contains("assets/style.css"));
  CHECK(first.contains("assets/search.js"));
  CHECK(first.contains("classes.html"));
  CHECK(first.contains("events/" + k_enrollment + ".html"));
  CHECK(first.contains("classes/learning.UserData.html"));
  CHECK(has(first.at("index.html"), "<title>openedx-events 11.2.0 events</title>"));
  // No temporary files left behind.
  for (const auto& [path, content] : first) {
    CHECK_FALSE(std::filesystem::path(path).filename().string().starts_with("."));
  }
  // Run again over the same folder, and into another: the same bytes.
  REQUIRE(run_oex({"docs", "--out", out}).exit_code == 0);
  CHECK(tree(out) == first);
  REQUIRE(run_oex({"docs", "--out", dir.path() + "/again"}).exit_code == 0);
  CHECK(tree(dir.path() + "/again") == first);
}

TEST_CASE("oex docs: --title, and --defs events with a class of another subdomain")
{
  TempDir dir;
  const auto result =
    run_oex({"--defs", k_defs, "docs", "--out", dir.path(), "--title", "Acme <events>"});
  REQUIRE(result.exit_code == 0);
  const std::string index = read_file(dir.path() + "/index.html");
  CHECK(has(index, "<title>Acme &lt;events&gt;</title>"));
  CHECK(has(index, "77 event types in 6 subdomains"));
  CHECK(has(index, "<code class=\"type\">org.acme.badge.awarded.v1</code>"));
  CHECK_FALSE(has(index, "<script>alert"));
  const std::string page = read_file(dir.path() + "/events/org.acme.badge.awarded.v1.html");
  CHECK(has(page, "<code class=\"field\">awarded_to</code>: <a "
                  "href=\"../classes/learning.UserData.html\"><code>UserData</code></a>"));
  CHECK(has(page, "oex --defs " + k_defs + " validate org.acme.badge.awarded.v1 payload.json"));
  const std::string user = read_file(dir.path() + "/classes/learning.UserData.html");
  CHECK(has(user, "<code class=\"type\">org.acme.badge.awarded.v1</code>"));
}

TEST_CASE("oex docs: errors")
{
  TempDir dir;
  const std::string file = dir.write("site", "not a folder");
  auto result = run_oex({"docs", "--out", file});
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: cannot create directory '" + file
             + "': it exists and is not a directory\n");
  CHECK(read_file(file) == "not a folder");

  result = run_oex({"docs"});
  CHECK(result.exit_code == 2);
  CHECK(has(result.err, "oex: error: --out is required"));

  result = run_oex({"docs", "--out", dir.path() + "/x", "--against", dir.path() + "/none"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: --against: '" + dir.path() + "/none' is not a directory\n");
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/x"));
}

TEST_CASE("oex docs --against: compatibility with schemas stored by oex schema --all")
{
  TempDir dir;
  const std::string schemas = dir.path() + "/schemas";
  REQUIRE(run_oex({"schema", "--all", "--out", schemas}).exit_code == 0);
  auto result = run_oex({"docs", "--out", dir.path() + "/site", "--against", schemas});
  REQUIRE(result.exit_code == 0);
  CHECK(has(read_file(dir.path() + "/site/index.html"),
            "72 events unchanged, 0 changed compatibly, 0 incompatible, 0 new, 0 removed"));

  // A stored schema that cannot be read stops oex docs before anything is written.
  const std::string bad =
    schemas + "/org+openedx+learning+course+enrollment+created+v1_schema.avsc";
  dir.write("schemas/org+openedx+learning+course+enrollment+created+v1_schema.avsc",
            "{\"type\": 1}");
  result = run_oex({"docs", "--out", dir.path() + "/other", "--against", schemas});
  CHECK(result.exit_code == 2);
  CHECK(has(result.err, "oex: error: " + bad + ": "));
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/other"));
}

TEST_CASE("oex docs --format eventcatalog: an EventCatalog project folder")
{
  TempDir dir;
  const std::string out = dir.path() + "/catalog";
  auto result = run_oex({"docs", "--out", out, "--format", "eventcatalog"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.out == out + "\n");
  CHECK(result.err == "oex: wrote 227 files (80 pages) to " + out + "\n");
  CHECK(read_file(out + "/domains/learning/events/" + k_enrollment + "/index.mdx")
          .starts_with("---\nid: \"" + k_enrollment + "\"\n"));
  CHECK(std::filesystem::exists(out + "/domains/learning/events/" + k_enrollment + "/schema.avsc"));

  result = run_oex({"docs", "--out", out, "--format", "markdown"});
  CHECK(result.exit_code == 2);
  CHECK(has(result.err, "--format: markdown not in {html,eventcatalog}"));
}

#ifndef OEX_SANITIZED
TEST_CASE("oex docs: memory stays at one page however many large pages the site has")
{
  // 40 events whose data is a class used twice by each of 30 nested classes: each page holds a
  // data tree of 5,000 fields (the cap) and is about 700 kB. Held all at once they would need
  // over 40 MB; written one by one, oex stays under 40 MB of address space.
  TempDir dir;
  std::string classes;
  for (int i = 0; i < 30; ++i) {
    const std::string next = "C" + std::to_string(i + 1);
    classes += "{\"name\": \"C" + std::to_string(i)
               + "\", \"fields\": [{\"name\": \"a\", \"type\": \"" + next
               + "\"}, {\"name\": \"b\", \"type\": \"" + next + "\"}]},";
  }
  classes += R"({"name": "C30", "fields": [{"name": "v", "type": "int"}]})";
  std::string events;
  for (int i = 0; i < 40; ++i) {
    events += std::string(i ? "," : "") + "{\"event_type\": \"org.wide.e" + std::to_string(i)
              + ".v1\", \"name\": \"E" + std::to_string(i) + "\", \"data\": {\"x\": \"C0\"}}";
  }
  const std::string defs = dir.write("wide.json", "{\"subdomain\": \"wide\", \"data_classes\": ["
                                                    + classes + "], \"events\": [" + events + "]}");
  oex::test::RunOptions options;
  options.unset_env = {"OEX_DEFS_PATH"};
  const auto result = oex::test::run(
    "prlimit",
    {"--as=40000000", "--", OEX_BINARY, "--defs", defs, "docs", "--out", dir.path() + "/site"},
    options);
  CHECK(result.err == "oex: wrote 431 files (202 pages) to " + dir.path() + "/site\n");
  CHECK(result.exit_code == 0);
  CHECK(std::filesystem::file_size(dir.path() + "/site/events/org.wide.e39.v1.html") > 500'000);
}
#endif
