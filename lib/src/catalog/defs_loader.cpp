// Turns definition documents (event-defs/*.json and user --defs files) into a Catalog.
//
// Loading runs in phases so that a data class may use classes defined later, in the same file or
// another: parse every document, register every data class, resolve bases and field types, lay
// out fields in attrs order, then add the events. A problem is recorded as a finding and the
// item it concerns (a document, a class, a field, an event) is left out, so that one load reports
// every problem; load() then throws them all as one DefsError.

#include <algorithm>
#include <iterator>
#include <set>
#include <span>

#include "catalog/class_graph.hpp"
#include "catalog/defs_checks.hpp"
#include "catalog/defs_references.hpp"
#include "catalog/type_parser.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/catalog/embedded_defs.hpp"
#include "oex/util/error.hpp"
#include "oex/util/text.hpp"
#include "util/json_reader.hpp"

namespace oex {

using json = nlohmann::ordered_json;

namespace {

struct PendingClass
{
  DataClass* cls;
  const json* definition;
  std::string path; // "data_classes[3]"
};

} // namespace

class DefsLoader : private DefsChecks
{
public:
  explicit DefsLoader(Catalog& catalog)
    : m_catalog(catalog)
  {
  }

  void load(const std::vector<DefsSource>& sources)
  {
    std::vector<DefsDocument> documents;
    documents.reserve(sources.size());
    for (const DefsSource& source : sources) {
      if (auto document = read_document(source)) {
        documents.push_back(std::move(*document));
      }
    }
    load_documents(documents);
  }

  // Every problem found, placed; empty when the documents were sound.
  std::vector<Finding> findings() { return m_problems.take(); }
  bool sound() const { return m_problems.empty(); }
  bool events_loaded() const { return m_events_loaded; }

  // The phases after parsing, over documents in the order they were given.
  void load_documents(const std::vector<DefsDocument>& documents)
  {
    std::vector<std::vector<PendingClass>> pending(documents.size());
    for (std::size_t i = 0; i < documents.size(); ++i) {
      pending[i] = register_classes(documents[i]);
    }
    for (std::size_t i = 0; i < documents.size(); ++i) {
      for (const PendingClass& p : pending[i]) {
        resolve_class(documents[i], p);
      }
    }
    try {
      lay_out_all_fields(m_catalog.m_classes);
      check_class_graph(m_catalog.m_classes);
    } catch (const ClassGraphError& e) {
      // Fields not laid out, or classes whose depth is unchecked: no events, so that nothing
      // walks them (load() refuses the documents anyway; load_collecting() gives what is left).
      const DataClass& cls = e.data_class();
      m_problems.add(*source_of(documents, cls.origin), cls.defs_path, e.message(), e.rule());
      m_events_loaded = false;
      return;
    }
    for (const DefsDocument& document : documents) {
      add_events(document);
    }
  }

  // The document, or nullopt (the problem recorded) when it cannot be read at all.
  std::optional<DefsDocument> read_document(const DefsSource& source)
  {
    if (source.text.find_first_not_of(" \t\r\n") == std::string::npos) {
      m_problems.add_placed(source, 1, 1,
                            "empty file (expected a JSON object with 'subdomain', "
                            "'data_classes' and 'events')");
      return std::nullopt;
    }
    DefsDocument document{&source, {}, {}};
    bool duplicates = false;
    try {
      document.root = parse_json_document(source.name, source.text, &duplicates);
    } catch (const JsonSyntaxError& e) {
      m_problems.add_placed(source, e.line(), e.column(), e.message());
      return std::nullopt;
    }
    if (duplicates) {
      m_problems.add_duplicate_keys(source);
    }
    try {
      check_document(document);
    } catch (const Skip&) {
      return std::nullopt;
    }
    return document;
  }

private:
  static const DefsSource* source_of(const std::vector<DefsDocument>& documents,
                                     const std::string& name)
  {
    for (const DefsDocument& document : documents) {
      if (document.source->name == name) {
        return document.source;
      }
    }
    return documents.front().source;
  }

  void check_document(DefsDocument& document)
  {
    const json& root = document.root;
    if (!root.is_object()) {
      fail(document, "",
           "expected a JSON object at the top level, got " + std::string(json_type_name(root)));
    }
    check_keys(document, root, "", {"catalog", "subdomain", "data_classes", "events"});
    if (auto it = root.find("catalog"); it != root.end()) {
      try {
        read_catalog(document, *it);
      } catch (const Skip&) {
      }
    }
    if (root.contains("data_classes") || root.contains("events")) {
      document.subdomain = require_string(document, root, "", "subdomain");
    }
    for (const char* list : {"data_classes", "events"}) {
      if (auto it = root.find(list); it != root.end()) {
        try {
          expect_type(document, list, *it, json::value_t::array);
          (list[0] == 'd' ? document.classes : document.events) = &*it;
        } catch (const Skip&) {
        }
      }
    }
  }

  void read_catalog(const DefsDocument& document, const json& catalog)
  {
    expect_type(document, "catalog", catalog, json::value_t::object);
    check_keys(document, catalog, "catalog", {"name", "version"});
    if (!m_catalog_origin.empty()) {
      fail(document, "catalog", "the catalog is already described by " + m_catalog_origin);
    }
    m_catalog_origin = document.source->name;
    m_catalog.m_library_name = require_string(document, catalog, "catalog", "name");
    m_catalog.m_library_version = require_string(document, catalog, "catalog", "version");
  }

  std::vector<PendingClass> register_classes(const DefsDocument& document)
  {
    std::vector<PendingClass> pending;
    const json* list = document.classes;
    for (std::size_t i = 0; list && i < list->size(); ++i) {
      try {
        pending.push_back(register_class(document, (*list)[i], i));
      } catch (const Skip&) {
      }
    }
    return pending;
  }

  PendingClass register_class(const DefsDocument& document, const json& definition, std::size_t i)
  {
    std::string path = "data_classes[" + std::to_string(i) + "]";
    expect_type(document, path, definition, json::value_t::object);
    check_keys(document, definition, path, {"name", "bases", "fields", "description"});
    DataClass cls;
    cls.subdomain = document.subdomain;
    cls.name = require_string(document, definition, path, "name");
    cls.origin = document.source->name;
    cls.description = optional_string(document, definition, path, "description").value_or("");
    const std::string qualified = cls.qualified_name();
    if (const DataClass* existing = m_catalog.find_class(qualified)) {
      fail(document, path + ".name",
           "data class '" + qualified + "' is already defined in " + existing->origin);
    }
    cls.defs_path = path;
    DataClass& stored = m_catalog.m_classes.emplace_back(std::move(cls));
    m_catalog.m_by_class.emplace(qualified, &stored);
    return {&stored, &definition, std::move(path)};
  }

  const DataClass* resolve_name(const DefsDocument& document, std::string_view name) const
  {
    if (name.find('.') != std::string_view::npos) {
      return m_catalog.find_class(name);
    }
    return m_catalog.find_class(document.subdomain + "." + std::string(name));
  }

  void resolve_class(const DefsDocument& document, const PendingClass& p)
  {
    const json& definition = *p.definition;
    if (auto bases = definition.find("bases"); bases != definition.end()) {
      try {
        expect_type(document, p.path + ".bases", *bases, json::value_t::array);
        for (std::size_t i = 0; i < bases->size(); ++i) {
          try {
            p.cls->bases.push_back(resolve_base(document, (*bases)[i],
                                                p.path + ".bases[" + std::to_string(i) + "]"));
          } catch (const Skip&) {
          }
        }
      } catch (const Skip&) {
      }
    }
    const json* fields = nullptr;
    try {
      fields = &require(document, definition, p.path, "fields", json::value_t::array);
    } catch (const Skip&) {
      return;
    }
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < fields->size(); ++i) {
      std::string path = p.path + ".fields[" + std::to_string(i) + "]";
      try {
        Field field = read_field(document, (*fields)[i], path);
        if (!seen.insert(field.name).second) {
          fail(document, path + ".name", "field '" + field.name + "' is defined twice");
        }
        field.defs_path = std::move(path);
        p.cls->own_fields.push_back(std::move(field));
      } catch (const Skip&) {
      }
    }
  }

  const DataClass* resolve_base(const DefsDocument& document, const json& value,
                                const std::string& path)
  {
    expect_type(document, path, value, json::value_t::string);
    const auto& name = value.get_ref<const std::string&>();
    const DataClass* base = resolve_name(document, name);
    if (!base) {
      fail(document, path, "unknown data class '" + name + "'", "unknown-class");
    }
    return base;
  }

  Field read_field(const DefsDocument& document, const json& definition, const std::string& path)
  {
    expect_type(document, path, definition, json::value_t::object);
    check_keys(document, definition, path, {"name", "type", "default", "factory", "description"});
    Field field;
    field.name = require_string(document, definition, path, "name");
    const std::string& expression = require_string(document, definition, path, "type");
    auto type =
      parse_type(expression, [&](std::string_view name) { return resolve_name(document, name); });
    if (!type) {
      fail(document, path + ".type", type.error(),
           type.error().starts_with("unknown type") ? "unknown-class" : "defs");
    }
    field.description = optional_string(document, definition, path, "description").value_or("");
    field.type = std::move(type).value();
    const auto default_it = definition.find("default");
    const auto factory_it = definition.find("factory");
    if (default_it != definition.end() && factory_it != definition.end()) {
      fail(document, path, "a field has either a 'default' or a 'factory', not both");
    }
    if (default_it != definition.end()) {
      field.default_value.kind = default_it->is_null() ? DefaultKind::none : DefaultKind::value;
      field.default_value.value = *default_it;
    } else if (factory_it != definition.end()) {
      expect_type(document, path + ".factory", *factory_it, json::value_t::string);
      const auto& factory = factory_it->get_ref<const std::string&>();
      if (factory != "str" && factory != "list" && factory != "dict") {
        fail(document, path + ".factory",
             "unknown factory '" + factory + "' (expected str, list or dict)");
      }
      field.default_value.kind = DefaultKind::factory;
      field.default_value.factory = factory;
    }
    return field;
  }

  void add_events(const DefsDocument& document)
  {
    const json* list = document.events;
    for (std::size_t i = 0; list && i < list->size(); ++i) {
      try {
        add_event(document, (*list)[i], "events[" + std::to_string(i) + "]");
      } catch (const Skip&) {
      }
    }
  }

  void add_event(const DefsDocument& document, const json& definition, std::string path)
  {
    expect_type(document, path, definition, json::value_t::object);
    check_keys(document, definition, path,
               {"event_type", "name", "minor_version", "description", "data", "key_field",
                "trigger_repository", "warning", "bus"});
    EventType event;
    event.event_type = require_string(document, definition, path, "event_type");
    if (event.event_type.find_first_of(" \t\n/") != std::string::npos) {
      fail(document, path + ".event_type",
           "event type '" + event.event_type + "' contains a space or '/'");
    }
    event.name = require_string(document, definition, path, "name");
    event.subdomain = document.subdomain;
    event.origin = document.source->name;
    if (auto it = definition.find("minor_version"); it != definition.end()) {
      expect_type(document, path + ".minor_version", *it, json::value_t::number_integer);
      if (*it < 0 || *it > 1'000'000) {
        problem(document, path + ".minor_version",
                "minor version " + it->dump() + " is not between 0 and 1000000", "minor-version");
      } else {
        event.minor_version = it->get<int>();
      }
    }
    event.description = optional_string(document, definition, path, "description").value_or("");
    event.key_field = optional_string(document, definition, path, "key_field");
    event.trigger_repository = optional_string(document, definition, path, "trigger_repository");
    event.warning = optional_string(document, definition, path, "warning");
    if (auto it = definition.find("bus"); it != definition.end()) {
      expect_type(document, path + ".bus", *it, json::value_t::boolean);
      event.bus = it->get<bool>();
    }
    const json& data = require(document, definition, path, "data", json::value_t::object);
    bool complete = true;
    for (const auto& [key, value] : data.items()) {
      try {
        expect_type(document, path + ".data", key, value, json::value_t::string);
        const auto& name = value.get_ref<const std::string&>();
        const DataClass* cls = resolve_name(document, name);
        if (!cls) {
          fail(document, path + ".data." + key, "unknown data class '" + name + "'",
               "unknown-class");
        }
        event.data.push_back({key, cls});
      } catch (const Skip&) {
        complete = false;
      }
    }
    if (const EventType* existing = m_catalog.find(event.event_type)) {
      fail(document, path + ".event_type",
           "event type '" + event.event_type + "' is already defined in " + existing->origin);
    }
    if (!complete) {
      return; // an event without all its data would mislead every later check
    }
    event.defs_path = std::move(path);
    const EventType& stored = m_catalog.m_events.emplace_back(std::move(event));
    m_catalog.m_by_type.emplace(stored.event_type, &stored);
    m_catalog.m_event_list.push_back(&stored);
  }

  Catalog& m_catalog;
  std::string m_catalog_origin;
  bool m_events_loaded = true;
};

Catalog Catalog::load(const std::vector<DefsSource>& sources)
{
  Catalog catalog;
  DefsLoader loader(catalog);
  loader.load(sources);
  if (!loader.sound()) {
    throw DefsError(loader.findings());
  }
  return catalog;
}

CatalogLoad Catalog::load_collecting(const std::vector<DefsSource>& sources)
{
  CatalogLoad result;
  DefsLoader loader(result.catalog);
  loader.load(sources);
  result.findings = loader.findings();
  result.events_loaded = loader.events_loaded();
  return result;
}

std::optional<Catalog> Catalog::load_for(std::string_view wanted,
                                         const std::vector<DefsSource>& user_sources)
{
  Catalog catalog;
  DefsLoader loader(catalog);
  std::vector<DefsDocument> user_documents;
  user_documents.reserve(user_sources.size());
  std::set<std::string, std::less<>> needed;
  bool found = false;
  for (const DefsSource& source : user_sources) {
    if (auto document = loader.read_document(source)) {
      user_documents.push_back(std::move(*document));
      add_references(user_documents.back().root, user_documents.back().subdomain, needed);
      found = found || defines_event(user_documents.back().root, wanted);
    }
  }
  if (!loader.sound()) {
    throw DefsError(loader.findings());
  }
  const std::span<const EmbeddedFile> files = embedded_defs();
  std::vector<DefsSource> builtin(files.size());
  std::vector<std::optional<DefsDocument>> builtin_documents(files.size());
  std::vector<bool> chosen(files.size(), false);
  for (std::size_t i = 0; i < files.size(); ++i) {
    chosen[i] = files[i].subdomain.empty(); // catalog.json: the library version
    for (const EmbeddedEvent& event : files[i].events) {
      if (event.event_type == wanted || iequals(event.name, wanted)) {
        chosen[i] = true;
        found = true;
      }
    }
  }
  if (!found) {
    return std::nullopt;
  }
  // Every file of a subdomain that a loaded document may refer to, until none is missing.
  for (bool grew = true; grew;) {
    grew = false;
    for (std::size_t i = 0; i < files.size(); ++i) {
      chosen[i] = chosen[i] || needed.contains(files[i].subdomain);
      if (chosen[i] && !builtin_documents[i]) {
        builtin[i] = {"<builtin>/" + std::string(files[i].name), std::string(files[i].text)};
        builtin_documents[i] = loader.read_document(builtin[i]);
        if (!builtin_documents[i]) {
          throw DefsError(loader.findings());
        }
        add_references(builtin_documents[i]->root, builtin_documents[i]->subdomain, needed);
        grew = true;
      }
    }
  }
  std::vector<DefsDocument> documents;
  for (std::optional<DefsDocument>& document : builtin_documents) {
    if (document) {
      documents.push_back(std::move(*document));
    }
  }
  std::move(user_documents.begin(), user_documents.end(), std::back_inserter(documents));
  loader.load_documents(documents);
  if (!loader.sound()) {
    throw DefsError(loader.findings());
  }
  return catalog;
}

} // namespace oex
