#pragma once

// What the pages of `oex docs` share: the catalog, the options, who uses each data class, the
// --against verdicts, and the HTML helpers. Internal to lib/src/docs.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "oex/docs/site.hpp"
#include "oex/util/result.hpp"

namespace oex::docs {

// An event that uses a data class: as one of its data keys, or nested deeper in its data.
struct ClassUse
{
  const EventType* event = nullptr;
  bool data_key = false;
};

// An event's schema compared with the one stored in --against.
struct CompatResult
{
  enum class Status { unchanged, changed, incompatible, added, no_avro };
  Status status = Status::no_avro;
  std::vector<std::string> reasons; // "backward: user.id: long cannot be read as string"
};

struct SiteModel
{
  const Catalog* catalog = nullptr;
  const SiteOptions* options = nullptr;
  std::string title;
  std::map<const DataClass*, std::vector<ClassUse>> uses;            // in event order
  std::map<const DataClass*, std::vector<const DataClass*>> used_in; // classes with a field of it
  std::map<const EventType*, CompatResult> compat;                   // with --against only
  std::vector<std::string> removed; // stored schema files no event of the catalog has

  const std::vector<ClassUse>& uses_of(const DataClass& cls) const;
};

// Builds the model; throws oex::Error for a stored schema that cannot be read.
SiteModel make_model(const Catalog& catalog, const SiteOptions& options);

// A word for a compat status ("compatible", "incompatible", "new", ...).
std::string_view status_word(CompatResult::Status status);

// text with & < > " ' as character references: safe in element content and quoted attributes.
std::string escape(std::string_view text);
// A file name for name: ASCII letters, digits, '.', '-', '_' kept, anything else (and a leading
// '.') as ~hh; names past 150 bytes are cut and given a hash of the whole, so distinct names stay
// distinct and no name can leave its folder.
std::string file_slug(std::string_view name);
// word quoted for a POSIX shell when it holds anything but [A-Za-z0-9._/:=@+-].
std::string shell_quote(std::string_view word);

// The seeded sample payload (as `oex sample TYPE` prints it) and example metadata with a fixed
// id, time and host, as indented JSON; why when one cannot be made.
Result<std::string> sample_json(const EventType& event);
Result<std::string> metadata_json(const EventType& event, const Catalog& catalog);
// The commands to sample, validate, send and show the event, one a line, shell-quoted.
std::string commands_text(const SiteOptions& options, const EventType& event);

// text up to its first line break (a description's summary).
std::string first_line(std::string_view text);

// A <ul> (of class css_class when not empty) with one item per text, escaped, each as code when
// asked.
enum class ItemMarkup { text, code };
std::string escaped_list(const std::vector<std::string>& items, std::string_view css_class,
                         ItemMarkup markup = ItemMarkup::text);

// Paths from the site's root.
std::string event_path(const EventType& event);
std::string class_path(const DataClass& cls);
std::string avro_path(const EventType& event);
std::string json_schema_path(const EventType& event);

// A whole HTML document. root is the way back to the site's root from the page ("" or "../");
// body goes inside <main>.
struct Page
{
  std::string title;
  std::string root;
  std::string body;
  bool search_script = false;
};
std::string render_page(const SiteModel& model, const Page& page);

std::string index_page(const SiteModel& model);
std::string classes_page(const SiteModel& model);
std::string event_page(const SiteModel& model, const EventType& event);
std::string class_page(const SiteModel& model, const DataClass& cls);

extern const std::string_view k_style_css;
extern const std::string_view k_search_js;

} // namespace oex::docs
