#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "oex/catalog/types.hpp"
#include "oex/util/error.hpp"
#include "oex/util/finding.hpp"

namespace oex {

// Limits on what a definition file may describe, so that loading and every command stay linear
// in the size of the definitions (README, "Your own event definitions").
inline constexpr std::size_t k_max_bases_depth = 100; // levels of "bases"
inline constexpr std::size_t k_max_type_nesting = 32; // List/dict inside one type expression
inline constexpr std::size_t k_max_nesting = 1000;    // levels of a payload (objects, arrays)

// How an attrs field may be left out: required, default None, a default value, or an empty
// factory (attr.Factory(str | list | dict)).
enum class DefaultKind { required, none, value, factory };

struct FieldDefault
{
  DefaultKind kind = DefaultKind::required;
  nlohmann::ordered_json value; // when kind == value
  std::string factory;          // when kind == factory: "str", "list" or "dict"

  // True when the field may be absent from a payload.
  bool optional() const { return kind != DefaultKind::required; }
};

struct Field
{
  std::string name;
  Type type;
  FieldDefault default_value;
  std::string description;
  std::string defs_path; // where the definition file declares it: "data_classes[2].fields[0]"
};

// An attrs data class, namespaced by subdomain ("learning.CourseData").
struct DataClass
{
  std::string subdomain;
  std::string name;
  std::vector<const DataClass*> bases;
  std::vector<Field> own_fields; // as declared in the class itself
  std::vector<Field> fields;     // attrs order: inherited first, then own (redefinitions move)
  std::string origin;            // the definition file
  std::string defs_path;         // where in it: "data_classes[2]"
  std::string description;

  std::string qualified_name() const { return subdomain + "." + name; }
};

// One keyword argument of send_event: its name and data class.
struct DataKey
{
  std::string name;
  const DataClass* data_class = nullptr;
};

// An OpenEdxPublicSignal: the event type and the shape of its data.
struct EventType
{
  std::string event_type; // "org.openedx.learning.course.enrollment.created.v1"
  std::string name;       // "COURSE_ENROLLMENT_CREATED"
  std::string subdomain;  // "learning"
  int minor_version = 0;
  std::string description;
  std::vector<DataKey> data; // in definition order
  std::optional<std::string> key_field;
  std::optional<std::string> trigger_repository;
  std::optional<std::string> warning;
  bool bus = true;       // false: upstream lists it as unserializable for the event bus
  std::string origin;    // the definition file
  std::string defs_path; // where in it: "events[4]"
};

// A definition document: a name to show in errors (a path, or "<builtin>/learning.json") and
// its text.
struct DefsSource
{
  std::string name;
  std::string text;
};

class Catalog;

// What Catalog::load_collecting gives: the catalog of everything that could be loaded, and a
// finding for every problem (each with file, line, column, the path in the file and a rule id:
// "defs" for the file's form, "unknown-class", "required-cycle", "minor-version").
struct CatalogLoad;

// A broken definition file: every problem found in the documents, as findings (file, line,
// column, path, message). what() is one line "FILE:LINE:COL: PATH: MESSAGE" per finding.
class DefsError : public Error
{
public:
  explicit DefsError(std::vector<Finding> findings);
  const std::vector<Finding>& findings() const { return m_findings; }

private:
  std::vector<Finding> m_findings;
};

// "FILE:LINE:COL: PATH: MESSAGE" for a definition finding.
std::string defs_finding_text(const Finding& finding);

// All event types and data classes, from the embedded catalog and any user definitions.
// Loading fails with DefsError naming the file, the place and the problem, for every problem.
class Catalog
{
public:
  Catalog() = default;
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;
  Catalog(Catalog&&) = default;
  Catalog& operator=(Catalog&&) = default;

  // The catalog built into oex (event-defs/ at build time).
  static Catalog builtin();
  // The documents behind builtin(), to load together with user definitions.
  static std::vector<DefsSource> builtin_sources();

  // Builds a catalog from documents taken in order; a later one may use data classes of an
  // earlier one but may not redefine its event types or data classes.
  static Catalog load(const std::vector<DefsSource>& sources);
  // As load(), but every problem is a finding instead of a DefsError, and what is broken is
  // left out of the catalog (a field of unknown type, an event that names an unknown class).
  static CatalogLoad load_collecting(const std::vector<DefsSource>& sources);

  // What load(builtin_sources() + user_sources) holds for the event `wanted` names (an event
  // type, or an upstream name in any case; see lookup()), loading only the documents it needs:
  // every user document, the built-in file that defines it (from an index made at build time),
  // and the files of every subdomain a loaded document refers to. nullopt when no document
  // defines `wanted`: load the whole catalog (for the did-you-mean). Throws as load() does.
  static std::optional<Catalog> load_for(std::string_view wanted,
                                         const std::vector<DefsSource>& user_sources);

  // Every event type, in definition order.
  const std::vector<const EventType*>& all_events() const { return m_event_list; }
  const std::deque<DataClass>& data_classes() const { return m_classes; }

  // The event type, or nullptr.
  const EventType* find(std::string_view event_type) const;
  // The event type; throws UnknownEventType (with a did-you-mean) when there is none.
  const EventType& get_signal_by_type(std::string_view event_type) const;
  // The event type `wanted` names: an event type (exactly), or the upstream variable name
  // ("COURSE_ENROLLMENT_CREATED", any case). Throws UnknownEventType with the closest event type
  // or name, ignoring case, or oex::Error when a name belongs to several event types.
  const EventType& lookup(std::string_view wanted) const;
  // The subdomains that have events, sorted.
  std::vector<std::string> subdomains() const;

  // The data class "subdomain.Name", or nullptr.
  const DataClass* find_class(std::string_view qualified_name) const;

  // Name and version of the upstream library the catalog describes ("openedx-events", "11.2.0").
  const std::string& library_name() const { return m_library_name; }
  const std::string& library_version() const { return m_library_version; }

private:
  friend class DefsLoader;

  std::deque<DataClass> m_classes;
  std::deque<EventType> m_events;
  std::vector<const EventType*> m_event_list;
  std::map<std::string, const EventType*, std::less<>> m_by_type;
  std::map<std::string, const DataClass*, std::less<>> m_by_class;
  std::string m_library_name;
  std::string m_library_version;
};

struct CatalogLoad
{
  Catalog catalog;
  std::vector<Finding> findings;
  bool events_loaded = true; // false after a problem in the class graph: no event was added
};

// The definition documents of paths, in order: a directory gives its *.json files (sorted by
// name), a file itself. A file reached twice (the same directory given twice, a symbolic link,
// "./x" and "x") is read once, where it first appears. Throws oex::Error when a directory or
// file cannot be read.
std::vector<DefsSource> read_defs(const std::vector<std::string>& paths);

} // namespace oex
