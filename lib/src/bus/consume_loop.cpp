#include "oex/bus/consume_loop.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "oex/avro/binary.hpp"
#include "oex/avro/schema.hpp"
#include "oex/bus/wire_metadata.hpp"
#include "oex/catalog/catalog.hpp"

namespace oex::bus {
namespace {

using Clock = std::chrono::steady_clock;

// What one event type needs, made on its first message: its schema and its signal.
struct EventState
{
  const EventType* event = nullptr;
  std::string error; // why messages of this type cannot be handled
  std::optional<avro::Schema> reader;
  std::unique_ptr<PublicSignal> signal;
  // Values written with the reader's schema (no writer schema with the message: Redis).
  std::unique_ptr<avro::ResolvingDecoder> own_decoder;
  struct Writer
  {
    avro::Schema schema;
    std::unique_ptr<avro::ResolvingDecoder> decoder; // schema into reader
  };
  std::map<std::string, Writer, std::less<>> writers; // by schema text
  // The writer schema text the last message came with and its decoder: messages written with
  // one registry id share one text object, so most need no look-up by text.
  std::shared_ptr<const std::string> last_writer_text;
  avro::ResolvingDecoder* last_decoder = nullptr;
};

class Loop
{
public:
  Loop(const MetadataNames& names, const Catalog& catalog, const ConsumeOptions& options,
       ConsumeHandler& handler)
    : m_names(names)
    , m_catalog(catalog)
    , m_options(options)
    , m_handler(handler)
  {
  }

  // Fills report for message; never throws for a problem of the message itself.
  void handle(const ReceivedMessage& message, MessageReport& report)
  {
    report.message = &message;
    if (message.problem) {
      // The transport could not read it (Kafka: a tombstone, refused headers, bad framing, an
      // unknown schema id): report it by its type when the one type header says it.
      report.event_type = single_field(message.fields, m_names.event_type);
      return bad(report, *message.problem);
    }
    if (message.fields.empty() && message.after_value.empty() && !message.value) {
      return bad(report, "the message is empty (a Redis entry deleted or trimmed before it was "
                         "handled)");
    }
    const std::vector<Field>* fields = &message.fields;
    std::vector<Field> all; // Redis: the fields after event_data count too
    if (!message.after_value.empty()) {
      all = message.fields;
      all.insert(all.end(), message.after_value.begin(), message.after_value.end());
      fields = &all;
    }
    const WireMetadata wire = read_metadata_fields(m_names, *fields);
    report.event_type = wire.event_type;
    if (!wire.event_type) {
      return bad(report, "missing field '" + m_names.event_type + "': the event type is unknown");
    }
    if (!m_options.types.empty() && !m_options.types.contains(*wire.event_type)) {
      report.status = MessageStatus::skipped;
      return;
    }
    if (!wire.malformed.empty()) {
      return bad(report, "malformed metadata: " + join(wire.malformed));
    }
    EventState& state = state_for(*wire.event_type);
    if (!state.event) {
      return bad(report, state.error);
    }
    if (m_options.strict_metadata && !wire.missing.empty()) {
      return bad(report, "--strict-metadata: missing metadata field"
                           + std::string(wire.missing.size() == 1 ? " '" : "s '")
                           + join(wire.missing, "', '") + "'");
    }
    for (const std::string& name : wire.missing) {
      report.metadata_notes.push_back("missing field '" + name + "'");
    }
    try {
      // Missing fields get what upstream's EventsMetadata would invent: a fresh id, the
      // current time, this host; the notes above say so.
      report.metadata = generate_signal_metadata(*state.event, m_catalog, m_options.settings,
                                                 wire.values);
    } catch (const Error& e) {
      return bad(report, std::string("metadata: ") + e.what());
    }
    if (!message.value) {
      return bad(report, "missing the event data (no value)");
    }
    avro::ResolvingDecoder* decoder = state.own_decoder.get();
    if (message.writer_schema && message.writer_schema != state.last_writer_text) {
      auto found = state.writers.find(*message.writer_schema);
      if (found == state.writers.end()) {
        try {
          found = state.writers
                    .emplace(*message.writer_schema,
                             EventState::Writer{avro::parse_schema("writer schema", *message.writer_schema), {}})
                    .first;
        } catch (const Error& e) {
          return bad(report, e.what());
        }
        found->second.decoder = std::make_unique<avro::ResolvingDecoder>(found->second.schema, *state.reader);
      }
      state.last_writer_text = message.writer_schema;
      state.last_decoder = found->second.decoder.get();
    }
    if (message.writer_schema) {
      decoder = state.last_decoder;
    }
    avro::DecodeResult decoded = decoder->decode(*message.value);
    if (!decoded.ok) {
      return bad(report, "event data: byte " + std::to_string(decoded.error.offset) + ": "
                           + (decoded.error.path.empty() ? "" : decoded.error.path + ": ")
                           + decoded.error.message);
    }
    report.data_json = std::move(decoded.json);
    if (!m_handler.dispatches()) {
      report.status = MessageStatus::handled;
      return;
    }
    try {
      report.responses =
        state.signal->send_event_with_custom_metadata(*report.metadata, report.data_json);
    } catch (const SenderValidationError& e) {
      return bad(report, e.what());
    }
    std::vector<std::string> failed;
    for (const Response& response : report.responses) {
      if (!response.outcome.ok) {
        failed.push_back(response.receiver);
      }
    }
    if (!failed.empty()) {
      report.status = MessageStatus::failed;
      report.error = "receiver" + std::string(failed.size() == 1 ? " " : "s ") + join(failed)
                     + " failed";
    }
  }

private:
  static std::string join(const std::vector<std::string>& parts, const char* separator = "; ")
  {
    std::string out;
    for (const std::string& part : parts) {
      out += (out.empty() ? "" : separator) + part;
    }
    return out;
  }

  static std::optional<std::string> single_field(const std::vector<Field>& fields,
                                                 const std::string& name)
  {
    std::optional<std::string> found;
    for (const Field& field : fields) {
      if (field.name == name) {
        if (found) {
          return std::nullopt;
        }
        found = field.value;
      }
    }
    return found;
  }

  static void bad(MessageReport& report, std::string why)
  {
    report.status = MessageStatus::bad;
    report.error = std::move(why);
  }

  EventState& state_for(const std::string& event_type)
  {
    auto found = m_states.find(event_type);
    if (found != m_states.end()) {
      return found->second;
    }
    EventState& state = m_states[event_type];
    const EventType* event = m_catalog.find(event_type);
    if (!event) {
      state.error = "unknown event type '" + event_type + "'";
      return state;
    }
    try {
      state.reader = avro::event_schema(*event);
    } catch (const Error& e) {
      state.error = event_type + ": " + e.what();
      return state;
    }
    state.own_decoder = std::make_unique<avro::ResolvingDecoder>(*state.reader, *state.reader);
    state.signal = std::make_unique<PublicSignal>(*event, m_catalog, m_options.settings);
    m_handler.connect(*state.signal);
    state.event = event;
    return state;
  }

  const MetadataNames& m_names;
  const Catalog& m_catalog;
  const ConsumeOptions& m_options;
  ConsumeHandler& m_handler;
  std::map<std::string, EventState, std::less<>> m_states;
};

// The fields of message with error and original position after its value: what the dead-letter
// stream receives.
OutgoingMessage dead_letter_copy(const ReceivedMessage& message, const std::string& stream,
                                 const std::string& error)
{
  OutgoingMessage copy;
  copy.stream = stream;
  copy.fields = message.fields;
  copy.value = message.value;
  if (message.wire_value || message.problem) {
    copy.value = message.wire_value; // as it came: framing included, or none (a tombstone)
    copy.wire = true;
  } else if (!message.wire_prefix.empty() && message.value) {
    copy.value = message.wire_prefix + *message.value; // as it came, framing included
    copy.wire = true;
  }
  copy.after_value = message.after_value;
  copy.after_value.push_back({"error", error});
  copy.after_value.push_back({"original_entry_id", message.position});
  copy.key = message.key;
  return copy;
}

// Handled messages whose acknowledgement waits for their output: handler.flush() first, then
// ack(), so that an acknowledged message has always been reported.
class HeldAcks
{
public:
  HeldAcks(Consumer& consumer, ConsumeHandler& handler)
    : m_consumer(consumer)
    , m_handler(handler)
  {
  }

  // A message just reported (reports and messages go in the same order).
  void hold(ReceivedMessage message) { m_held.push_back(std::move(message)); }
  std::size_t size() const { return m_held.size(); }

  // A message acknowledged earlier (or a new one), for the next poll to fill: its strings keep
  // their room, so that a steady stream allocates nothing for them.
  ReceivedMessage spare()
  {
    if (m_spare.empty()) {
      return {};
    }
    ReceivedMessage message = std::move(m_spare.back());
    m_spare.pop_back();
    return message;
  }
  // Takes back a message the poll did not fill.
  void recycle(ReceivedMessage message) { m_spare.push_back(std::move(message)); }

  // Flushes the output, then acknowledges every held message; when the flush fails, only those
  // whose reports were written out whole, and throws.
  void commit()
  {
    if (m_held.empty()) {
      return;
    }
    try {
      m_handler.flush();
    } catch (...) {
      const std::uint64_t written = m_handler.reports_written();
      ack(written > m_reports_acked ? static_cast<std::size_t>(std::min<std::uint64_t>(
                                        written - m_reports_acked, m_held.size()))
                                    : 0);
      throw;
    }
    ack(m_held.size());
  }

private:
  void ack(std::size_t n)
  {
    for (std::size_t i = 0; i < n; ++i) {
      m_consumer.ack(m_held[i]);
    }
    for (std::size_t i = 0; i < n; ++i) {
      m_spare.push_back(std::move(m_held[i]));
    }
    m_held.erase(m_held.begin(), m_held.begin() + static_cast<std::ptrdiff_t>(n));
    m_reports_acked += n;
  }

  Consumer& m_consumer;
  ConsumeHandler& m_handler;
  std::vector<ReceivedMessage> m_held;
  std::vector<ReceivedMessage> m_spare; // acknowledged, for poll to refill (no more than a batch)
  std::uint64_t m_reports_acked = 0; // reports before the first held message
};

ConsumeSummary consume_messages(Consumer& consumer, Producer* dead_letter,
                                const MetadataNames& names, const Catalog& catalog,
                                const ConsumeOptions& options, ConsumeHandler& handler,
                                const std::atomic<bool>& stop, HeldAcks& held);

} // namespace

ConsumeSummary consume(Consumer& consumer, Producer* dead_letter, const MetadataNames& names,
                       const Catalog& catalog, const ConsumeOptions& options,
                       ConsumeHandler& handler, const std::atomic<bool>& stop)
{
  HeldAcks held(consumer, handler);
  try {
    return consume_messages(consumer, dead_letter, names, catalog, options, handler, stop, held);
  } catch (...) {
    // What was handled and reported before the failure is acknowledged, so that only the message
    // in hand comes again; when the output or the bus itself failed, this fails too and changes
    // nothing (what was not written stays unacknowledged).
    try {
      held.commit();
    } catch (const std::exception&) {
    }
    try {
      consumer.close();
    } catch (const std::exception&) {
    }
    throw;
  }
}

namespace {

ConsumeSummary consume_messages(Consumer& consumer, Producer* dead_letter,
                                const MetadataNames& names, const Catalog& catalog,
                                const ConsumeOptions& options, ConsumeHandler& handler,
                                const std::atomic<bool>& stop, HeldAcks& held)
{
  Loop loop(names, catalog, options, handler);
  ConsumeSummary summary;
  bool ready = false;
  // --idle: since when polls have come back empty (none: a message came since the last wait).
  // Taken before a poll that waits, not for every message: the clock is read once a poll.
  std::optional<Clock::time_point> quiet_since;
  // Receivers have side effects: with them each message is acknowledged once handled, so that
  // a crash repeats no more than the message in hand.
  const std::size_t ack_batch = handler.dispatches() ? 1 : std::max<std::size_t>(options.ack_batch, 1);
  while (true) {
    if (stop.load()) {
      summary.stopped = true;
      break;
    }
    if (options.max) {
      if (summary.total() >= *options.max) {
        break;
      }
      consumer.limit_reads(*options.max - summary.total());
    }
    std::chrono::milliseconds wait = options.poll_interval;
    if (options.idle && ready) {
      const auto left =
        quiet_since ? std::chrono::duration_cast<std::chrono::milliseconds>(
                        *options.idle - (Clock::now() - *quiet_since))
                    : std::chrono::duration_cast<std::chrono::milliseconds>(*options.idle);
      if (left.count() <= 0) {
        break;
      }
      wait = std::min(wait, left);
    }
    if (held.size() >= ack_batch) {
      held.commit();
    }
    ReceivedMessage message = held.spare();
    bool got = false;
    if (held.size() > 0) {
      // Whatever is at hand, without waiting; before waiting, the output is written and the
      // messages acknowledged.
      got = consumer.poll_into(std::chrono::milliseconds(0), message);
      if (!got) {
        held.commit();
      }
    }
    if (!got) {
      if (ready && options.idle && !quiet_since) {
        quiet_since = Clock::now();
      }
      got = consumer.poll_into(wait, message);
    }
    if (!ready && consumer.ready()) {
      ready = true;
      quiet_since = Clock::now();
      handler.ready();
    }
    if (!got) {
      held.recycle(std::move(message));
      continue;
    }
    MessageReport report;
    loop.handle(message, report);
    const bool copy = report.status == MessageStatus::bad || report.status == MessageStatus::failed;
    if (copy && dead_letter && options.dead_letter_stream) {
      dead_letter->send(dead_letter_copy(message, *options.dead_letter_stream, report.error));
      const std::vector<Delivery> sent = dead_letter->flush();
      if (sent.size() != 1 || !sent.front().ok) {
        throw BusError("dead letter '" + *options.dead_letter_stream + "': "
                       + (sent.empty() ? std::string("not sent") : sent.front().error));
      }
      report.dead_letter = sent.front().position;
    }
    handler.report(report);
    switch (report.status) {
    case MessageStatus::handled: ++summary.handled; break;
    case MessageStatus::skipped: ++summary.skipped; break;
    case MessageStatus::bad: ++summary.bad; break;
    case MessageStatus::failed: ++summary.failed; break;
    }
    report.message = nullptr;
    held.hold(std::move(message));
    quiet_since.reset();
  }
  held.commit();
  consumer.close();
  return summary;
}

} // namespace
} // namespace oex::bus
