// Turns definition documents (event-defs/*.json and user --defs files) into a Catalog.
//
// Loading runs in phases so that a data class may use classes defined later, in the same file or
// another: parse every document, register every data class, resolve bases and field types, lay
// out fields in attrs order, then add the events.

#include <algorithm>
#include <iterator>
#include <set>
#include <span>

#include "catalog/class_graph.hpp"
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

struct Document
{
  const DefsSource* source;
  json root;
  std::string subdomain;
};

} // namespace

class DefsLoader
{
public:
  explicit DefsLoader(Catalog& catalog)
    : m_catalog(catalog)
  {
  }

  void load(const std::vector<DefsSource>& sources)
  {
    std::vector<Document> documents;
    documents.reserve(sources.size());
    for (const DefsSource& source : sources) {
      documents.push_back(read_document(source));
    }
    load_documents(documents);
  }

  // The phases after parsing, over documents in the order they were given.
  void load_documents(const std::vector<Document>& documents)
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
    lay_out_all_fields(m_catalog.m_classes);
    check_class_graph(m_catalog.m_classes);
    for (const Document& document : documents) {
      add_events(document);
    }
  }

  Document read_document(const DefsSource& source)
  {
    if (source.text.find_first_not_of(" \t\r\n") == std::string::npos) {
      throw Error(source.name
                  + ": empty file (expected a JSON object with 'subdomain', "
                    "'data_classes' and 'events')");
    }
    Document document{&source, parse_json_document(source.name, source.text), {}};
    check_document(document);
    return document;
  }

private:
  [[noreturn]] static void fail(const Document& document, const std::string& path,
                                const std::string& message)
  {
    throw Error(document.source->name + ": " + (path.empty() ? "" : path + ": ") + message);
  }

  static const json& require(const Document& document, const json& object, const std::string& path,
                             const char* key, json::value_t type)
  {
    auto it = object.find(key);
    if (it == object.end()) {
      fail(document, path, std::string("missing required attribute '") + key + "'");
    }
    expect_type(document, path, key, *it, type);
    return *it;
  }

  // Fails unless value has the type; the place is path, or path.key when key is not empty (built
  // only on failure: loading runs at every start of oex).
  static void expect_type(const Document& document, const std::string& path, std::string_view key,
                          const json& value, json::value_t type)
  {
    const bool ok =
      type == json::value_t::number_integer ? value.is_number_integer() : value.type() == type;
    if (!ok) {
      fail(document,
           key.empty()    ? path
           : path.empty() ? std::string(key)
                          : path + "." + std::string(key),
           "expected " + std::string(json_type_name(json(type))) + ", got "
             + std::string(json_type_name(value)));
    }
  }

  static void expect_type(const Document& document, const std::string& path, const json& value,
                          json::value_t type)
  {
    expect_type(document, path, {}, value, type);
  }

  static const std::string& require_string(const Document& document, const json& object,
                                           const std::string& path, const char* key)
  {
    const json& value = require(document, object, path, key, json::value_t::string);
    if (value.get_ref<const std::string&>().empty()) {
      fail(document, path + "." + key, "must not be empty");
    }
    return value.get_ref<const std::string&>();
  }

  static std::optional<std::string> optional_string(const Document& document, const json& object,
                                                    const std::string& path, const char* key)
  {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
      return std::nullopt;
    }
    expect_type(document, path, key, *it, json::value_t::string);
    return it->get<std::string>();
  }

  static void check_keys(const Document& document, const json& object, const std::string& path,
                         std::initializer_list<std::string_view> allowed)
  {
    for (const auto& [key, value] : object.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        fail(document, path, "unknown attribute '" + key + "'");
      }
    }
  }

  void check_document(Document& document)
  {
    const DefsSource& source = *document.source;
    const json& root = document.root;
    if (!root.is_object()) {
      fail(document, "",
           "expected a JSON object at the top level, got " + std::string(json_type_name(root)));
    }
    check_keys(document, root, "", {"catalog", "subdomain", "data_classes", "events"});
    if (auto it = root.find("catalog"); it != root.end()) {
      expect_type(document, "catalog", *it, json::value_t::object);
      check_keys(document, *it, "catalog", {"name", "version"});
      if (!m_catalog_origin.empty()) {
        fail(document, "catalog", "the catalog is already described by " + m_catalog_origin);
      }
      m_catalog_origin = source.name;
      m_catalog.m_library_name = require_string(document, *it, "catalog", "name");
      m_catalog.m_library_version = require_string(document, *it, "catalog", "version");
    }
    if (root.contains("data_classes") || root.contains("events")) {
      document.subdomain = require_string(document, root, "", "subdomain");
    }
    for (const char* list : {"data_classes", "events"}) {
      if (auto it = root.find(list); it != root.end()) {
        expect_type(document, list, *it, json::value_t::array);
      }
    }
  }

  std::vector<PendingClass> register_classes(const Document& document)
  {
    std::vector<PendingClass> pending;
    auto list = document.root.find("data_classes");
    if (list == document.root.end()) {
      return pending;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string path = "data_classes[" + std::to_string(i) + "]";
      const json& definition = (*list)[i];
      expect_type(document, path, definition, json::value_t::object);
      check_keys(document, definition, path, {"name", "bases", "fields", "description"});
      DataClass cls;
      cls.subdomain = document.subdomain;
      cls.name = require_string(document, definition, path, "name");
      cls.origin = document.source->name;
      const std::string qualified = cls.qualified_name();
      if (const DataClass* existing = m_catalog.find_class(qualified)) {
        fail(document, path,
             "data class '" + qualified + "' is already defined in " + existing->origin);
      }
      DataClass& stored = m_catalog.m_classes.emplace_back(std::move(cls));
      m_catalog.m_by_class.emplace(qualified, &stored);
      pending.push_back({&stored, &definition, path});
    }
    return pending;
  }

  const DataClass* resolve_name(const Document& document, std::string_view name) const
  {
    if (name.find('.') != std::string_view::npos) {
      return m_catalog.find_class(name);
    }
    return m_catalog.find_class(document.subdomain + "." + std::string(name));
  }

  void resolve_class(const Document& document, const PendingClass& p)
  {
    const json& definition = *p.definition;
    if (auto bases = definition.find("bases"); bases != definition.end()) {
      expect_type(document, p.path + ".bases", *bases, json::value_t::array);
      for (std::size_t i = 0; i < bases->size(); ++i) {
        const std::string path = p.path + ".bases[" + std::to_string(i) + "]";
        expect_type(document, path, (*bases)[i], json::value_t::string);
        const auto& name = (*bases)[i].get_ref<const std::string&>();
        const DataClass* base = resolve_name(document, name);
        if (!base) {
          fail(document, path, "unknown data class '" + name + "'");
        }
        p.cls->bases.push_back(base);
      }
    }
    const json& fields = require(document, definition, p.path, "fields", json::value_t::array);
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const std::string path = p.path + ".fields[" + std::to_string(i) + "]";
      p.cls->own_fields.push_back(read_field(document, fields[i], path));
      if (!seen.insert(p.cls->own_fields.back().name).second) {
        fail(document, path, "field '" + p.cls->own_fields.back().name + "' is defined twice");
      }
    }
  }

  Field read_field(const Document& document, const json& definition, const std::string& path)
  {
    expect_type(document, path, definition, json::value_t::object);
    check_keys(document, definition, path, {"name", "type", "default", "factory", "description"});
    Field field;
    field.name = require_string(document, definition, path, "name");
    const std::string& expression = require_string(document, definition, path, "type");
    auto type =
      parse_type(expression, [&](std::string_view name) { return resolve_name(document, name); });
    if (!type) {
      fail(document, path + ".type", type.error());
    }
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

  void add_events(const Document& document)
  {
    auto list = document.root.find("events");
    if (list == document.root.end()) {
      return;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string path = "events[" + std::to_string(i) + "]";
      const json& definition = (*list)[i];
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
          fail(document, path + ".minor_version", "must be between 0 and 1000000");
        }
        event.minor_version = it->get<int>();
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
      for (const auto& [key, value] : data.items()) {
        expect_type(document, path + ".data", key, value, json::value_t::string);
        const auto& name = value.get_ref<const std::string&>();
        const DataClass* cls = resolve_name(document, name);
        if (!cls) {
          fail(document, path + ".data." + key, "unknown data class '" + name + "'");
        }
        event.data.push_back({key, cls});
      }
      if (const EventType* existing = m_catalog.find(event.event_type)) {
        fail(document, path,
             "event type '" + event.event_type + "' is already defined in " + existing->origin);
      }
      const EventType& stored = m_catalog.m_events.emplace_back(std::move(event));
      m_catalog.m_by_type.emplace(stored.event_type, &stored);
      m_catalog.m_event_list.push_back(&stored);
    }
  }

  Catalog& m_catalog;
  std::string m_catalog_origin;
};

Catalog Catalog::load(const std::vector<DefsSource>& sources)
{
  Catalog catalog;
  DefsLoader(catalog).load(sources);
  return catalog;
}

std::optional<Catalog> Catalog::load_for(std::string_view wanted,
                                         const std::vector<DefsSource>& user_sources)
{
  Catalog catalog;
  DefsLoader loader(catalog);
  std::vector<Document> user_documents;
  user_documents.reserve(user_sources.size());
  std::set<std::string, std::less<>> needed;
  bool found = false;
  for (const DefsSource& source : user_sources) {
    user_documents.push_back(loader.read_document(source));
    add_references(user_documents.back().root, user_documents.back().subdomain, needed);
    found = found || defines_event(user_documents.back().root, wanted);
  }
  const std::span<const EmbeddedFile> files = embedded_defs();
  std::vector<DefsSource> builtin(files.size());
  std::vector<std::optional<Document>> builtin_documents(files.size());
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
        add_references(builtin_documents[i]->root, builtin_documents[i]->subdomain, needed);
        grew = true;
      }
    }
  }
  std::vector<Document> documents;
  for (std::optional<Document>& document : builtin_documents) {
    if (document) {
      documents.push_back(std::move(*document));
    }
  }
  std::move(user_documents.begin(), user_documents.end(), std::back_inserter(documents));
  loader.load_documents(documents);
  return catalog;
}

} // namespace oex
