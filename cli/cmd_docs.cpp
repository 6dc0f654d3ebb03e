// oex docs: the catalog as a static site (liboex makes the files, this writes them).

#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "commands.hpp"
#include "context.hpp"
#include "input.hpp"
#include "oex/docs/site.hpp"
#include "oex/util/error.hpp"
#include "oex/util/file_write.hpp"

namespace oex::cli {
namespace {

struct DocsOptions
{
  std::string out_dir;
  std::string title;
  std::optional<std::string> against;
  std::string format = "html";
};

// The stored Avro schemas in dir (files named as `oex schema --all --out` names them).
std::map<std::string, std::string> read_stored_schemas(const std::string& dir)
{
  if (!std::filesystem::is_directory(dir)) {
    throw Error("--against: '" + dir + "' is not a directory");
  }
  std::map<std::string, std::string> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (docs::is_stored_schema_name(name) && entry.is_regular_file()) {
      out.emplace(name, read_input(entry.path().string()));
    }
  }
  if (ec) {
    throw Error("cannot read '" + dir + "': " + ec.message());
  }
  return out;
}

ExitCode run_docs(const DocsOptions& options, Context& context)
{
  docs::SiteOptions site;
  site.title = options.title;
  site.defs_args = context.defs_dirs;
  if (options.against) {
    site.against = *options.against;
    site.stored_schemas = read_stored_schemas(*options.against);
  }
  // DIR is made when the first file comes: a stored schema that cannot be read (found before
  // the first file) leaves no trace.
  std::optional<std::filesystem::path> root;
  std::set<std::filesystem::path> folders;
  std::size_t written = 0;
  std::size_t pages = 0;
  const docs::SiteSink sink = [&](docs::SiteFile file) {
    if (!root) {
      root = make_out_dir(options.out_dir);
    }
    const std::filesystem::path path = *root / file.path;
    if (folders.insert(path.parent_path()).second) {
      make_out_dir(path.parent_path().string());
    }
    write_file_atomically(path.string(), file.content);
    ++written;
    pages += file.path.ends_with(".html") || file.path.ends_with(".mdx");
  };
  const bool html = options.format == "html";
  if (html) {
    docs::build_site(context.catalog(), site, sink);
  } else {
    docs::build_eventcatalog(context.catalog(), site, sink);
  }
  if (!root) {
    root = make_out_dir(options.out_dir);
  }
  fmt::print(stderr, "oex: wrote {} files ({} pages) to {}\n", written, pages, root->string());
  fmt::print("{}\n", html ? (*root / "index.html").string() : root->string());
  return ExitCode::ok;
}

} // namespace

void add_docs_command(CLI::App& sub, Context& context)
{
  auto options = std::make_shared<DocsOptions>();
  sub.add_option("--out", options->out_dir, "Write the site into DIR (created if needed)")
    ->type_name("DIR")
    ->required();
  sub
    .add_option("--title", options->title,
                "The site's title (default: the catalog's library and version, e.g. "
                "'openedx-events 11.2.0 events')")
    ->type_name("T");
  sub
    .add_option("--against", options->against,
                "Show each event's compatibility with its stored Avro schema in DIR (named as oex "
                "schema --all --out names them), and list the changes on the index")
    ->type_name("SCHEMAS_DIR");
  sub
    .add_option("--format", options->format,
                "html (a site to open in a browser) or eventcatalog (an EventCatalog project "
                "folder: domains/SUBDOMAIN/events/TYPE/index.mdx with its schemas)")
    ->type_name("FORMAT")
    ->check(CLI::IsMember({"html", "eventcatalog"}))
    ->capture_default_str();
  sub.callback([options, &context] { context.exit_code = run_docs(*options, context); });
}

} // namespace oex::cli
