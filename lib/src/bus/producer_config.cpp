#include "oex/bus/producer_config.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "oex/avro/avro_schema.hpp"
#include "oex/catalog/key_field.hpp"
#include "oex/util/json_value.hpp"
#include "oex/util/text.hpp"

namespace oex {
namespace {

constexpr std::array k_rules = {
  ConfigRule{"config-json", Severity::error},    ConfigRule{"config-shape", Severity::error},
  ConfigRule{"duplicate-key", Severity::error},  ConfigRule{"unknown-event-type", Severity::error},
  ConfigRule{"not-on-bus", Severity::error},     ConfigRule{"missing-key", Severity::error},
  ConfigRule{"value-type", Severity::error},     ConfigRule{"key-field", Severity::error},
  ConfigRule{"topic-name", Severity::error},     ConfigRule{"unknown-key", Severity::warning},
  ConfigRule{"shared-topic", Severity::warning}, ConfigRule{"no-topics", Severity::note},
};

// Kafka's own limit (Topic.MAX_NAME_LENGTH): 249 characters of [a-zA-Z0-9._-], not "." or "..".
constexpr std::size_t k_max_topic_length = 249;

std::string_view kind_name(JsonKind kind)
{
  switch (kind) {
  case JsonKind::null:
    return "null";
  case JsonKind::boolean:
    return "boolean";
  case JsonKind::number:
    return "number";
  case JsonKind::string:
    return "string";
  case JsonKind::array:
    return "array";
  case JsonKind::object:
    return "object";
  }
  return "value";
}

// Why Kafka would refuse the topic name, or empty.
std::string topic_problem(std::string_view topic)
{
  if (topic.empty()) {
    return "topic name is empty";
  }
  if (topic == "." || topic == "..") {
    return "topic name '" + std::string(topic) + "' is not allowed by Kafka";
  }
  if (topic.size() > k_max_topic_length) {
    return "topic name is " + std::to_string(topic.size())
           + " characters long; Kafka allows at most " + std::to_string(k_max_topic_length)
           + " (with the EVENT_BUS_TOPIC_PREFIX added)";
  }
  for (char c : topic) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
    if (!ok) {
      return "topic name '" + std::string(topic) + "' has '" + escape_control(std::string(1, c))
             + "'; Kafka allows only letters, digits, '.', '_' and '-'";
    }
  }
  return {};
}

class ConfigChecker
{
public:
  ConfigChecker(std::string_view name, std::string_view text, const Catalog& catalog)
    : m_name(name)
    , m_text(text)
    , m_lines(text)
    , m_catalog(catalog)
  {
  }

  ProducerConfigCheck run()
  {
    const JsonParseResult parsed = parse_json_with_positions(m_text);
    if (!parsed.value) {
      add(parsed.error_offset, "", "config-json", "invalid JSON: " + parsed.error);
      return finish();
    }
    for (const DuplicateKey& duplicate : duplicate_keys(*parsed.value)) {
      add(duplicate.offset, duplicate.path, "duplicate-key",
          "duplicate key '" + duplicate.key + "': only the last one would count");
    }
    const JsonValue& root = *parsed.value;
    if (root.kind != JsonKind::object) {
      add(root.offset, "", "config-shape",
          "expected an object of event types, got " + std::string(kind_name(root.kind)));
      return finish();
    }
    for (const JsonMember& member : root.members) {
      event_config(member);
    }
    m_current_type.clear();
    shared_topics();
    return finish();
  }

private:
  struct Use
  {
    std::string event_type;
    std::string key_field;
    std::size_t offset;
    std::string path;
  };

  void event_config(const JsonMember& member)
  {
    const std::string& type = member.key;
    m_current_type = type;
    m_config.routes.erase(type); // a repeated event type replaces the earlier one, as in Python
    const EventType* event = m_catalog.find(type);
    if (!event) {
      std::vector<std::string_view> types;
      for (const EventType* e : m_catalog.all_events()) {
        types.push_back(e->event_type);
      }
      const auto suggestion = closest_match(type, types);
      add(member.key_offset, type, "unknown-event-type",
          "unknown event type '" + type + "'"
            + (suggestion ? "; did you mean '" + *suggestion + "'?" : std::string()));
    }
    const JsonValue& topics = member.value;
    if (topics.kind != JsonKind::object) {
      add(topics.offset, type, "config-shape",
          "the configuration of '" + type + "' must be an object of topics, got "
            + std::string(kind_name(topics.kind)));
      return;
    }
    if (topics.members.empty()) {
      add(topics.offset, type, "no-topics", "'" + type + "' has no topics: it is never produced");
      return;
    }
    bool any_enabled = false;
    for (const JsonMember& topic : topics.members) {
      any_enabled = topic_config(event, type, topic) || any_enabled;
    }
    if (event) {
      if (auto problem = avro_schema_problem(*event)) {
        add(member.key_offset, type, "not-on-bus",
            "'" + type + "' cannot go on the event bus: " + *problem
              + (any_enabled ? "" : " (every topic is disabled)"),
            any_enabled ? Severity::error : Severity::note);
      }
    }
  }

  // Checks one topic's configuration; true when it is enabled.
  bool topic_config(const EventType* event, const std::string& type, const JsonMember& topic)
  {
    const std::size_t errors_before = error_count();
    const std::string path = type + "." + topic.key;
    if (std::string problem = topic_problem(topic.key); !problem.empty()) {
      add(topic.key_offset, path, "topic-name", problem);
    }
    const JsonValue& config = topic.value;
    if (config.kind != JsonKind::object) {
      add(config.offset, path, "config-shape",
          "the configuration of topic '" + topic.key + "' must be an object, got "
            + std::string(kind_name(config.kind)));
      return false;
    }
    const JsonValue* key_field = nullptr;
    const JsonValue* enabled = nullptr;
    for (const JsonMember& m : config.members) {
      if (m.key == "event_key_field") {
        key_field = &m.value;
      } else if (m.key == "enabled") {
        enabled = &m.value;
      } else {
        static constexpr std::string_view k_keys[] = {"event_key_field", "enabled"};
        const auto suggestion = closest_match(m.key, k_keys);
        add(m.key_offset, path + "." + m.key, "unknown-key",
            "unknown key '" + m.key + "'"
              + (suggestion ? "; did you mean '" + *suggestion + "'?"
                            : " (openedx-events reads only 'event_key_field' and 'enabled')"));
      }
    }
    for (const auto& [value, key] :
         {std::pair{key_field, "event_key_field"}, std::pair{enabled, "enabled"}}) {
      if (!value) {
        add(config.offset, path, "missing-key", std::string("missing key '") + key + "'");
      }
    }
    if (enabled && enabled->kind != JsonKind::boolean) {
      add(enabled->offset, path + ".enabled", "value-type",
          "'enabled' must be true or false, got " + std::string(kind_name(enabled->kind)));
    }
    if (key_field && key_field->kind != JsonKind::string) {
      add(key_field->offset, path + ".event_key_field", "value-type",
          "'event_key_field' must be a string, got " + std::string(kind_name(key_field->kind)));
    } else if (key_field && event) {
      const std::string& text = key_field->text;
      if (auto problem = key_field_problem(*event, text)) {
        add(key_field->offset, path + ".event_key_field", "key-field", *problem);
      }
      m_uses[topic.key].push_back({type, text, key_field->offset, path + ".event_key_field"});
    }
    const bool is_enabled = enabled && enabled->kind == JsonKind::boolean && enabled->boolean;
    if (event && error_count() == errors_before && !avro_schema_problem(*event)) {
      // A repeated topic replaces the earlier one, as in the Python dict the setting is.
      std::vector<TopicRoute>& routes = m_config.routes[type];
      std::erase_if(routes, [&](const TopicRoute& r) { return r.topic == topic.key; });
      routes.push_back({topic.key, key_field->text, is_enabled});
    }
    ++m_topic_configs;
    return is_enabled;
  }

  std::size_t error_count() const { return m_errors; }

  // A topic that two event types share with different key fields: consumers that partition by
  // key would see one event's messages keyed one way and the other's another.
  void shared_topics()
  {
    for (const auto& [topic, uses] : m_uses) {
      for (std::size_t i = 1; i < uses.size(); ++i) {
        const Use& first = uses.front();
        if (uses[i].key_field != first.key_field && uses[i].event_type != first.event_type) {
          m_current_type = uses[i].event_type;
          add(uses[i].offset, uses[i].path, "shared-topic",
              "topic '" + topic + "' is keyed by '" + uses[i].key_field + "' for '"
                + uses[i].event_type + "' but by '" + first.key_field + "' for '" + first.event_type
                + "'");
        }
      }
    }
  }

  void add(std::size_t offset, std::string path, const char* rule, std::string message,
           std::optional<Severity> severity = std::nullopt)
  {
    Finding finding;
    finding.rule = rule;
    finding.severity = severity ? *severity : rule_severity(rule);
    finding.file = std::string(m_name);
    const TextPosition at = m_lines.position_of(offset);
    finding.line = at.line;
    finding.column = at.column;
    finding.offset = offset;
    finding.path = std::move(path);
    finding.message = std::move(message);
    finding.event_type = m_current_type;
    m_errors += finding.severity == Severity::error;
    m_findings.push_back(std::move(finding));
  }

  static Severity rule_severity(std::string_view rule)
  {
    for (const ConfigRule& r : k_rules) {
      if (r.id == rule) {
        return r.severity;
      }
    }
    return Severity::error;
  }

  ProducerConfigCheck finish()
  {
    std::stable_sort(m_findings.begin(), m_findings.end(),
                     [](const Finding& a, const Finding& b) { return a.offset < b.offset; });
    for (Finding& finding : m_findings) {
      finding.offset = Finding::npos; // placed: line and column say where
    }
    return {std::move(m_config), std::move(m_findings), m_topic_configs};
  }

  std::string_view m_name;
  std::string_view m_text;
  LineIndex m_lines;
  const Catalog& m_catalog;
  ProducerConfig m_config;
  std::vector<Finding> m_findings;
  std::map<std::string, std::vector<Use>> m_uses;
  std::string m_current_type; // the event type whose configuration is being read
  std::size_t m_topic_configs = 0;
  std::size_t m_errors = 0;
};

} // namespace

std::vector<TopicRoute> ProducerConfig::enabled_routes(std::string_view event_type) const
{
  std::vector<TopicRoute> out;
  if (auto it = routes.find(event_type); it != routes.end()) {
    std::copy_if(it->second.begin(), it->second.end(), std::back_inserter(out),
                 [](const TopicRoute& r) { return r.enabled; });
  }
  return out;
}

ProducerConfigCheck check_producer_config(std::string_view name, std::string_view text,
                                          const Catalog& catalog)
{
  return ConfigChecker(name, text, catalog).run();
}

std::span<const ConfigRule> producer_config_rules()
{
  return k_rules;
}

} // namespace oex
