#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "oex/bus/transport.hpp"
#include "oex/metadata/metadata.hpp"
#include "oex/signal/signal.hpp"

namespace oex {
class Catalog;
}

namespace oex::bus {

// What became of one message.
enum class MessageStatus {
  handled, // decoded and dispatched (or printed); every receiver ok
  skipped, // an event type --type does not ask for: acknowledged, not handled
  bad,     // could not be handled: unknown type, missing field, Avro or metadata that fails
  failed,  // handled, but a receiver failed
};

struct MessageReport
{
  const ReceivedMessage* message = nullptr;
  MessageStatus status = MessageStatus::handled;
  std::optional<std::string> event_type;  // from the message, when it has one
  std::optional<EventsMetadata> metadata; // when it could be made
  std::vector<std::string> metadata_notes; // missing fields (filled as upstream does) and such
  std::string data_json;                  // the decoded payload, when it decoded
  std::vector<Response> responses;        // with receivers
  std::string error;                      // bad: why; failed: the receivers that failed
  std::optional<std::string> dead_letter; // where the copy went (position), when one was made
};

struct ConsumeSummary
{
  std::uint64_t handled = 0;
  std::uint64_t skipped = 0;
  std::uint64_t bad = 0;
  std::uint64_t failed = 0;
  bool stopped = false; // by the stop flag (a signal)

  std::uint64_t total() const { return handled + skipped + bad + failed; }
};

// What the caller supplies: receivers and where reports go. consume() never prints.
class ConsumeHandler
{
public:
  virtual ~ConsumeHandler() = default;
  // True when there are receivers to dispatch to (else messages are only decoded and reported).
  virtual bool dispatches() const = 0;
  // Connects the receivers for signal's event type (called once per event type).
  virtual void connect(PublicSignal& signal) = 0;
  // Called for every message after it was handled and before it is acknowledged: a throw here
  // (a failed write) leaves it unacknowledged and ends consume(). It may buffer what it writes.
  virtual void report(const MessageReport& report) = 0;
  // Writes out what report() buffered. consume() calls it before it acknowledges the messages
  // reported so far (in batches, see ConsumeOptions::ack_batch), so that nothing acknowledged
  // is lost when the process dies. When it throws, consume() acknowledges only the messages
  // whose reports reports_written() counts, and ends with the exception.
  virtual void flush() {}
  // How many reports, from the first, were written out completely (default: all, for a
  // handler that does not buffer).
  virtual std::uint64_t reports_written() const { return std::numeric_limits<std::uint64_t>::max(); }
  // Called once, when the consumer is ready to read.
  virtual void ready() {}
};

struct ConsumeOptions
{
  std::optional<std::uint64_t> max;                // stop after this many messages
  std::optional<std::chrono::milliseconds> idle;   // stop after this long with nothing new
  std::set<std::string> types;                     // handle only these (empty: all)
  bool strict_metadata = false;                    // a missing metadata field makes it bad
  std::optional<std::string> dead_letter_stream;   // full name
  MetadataSettings settings;                       // to fill what upstream fills in
  std::chrono::milliseconds poll_interval{200};    // how often the stop flag is looked at
  // Handled messages are acknowledged in batches of up to this many, after handler.flush(), and
  // at once when no further message is at hand (so a quiet stream leaves nothing waiting). A
  // process killed mid-batch gets the unacknowledged ones again (at least once). With
  // receivers (handler.dispatches()) each message is acknowledged as soon as it is handled.
  std::size_t ack_batch = 100;
};

// The consumer loop, the same for every transport: reads messages, reads their metadata from
// the transport's field names, decodes the Avro value (with the message's writer schema when it
// has one), dispatches with the message's metadata (receivers see from_event_bus true), copies
// messages that could not be handled or whose receivers failed to the dead-letter stream,
// reports, and only then acknowledges. A bad message never stops it. Returns at --max, --idle
// or when stop is set (after finishing the message in hand); a BusError or a report that throws
// ends it with that exception.
ConsumeSummary consume(Consumer& consumer, Producer* dead_letter, const MetadataNames& names,
                       const Catalog& catalog, const ConsumeOptions& options,
                       ConsumeHandler& handler, const std::atomic<bool>& stop);

} // namespace oex::bus
