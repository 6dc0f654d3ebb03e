#include "kafka/kafka_transport.hpp"

#include "kafka/kafka_consumer.hpp"
#include "kafka/kafka_headers.hpp"
#include "kafka/kafka_info.hpp"
#include "kafka/kafka_producer.hpp"
#include "kafka/kafka_reader.hpp"
#include "kafka/schema_registry.hpp"

namespace oex::bus::kafka {
namespace {

class KafkaTransport : public Transport
{
public:
  explicit KafkaTransport(const BusSettings& settings)
    : m_settings(settings)
  {
    bootstrap_servers(settings.url); // refuses a malformed URL now, before any work
  }

  const MetadataNames& metadata_names() const override { return kafka_metadata_names(); }

  std::string full_name(const std::string& topic) const override
  {
    return m_settings.prefix.empty() ? topic : m_settings.prefix + "-" + topic;
  }

  std::unique_ptr<Producer> producer() override { return make_producer(m_settings, registry()); }

  std::unique_ptr<Consumer> consumer(const ConsumerSettings& settings) override
  {
    if (settings.no_group) {
      return make_reader(m_settings, settings, registry());
    }
    return make_consumer(m_settings, settings, registry());
  }

  std::vector<StreamInfo> info(const std::optional<std::string>& topic) override
  {
    return topic ? kafka_info(m_settings, full_name(*topic), true, m_settings.group)
                 : kafka_info(m_settings, m_settings.prefix, false, m_settings.group);
  }

  std::string describe() const override { return m_settings.url; }

  bool keyed() const override { return true; }

private:
  std::shared_ptr<SchemaRegistry> registry()
  {
    if (!m_registry) {
      if (m_settings.registry_url.empty()) {
        throw BusError("kafka: no schema registry: give --registry URL or set "
                       "EVENT_BUS_KAFKA_SCHEMA_REGISTRY_URL");
      }
      RegistrySettings registry;
      registry.url = m_settings.registry_url;
      registry.key = m_settings.registry_key;
      registry.secret = m_settings.registry_secret;
      registry.connect_timeout = m_settings.connect_timeout;
      registry.timeout = m_settings.command_timeout;
      m_registry = std::make_shared<SchemaRegistry>(std::move(registry));
    }
    return m_registry;
  }

  BusSettings m_settings;
  std::shared_ptr<SchemaRegistry> m_registry;
};

} // namespace

std::unique_ptr<Transport> make_kafka_transport(const BusSettings& settings)
{
  return std::make_unique<KafkaTransport>(settings);
}

} // namespace oex::bus::kafka
