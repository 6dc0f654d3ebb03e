// The lint rules over a loaded catalog. Each rule looks at one event type or data class and says
// where in its definition file the problem is; DefsProblems turns those paths into line:col.

#include "oex/lint/lint.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <tuple>
#include <unordered_set>

#include "catalog/defs_problems.hpp"
#include "oex/avro/avro_schema.hpp"
#include "oex/catalog/key_field.hpp"
#include "oex/util/text.hpp"

namespace oex {
namespace {

constexpr std::array k_rules = {
  LintRule{"defs", Severity::error, "the definition file's form: JSON, attributes and their types"},
  LintRule{"unknown-class", Severity::error, "a data class or type that does not exist"},
  LintRule{"required-cycle", Severity::error, "a data class that requires itself"},
  LintRule{"minor-version", Severity::error, "a minor version that is not between 0 and 1000000"},
  LintRule{"event-type-name", Severity::error,
           "an event type that is not org.openedx.<subdomain>.<subject>.<action>.v<N>"},
  LintRule{"avro-name", Severity::error,
           "a part of the event type that is not a valid Avro name (the schema's namespace)"},
  LintRule{"subdomain", Severity::error,
           "an event type whose subdomain is not its definition file's"},
  LintRule{"data-key", Severity::error, "a data key that is not a Python identifier"},
  LintRule{"key-field", Severity::error,
           "a key field that does not resolve, or not to a string or integer"},
  LintRule{"bus-type", Severity::warning,
           "an event for the bus with a field type that cannot be serialized"},
  LintRule{"bus-warning", Severity::warning,
           "a warning that the event cannot go on the bus, when its types allow it"},
  LintRule{"unused-class", Severity::warning, "a data class no event uses"},
  LintRule{"description", Severity::warning, "an event or data class without a description"},
  LintRule{"trigger-repository", Severity::warning, "an event without a trigger repository"},
};

bool is_identifier(std::string_view word)
{
  if (word.empty() || (word[0] >= '0' && word[0] <= '9')) {
    return false;
  }
  return std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::vector<std::string_view> split_dots(std::string_view text)
{
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const std::size_t dot = text.find('.', start);
    parts.push_back(text.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) {
      return parts;
    }
    start = dot + 1;
  }
}

bool is_major_version(std::string_view part)
{
  return part.size() >= 2 && part[0] == 'v' && part[1] >= '1' && part[1] <= '9'
         && std::all_of(part.begin() + 1, part.end(), [](char c) { return c >= '0' && c <= '9'; });
}

class Linter
{
public:
  explicit Linter(const std::vector<DefsSource>& sources)
  {
    for (const DefsSource& source : sources) {
      m_sources.emplace(source.name, &source);
    }
  }

  void event(const EventType& e)
  {
    const std::string at = e.defs_path + ".event_type";
    event_type_name(e, at);
    for (const DataKey& key : e.data) {
      if (!is_identifier(key.name)) {
        add(e, e.defs_path + ".data." + key.name, "data-key",
            "data key '" + key.name + "' of '" + e.event_type
              + "' is not a Python identifier (letters, digits and '_', not starting with a digit)",
            true);
      }
    }
    if (e.key_field) {
      if (auto problem = key_field_problem(e, *e.key_field)) {
        add(e, e.defs_path + ".key_field", "key-field", "'" + e.event_type + "': " + *problem);
      }
    }
    const std::optional<std::string> bus_problem = e.bus ? avro_schema_problem(e) : std::nullopt;
    if (bus_problem) {
      add(e, e.defs_path, "bus-type",
          *bus_problem + " (set \"bus\": false if it is not meant for the bus)");
    } else if (e.warning && says_no_bus(*e.warning) && !avro_schema_problem(e)) {
      add(e, e.defs_path + ".warning", "bus-warning",
          "'" + e.event_type
            + "' warns that it cannot go on the event bus, but its types can be serialized");
    }
    if (e.description.empty()) {
      add(e, e.defs_path, "description", "event type '" + e.event_type + "' has no description");
    }
    if (!e.trigger_repository) {
      add(e, e.defs_path, "trigger-repository",
          "event type '" + e.event_type + "' has no trigger repository");
    }
  }

  void data_class(const DataClass& cls, bool used)
  {
    if (!used) {
      add(cls, cls.defs_path, "unused-class",
          "data class '" + cls.qualified_name() + "' is not used by any event");
    }
    if (cls.description.empty()) {
      add(cls, cls.defs_path, "description",
          "data class '" + cls.qualified_name() + "' has no description");
    }
  }

  std::vector<Finding> take(std::vector<Finding> load_findings)
  {
    std::vector<Finding> out = std::move(load_findings);
    std::vector<Finding> mine = m_problems.take();
    for (std::size_t i = 0; i < mine.size(); ++i) {
      mine[i].event_type = m_subjects[i].event_type;
      mine[i].data_class = m_subjects[i].data_class;
      out.push_back(std::move(mine[i]));
    }
    for (Finding& finding : out) {
      if (const LintRule* rule = find_lint_rule(finding.rule)) {
        finding.severity = rule->severity;
      }
    }
    std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
      return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
    });
    return out;
  }

private:
  struct Subject
  {
    std::string event_type;
    std::string data_class;
  };

  static bool says_no_bus(std::string_view warning)
  {
    return icontains(warning, "event bus")
           && (icontains(warning, "cannot") || icontains(warning, "not serializable"));
  }

  static bool icontains(std::string_view text, std::string_view word)
  {
    return std::search(text.begin(), text.end(), word.begin(), word.end(),
                       [](char a, char b) {
                         return std::tolower(static_cast<unsigned char>(a))
                                == std::tolower(static_cast<unsigned char>(b));
                       })
           != text.end();
  }

  void event_type_name(const EventType& e, const std::string& at)
  {
    const std::string& type = e.event_type;
    const std::vector<std::string_view> parts = split_dots(type);
    const char* expected = " (expected org.openedx.<subdomain>.<subject>.<action>.v<N>)";
    if (type.rfind("org.openedx.", 0) != 0) {
      add(e, at, "event-type-name",
          "event type '" + type + "' does not start with 'org.openedx.'" + expected);
    } else if (!is_major_version(parts.back())) {
      add(e, at, "event-type-name",
          "event type '" + type + "' does not end in a major version ('.v1', '.v2', ...)");
    } else if (parts.size() < 6) {
      add(e, at, "event-type-name",
          "event type '" + type + "' lacks a subject or an action" + expected);
    }
    for (std::string_view part : parts) {
      if (!is_identifier(part)) {
        add(e, at, "avro-name",
            "event type '" + type + "': '" + std::string(part)
              + "' is not a valid Avro name (letters, digits and '_', not starting with a digit)");
        break;
      }
    }
    if (parts.size() >= 3 && type.rfind("org.openedx.", 0) == 0 && parts[2] != e.subdomain) {
      add(e, at, "subdomain",
          "event type '" + type + "' names subdomain '" + std::string(parts[2])
            + "' but is defined in subdomain '" + e.subdomain + "'");
    }
  }

  void add(const EventType& e, std::string path, const char* rule, std::string message,
           bool at_key = false)
  {
    m_problems.add(*m_sources.at(e.origin), std::move(path), std::move(message), rule, at_key);
    m_subjects.push_back({e.event_type, {}});
  }

  void add(const DataClass& cls, std::string path, const char* rule, std::string message)
  {
    m_problems.add(*m_sources.at(cls.origin), std::move(path), std::move(message), rule);
    m_subjects.push_back({{}, cls.qualified_name()});
  }

  std::map<std::string, const DefsSource*, std::less<>> m_sources;
  DefsProblems m_problems;
  std::vector<Subject> m_subjects;
};

// The data classes some event uses: through its data, fields (in lists and dicts too) and bases.
std::unordered_set<const DataClass*> used_classes(const Catalog& catalog)
{
  std::unordered_set<const DataClass*> used;
  std::vector<const DataClass*> todo;
  auto reach = [&](const DataClass* cls) {
    if (cls && used.insert(cls).second) {
      todo.push_back(cls);
    }
  };
  for (const EventType* e : catalog.all_events()) {
    for (const DataKey& key : e->data) {
      reach(key.data_class);
    }
  }
  while (!todo.empty()) {
    const DataClass* cls = todo.back();
    todo.pop_back();
    for (const DataClass* base : cls->bases) {
      reach(base);
    }
    for (const Field& field : cls->own_fields) {
      const Type* t = &field.type;
      while (t->element) {
        t = t->element.get();
      }
      reach(t->kind == TypeKind::record ? t->record : nullptr);
    }
  }
  return used;
}

} // namespace

std::span<const LintRule> lint_rules()
{
  return k_rules;
}

const LintRule* find_lint_rule(std::string_view id)
{
  for (const LintRule& rule : k_rules) {
    if (rule.id == id) {
      return &rule;
    }
  }
  return nullptr;
}

std::vector<Finding> lint_catalog(const CatalogLoad& load, const std::vector<DefsSource>& sources,
                                  const std::set<std::string, std::less<>>& files)
{
  Linter linter(sources);
  for (const EventType* e : load.catalog.all_events()) {
    if (files.contains(e->origin)) {
      linter.event(*e);
    }
  }
  // A file with an unknown class may have lost what used its classes (the event or field that
  // names the unknown class is left out): no unused-class findings there. After a problem in
  // the class graph no event is loaded at all: none anywhere.
  std::set<std::string, std::less<>> incomplete;
  const bool no_events = !load.events_loaded;
  for (const Finding& finding : load.findings) {
    if (finding.rule == "unknown-class") {
      incomplete.insert(finding.file);
    }
  }
  const std::unordered_set<const DataClass*> used = used_classes(load.catalog);
  for (const DataClass& cls : load.catalog.data_classes()) {
    if (files.contains(cls.origin)) {
      linter.data_class(cls, no_events || used.contains(&cls) || incomplete.contains(cls.origin));
    }
  }
  std::vector<Finding> load_findings;
  for (const Finding& finding : load.findings) {
    if (files.contains(finding.file)) {
      load_findings.push_back(finding);
      if (!finding.path.empty()) {
        // The loader's messages rely on the path to say which attribute they are about.
        load_findings.back().message = finding.path + ": " + finding.message;
      }
    }
  }
  return linter.take(std::move(load_findings));
}

} // namespace oex
