#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "oex/util/error.hpp"

namespace oex::bus {

class KafkaSchemas;

// The event bus, transport-neutral. Redis Streams (bus/redis_*) implements it; Kafka is meant to
// implement the same classes. produce, consume (bus/consume_loop) and info are written against
// this interface only.
//
// Contract:
// - A message on the wire is a list of named fields/headers in wire order, an optional value
//   (the schemaless Avro of the payload; absent for a Kafka tombstone or a Redis entry without
//   event_data) and an optional key. Metadata travels in fields whose names the transport
//   chooses (MetadataNames: Redis "type", "id", ...; Kafka "ce_type", "ce_id", ...); the
//   common code reads and writes metadata only through those names (bus/wire_metadata).
// - Producer::send queues; Producer::flush sends everything queued (pipelined, batched) and
//   returns one Delivery per queued message, in order. A failure of the connection or of the
//   whole batch throws BusError; a per-message refusal is that Delivery's error.
// - Consumer::poll returns the next message this consumer should handle, or nothing when none
//   arrived within the timeout (never blocks much longer than it). A message is redelivered
//   (to this consumer after a restart, or to another one) until ack() is called for it;
//   consume calls ack() only after the message is handled. Kafka: ack notes the message's
//   offset + 1 for its partition; what was noted is stored in one call before the next poll,
//   before partitions are given up and at close, and committed in the background within ~200 ms. ack() may batch (Redis: what it queued is sent before poll() next asks the server
//   for messages); close() sends everything acknowledged. A BusError from
//   poll, ack or close ends the consumer (nothing is acknowledged that was not handled).
//   A group-less consumer (ConsumerSettings::no_group) only reads: ack() and close() change
//   nothing on the server.
// - Consumer::ready() is true once the consumer can receive (Redis: the group exists; Kafka:
//   partitions assigned): consume --idle counts from then.
// - ReceivedMessage::position identifies the message for people and for --from: a Redis entry
//   id ("1700000000000-0"), Kafka "topic/partition/offset". ack_handle is the transport's own.

// A failure of the bus itself (cannot connect, refused, wrong type, out of memory, connection
// lost): the command stops with exit 2. what() names the server (password redacted).
class BusError : public Error
{
public:
  using Error::Error;
};

struct Field
{
  std::string name;
  std::string value; // bytes
};

// How a transport names the metadata fields on the wire (the order is the order written).
struct MetadataNames
{
  std::string event_type;
  std::string id;
  std::string source;
  std::string time;
  std::string minorversion;
  std::string sourcehost;
  std::string sourcelib;
};

struct OutgoingMessage
{
  std::string stream;               // full name (prefix applied): Redis stream, Kafka topic
  std::vector<Field> fields;        // metadata fields (or a received message's fields)
  std::optional<std::string> value; // schemaless Avro of the data; Redis: the event_data field
  std::vector<Field> after_value;   // written after the value (dead letter: error, ...); Kafka:
                                    // more headers
  std::optional<std::string> key;   // Kafka message key (schemaless Avro); Redis ignores it
  // Kafka: the schemas value and key are registered with (the ids go into their framing).
  std::shared_ptr<const KafkaSchemas> schemas;
  // value and key are already wire bytes (a dead-letter copy): sent as they are, and Kafka adds
  // no headers of its own.
  bool wire = false;
};

struct Delivery
{
  bool ok = false;
  std::string position; // when ok: where it went (entry id, topic/partition/offset)
  std::string error;    // when not ok
};

struct ReceivedMessage
{
  std::string position;                     // see the contract above
  std::string stream;                       // stream or topic it came from
  std::vector<Field> fields;                // fields/headers in wire order, without the value
  std::optional<std::string> value;         // the payload bytes (Redis: event_data); absent: none
  std::vector<Field> after_value;           // Redis: fields that came after event_data
  std::optional<std::string> key;           // Kafka only
  // Avro schema JSON the value was written with, when known; shared: every message written with
  // one schema points to the same text, which consume uses to find its parsed schema.
  std::shared_ptr<const std::string> writer_schema;
  std::uint64_t ack_handle = 0;             // opaque, for the transport's ack()
  std::uint64_t delivery_count = 1;         // times delivered (Redis: from XPENDING/XAUTOCLAIM; 1 when unknown)
  // Why the transport could not read the message (Kafka: a tombstone, headers event-bus-kafka
  // refuses, a value without the registry framing, an unknown schema id): consume reports it
  // as bad and does not decode it.
  std::optional<std::string> problem;
  // Kafka: the value as it came (framing included) when it could not be read (problem), for a
  // dead-letter copy.
  std::optional<std::string> wire_value;
  // Kafka, a value that was read: the framing before it (0x00 and the schema id), for a
  // dead-letter copy; wire_prefix + value is the value as it came (no second copy of each value).
  std::string wire_prefix;
};

class Producer
{
public:
  virtual ~Producer() = default;
  virtual void send(const OutgoingMessage& message) = 0;
  // Sends what is queued; one Delivery per queued message, in order. Throws BusError.
  virtual std::vector<Delivery> flush() = 0;
  // The same into deliveries (its contents replaced): a bulk sender that passes the same vector
  // each time lets the producer reuse its memory (Kafka), instead of freeing a large block per
  // batch.
  virtual void flush(std::vector<Delivery>& deliveries) { deliveries = flush(); }
  // The deliveries known of the oldest queued messages: in order, up to the first still in
  // flight, into deliveries (its contents replaced); flush() then returns only the later ones.
  // wait: until the oldest one is known (none when nothing is queued); throws BusError as flush()
  // does. A bulk sender that takes them as they come, and waits for the oldest when its window
  // is full, keeps its pipeline full instead of emptying it at every window. Default: none is
  // known before flush(), so waiting flushes.
  virtual void take_delivered(std::vector<Delivery>& deliveries, bool wait)
  {
    if (wait) {
      flush(deliveries);
    } else {
      deliveries.clear();
    }
  }
  // How many messages a bulk sender (produce --jsonl) should queue between flushes: enough to
  // keep the transport's pipeline busy, few enough to bound what is held in memory.
  virtual std::size_t window() const { return 1000; }
};

// Where a new consumer group starts. An existing group always resumes where it left off.
struct StartAt
{
  enum class Kind { end, beginning, position } kind = Kind::end;
  std::string position; // Kind::position: read the messages after this one
};

struct ConsumerSettings
{
  std::string stream; // full name
  std::string group;
  std::string consumer; // this consumer's name in the group (stable across restarts)
  StartAt start;
  std::optional<std::chrono::milliseconds> claim_idle; // take over others' messages pending this long
  std::size_t batch = 100;                              // read at most this many per request
  // Read without a consumer group (consume --no-group), as kcat -C or XREAD do: group,
  // consumer and claim_idle are unused, nothing is acknowledged or committed (ack() does
  // nothing), start says where reading starts (beginning, end, or a position: an ISO time;
  // Redis also takes an entry id), and no group of the stream is touched.
  bool no_group = false;
};

class Consumer
{
public:
  virtual ~Consumer() = default;
  // The next message to handle (this consumer's own unacknowledged ones first, then claimed
  // ones, then new ones), or nothing within timeout. Throws BusError.
  virtual std::optional<ReceivedMessage> poll(std::chrono::milliseconds timeout) = 0;
  // As poll, into message (every member set), true when one came: a transport may reuse the
  // room of message's strings (consume hands back messages it is done with), so that a steady
  // stream allocates nothing per message. Default: poll, then move.
  virtual bool poll_into(std::chrono::milliseconds timeout, ReceivedMessage& message)
  {
    std::optional<ReceivedMessage> got = poll(timeout);
    if (got) {
      message = std::move(*got);
    }
    return got.has_value();
  }
  // Marks a handled message done (maybe later, see the contract). Throws BusError.
  virtual void ack(const ReceivedMessage& message) = 0;
  // Sends the acknowledgements still queued. Throws BusError.
  virtual void close() = 0;
  virtual bool ready() const = 0;
  // From now on, ask the server for no more than n messages in all (consume --max: on Redis a
  // message read is this consumer's, pending, until acknowledged, so reading past --max would
  // leave messages that no one else is given). Called before each poll; default: no effect.
  virtual void limit_reads(std::size_t n) { (void)n; }
};

// Kafka: a partition's first offset and the offset the next message will get.
struct PartitionInfo
{
  std::int32_t partition = 0;
  std::int64_t low = 0;
  std::int64_t high = 0;
};

// Kafka: a group's committed offset in a partition (none yet: nullopt) and the messages after it.
struct PartitionCommit
{
  std::int32_t partition = 0;
  std::optional<std::int64_t> committed;
  std::optional<std::int64_t> lag;
};

// What an operator asks first: streams, their groups and consumers.
struct ConsumerInfo
{
  std::string name;
  std::uint64_t pending = 0;
  std::int64_t idle_ms = 0;
};

struct GroupInfo
{
  std::string name;
  std::uint64_t pending = 0;
  std::string last_delivered;     // position
  std::optional<std::int64_t> lag; // messages not yet delivered to the group, when known
  std::vector<ConsumerInfo> consumers;
  std::vector<PartitionCommit> partitions; // Kafka
};

struct StreamInfo
{
  std::string name;
  std::uint64_t length = 0;
  std::optional<std::string> first; // position of the first message
  std::optional<std::string> last;
  std::vector<GroupInfo> groups;
  std::vector<PartitionInfo> partitions; // Kafka
};

struct BusSettings
{
  std::string url;               // redis://, unix://, (Kafka: its bootstrap list)
  std::string prefix;            // topic prefix; empty: none
  std::uint64_t max_len = 10000; // Redis: XADD MAXLEN ~
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds command_timeout{30000};
  // Kafka (url kafka://HOST:PORT[,HOST:PORT...]), with event-bus-kafka's setting names:
  std::string registry_url;     // EVENT_BUS_KAFKA_SCHEMA_REGISTRY_URL
  std::string registry_key;     // EVENT_BUS_KAFKA_SCHEMA_REGISTRY_API_KEY (basic auth)
  std::string registry_secret;  // EVENT_BUS_KAFKA_SCHEMA_REGISTRY_API_SECRET
  std::string kafka_api_key;    // EVENT_BUS_KAFKA_API_KEY: with the secret, SASL_SSL PLAIN
  std::string kafka_api_secret; // EVENT_BUS_KAFKA_API_SECRET
  std::string client_id;        // client.id: the service name, as upstream
  std::vector<std::pair<std::string, std::string>> kafka_config; // --kafka-config, applied last
  std::optional<std::string> group; // bus info --group: this group (Kafka: also when not listed)
};

class Transport
{
public:
  virtual ~Transport() = default;
  virtual const MetadataNames& metadata_names() const = 0;
  // "<prefix>-<topic>", or topic when there is no prefix.
  virtual std::string full_name(const std::string& topic) const = 0;
  virtual std::unique_ptr<Producer> producer() = 0;
  virtual std::unique_ptr<Consumer> consumer(const ConsumerSettings& settings) = 0;
  // The streams under the prefix (or just topic's), sorted by name. Throws BusError.
  virtual std::vector<StreamInfo> info(const std::optional<std::string>& topic) = 0;
  // The URL with any password replaced, for messages.
  virtual std::string describe() const = 0;
  // True when messages need a key and registered schemas (Kafka): produce then fills
  // OutgoingMessage::key and ::schemas.
  virtual bool keyed() const { return false; }
};

// The transport for settings.url's scheme (redis://, unix://); throws BusError for a scheme
// this build cannot serve (rediss:// without TLS support) or a malformed URL.
std::unique_ptr<Transport> open_transport(const BusSettings& settings);

} // namespace oex::bus
