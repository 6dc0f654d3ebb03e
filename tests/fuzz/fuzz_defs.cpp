// libFuzzer target: the definitions loader. The input is a definitions file, loaded beside the
// built-in catalog (fully and through Catalog::load_for); each event it defines then goes
// through what the commands do with it: the JSON Schema and Avro exports, the field tree that
// show prints, and samples, which must validate. The same documents are also loaded collecting
// every problem and linted, which must never fail.
//   build-fuzz/tests/fuzz/fuzz_defs tests/fuzz/corpus/defs

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "oex/avro/avro_schema.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/lint/lint.hpp"
#include "oex/payload/json_schema.hpp"
#include "oex/payload/sample.hpp"
#include "oex/payload/validate.hpp"
#include "oex/util/error.hpp"

namespace {

void require(bool condition)
{
  if (!condition) {
    std::abort();
  }
}

// What show walks: every field's spelling, nested classes once per path.
std::size_t walk(const oex::DataClass& cls, std::vector<const oex::DataClass*>& path)
{
  std::size_t fields = 0;
  path.push_back(&cls);
  for (const oex::Field& field : cls.fields) {
    fields += 1 + field.type.spelling().size() % 2;
    const oex::Type* type = &field.type;
    while (type->element) {
      type = type->element.get();
    }
    if (type->kind == oex::TypeKind::record && fields < 2000
        && std::find(path.begin(), path.end(), type->record) == path.end()) {
      fields += walk(*type->record, path);
    }
  }
  path.pop_back();
  return fields;
}

void exercise(const oex::EventType& event)
{
  (void)oex::json_schema(event).dump();
  try {
    (void)oex::avro_schema(event).dump();
  } catch (const oex::Error&) {
    // an unsupported type or an event marked off the bus
  }
  for (const oex::DataKey& key : event.data) {
    std::vector<const oex::DataClass*> path;
    (void)walk(*key.data_class, path);
  }
  oex::PayloadValidator validator(event);
  for (std::uint64_t seed = 0; seed < 2; ++seed) {
    try {
      const std::string sample = oex::sample_payload(event, {seed, seed == 1}).dump();
      require(validator.check(sample).valid());
    } catch (const oex::Error&) {
      // a payload too large to sample
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  static const std::vector<oex::DefsSource> k_builtin = oex::Catalog::builtin_sources();
  const oex::DefsSource user{"fuzz/defs.json",
                             std::string(reinterpret_cast<const char*>(data), size)};
  std::vector<oex::DefsSource> sources = k_builtin;
  sources.push_back(user);
  const oex::CatalogLoad collected = oex::Catalog::load_collecting(sources);
  const std::vector<oex::Finding> findings = oex::lint_catalog(collected, sources, {user.name});
  for (const oex::Finding& finding : findings) {
    require(finding.file == user.name && finding.line > 0 && !finding.rule.empty());
  }
  std::optional<oex::Catalog> catalog;
  try {
    catalog.emplace(oex::Catalog::load(sources));
  } catch (const oex::Error&) {
    require(!collected.findings.empty()); // refused with a message: what a broken file must get
    return 0;
  }
  require(collected.findings.empty());
  for (const oex::EventType* event : catalog->all_events()) {
    if (event->origin != user.name) {
      continue;
    }
    exercise(*event);
    const auto partial = oex::Catalog::load_for(event->event_type, {user});
    require(partial.has_value());
    const oex::EventType& found = partial->lookup(event->event_type);
    require(found.data.size() == event->data.size());
    for (std::size_t i = 0; i < found.data.size(); ++i) {
      require(found.data[i].data_class->fields.size() == event->data[i].data_class->fields.size());
    }
  }
  return 0;
}
