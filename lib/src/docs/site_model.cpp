// The facts the pages of `oex docs` share: who uses each class, and the --against verdicts.

#include "site_model.hpp"

#include <set>

#include <nlohmann/json.hpp>

#include "oex/avro/avro_schema.hpp"
#include "oex/avro/compat.hpp"
#include "oex/avro/schema.hpp"
#include "oex/catalog/field_tree.hpp"

namespace oex::docs {
namespace {

// Every class reachable from cls through its fields (cls included), each once.
void reach(const DataClass& cls, std::set<const DataClass*>& seen,
           std::vector<const DataClass*>& order)
{
  std::vector<const DataClass*> stack{&cls};
  while (!stack.empty()) {
    const DataClass* current = stack.back();
    stack.pop_back();
    if (!seen.insert(current).second) {
      continue;
    }
    order.push_back(current);
    for (const Field& field : current->fields) {
      if (const DataClass* nested = record_of(field.type)) {
        stack.push_back(nested);
      }
    }
  }
}

const char* direction_word(avro::Direction direction)
{
  return direction == avro::Direction::backward ? "backward" : "forward";
}

CompatResult compare(const EventType& event, const SiteOptions& options)
{
  CompatResult result;
  if (avro_schema_problem(event)) {
    return result; // no_avro
  }
  const auto stored = options.stored_schemas.find(avro_schema_file_name(event));
  if (stored == options.stored_schemas.end()) {
    result.status = CompatResult::Status::added;
    return result;
  }
  const std::string name = *options.against + "/" + stored->first;
  const avro::Schema old_schema = avro::parse_schema(name, stored->second);
  for (const auto& found :
       avro::compatibility(old_schema, avro::event_schema(event), avro::Direction::full)) {
    result.reasons.push_back(std::string(direction_word(found.direction)) + ": "
                             + (found.path.empty() ? "" : found.path + ": ") + found.reason);
  }
  if (!result.reasons.empty()) {
    result.status = CompatResult::Status::incompatible;
  } else {
    // parse_schema has read the text, so it is JSON.
    const bool same = nlohmann::ordered_json::parse(stored->second) == avro_schema(event);
    result.status = same ? CompatResult::Status::unchanged : CompatResult::Status::changed;
  }
  return result;
}

} // namespace

const std::vector<ClassUse>& SiteModel::uses_of(const DataClass& cls) const
{
  static const std::vector<ClassUse> k_none;
  const auto found = uses.find(&cls);
  return found == uses.end() ? k_none : found->second;
}

std::string_view status_word(CompatResult::Status status)
{
  switch (status) {
  case CompatResult::Status::unchanged:
    return "unchanged";
  case CompatResult::Status::changed:
    return "changed, compatible";
  case CompatResult::Status::incompatible:
    return "incompatible";
  case CompatResult::Status::added:
    return "new";
  case CompatResult::Status::no_avro:
    return "no Avro schema";
  }
  return "";
}

bool is_stored_schema_name(const std::string& file_name)
{
  static constexpr std::string_view k_suffix = "_schema.avsc";
  return file_name.size() > k_suffix.size() && file_name.ends_with(k_suffix);
}

SiteModel make_model(const Catalog& catalog, const SiteOptions& options)
{
  SiteModel model;
  model.catalog = &catalog;
  model.options = &options;
  model.title = options.title.empty()
                  ? catalog.library_name() + " " + catalog.library_version() + " events"
                  : options.title;
  for (const EventType* event : catalog.all_events()) {
    std::set<const DataClass*> seen;
    std::vector<const DataClass*> order;
    std::set<const DataClass*> keys;
    for (const DataKey& key : event->data) {
      keys.insert(key.data_class);
      reach(*key.data_class, seen, order);
    }
    for (const DataClass* cls : order) {
      model.uses[cls].push_back({event, keys.contains(cls)});
    }
  }
  for (const DataClass& cls : catalog.data_classes()) {
    std::set<const DataClass*> listed;
    for (const Field& field : cls.fields) {
      const DataClass* nested = record_of(field.type);
      if (nested && listed.insert(nested).second) {
        model.used_in[nested].push_back(&cls);
      }
    }
  }
  if (options.against) {
    std::set<std::string> known;
    for (const EventType* event : catalog.all_events()) {
      model.compat[event] = compare(*event, options);
      known.insert(avro_schema_file_name(*event));
    }
    for (const auto& [file_name, text] : options.stored_schemas) {
      if (!known.contains(file_name)) {
        model.removed.push_back(file_name);
      }
    }
  }
  return model;
}

} // namespace oex::docs
