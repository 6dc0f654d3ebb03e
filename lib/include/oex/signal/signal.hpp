#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oex/metadata/metadata.hpp"
#include "oex/payload/validate.hpp"
#include "oex/util/error.hpp"

namespace oex {

class Catalog;
struct EventType;

// What a receiver is given: what a Django receiver of an OpenEdxPublicSignal sees (the signal,
// sender None, the data keys, metadata, from_event_bus).
struct SignalEvent
{
  const EventType& event;
  const EventsMetadata& metadata;
  std::string_view metadata_json; // metadata.to_json()
  std::string_view data_json;     // the data keys as one JSON object
  bool from_event_bus = false;
};

// A receiver's result: a response (none, like a Python receiver returning None) or an error,
// and what the receiver printed. A receiver's answer and output are kept up to a limit
// (ReceiverOptions::max_response_bytes); their sizes say how much was written in all.
struct ReceiverOutcome
{
  bool ok = true;
  std::optional<std::string> response;
  std::string error;
  std::size_t response_bytes = 0; // the whole response's size: more than response->size() when cut
  std::string output;             // what the receiver wrote to stdout and stderr, when captured
  std::size_t output_bytes = 0;   // the whole output's size

  static ReceiverOutcome respond(std::string text, std::size_t total = 0)
  {
    ReceiverOutcome outcome;
    outcome.response_bytes = std::max(total, text.size());
    outcome.response = std::move(text);
    return outcome;
  }
  static ReceiverOutcome none() { return {}; }
  static ReceiverOutcome fail(std::string message)
  {
    ReceiverOutcome outcome;
    outcome.ok = false;
    outcome.error = std::move(message);
    return outcome;
  }
  bool response_truncated() const { return response && response_bytes > response->size(); }
  bool output_truncated() const { return output_bytes > output.size(); }
};

class Receiver
{
public:
  virtual ~Receiver() = default;
  // "plugin:receiver" or "exec:COMMAND".
  virtual const std::string& name() const = 0;
  // Handles one event; an exception thrown here is recorded as the receiver's error.
  virtual ReceiverOutcome receive(const SignalEvent& event) = 0;
};

// One entry of what send_event returns: (receiver, response | error), and how long it took.
struct Response
{
  std::string receiver;
  ReceiverOutcome outcome;
  std::chrono::nanoseconds duration{0};
};

// The payload does not fit the event type; no receiver was called. what() is
// "SenderValidationError <event type>: <first finding>" with a count of the others.
class SenderValidationError : public Error
{
public:
  SenderValidationError(const std::string& event_type, DocumentCheck check);
  const DocumentCheck& check() const { return m_check; }

private:
  DocumentCheck m_check;
};

// Strict sending: a receiver failed and the dispatch stopped there (Django's send()).
class ReceiverFailed : public Error
{
public:
  ReceiverFailed(Response failed, std::vector<Response> before);
  const Response& failed() const { return m_failed; }
  const std::vector<Response>& before() const { return m_before; }

private:
  Response m_failed;
  std::vector<Response> m_before;
};

enum class Robust { yes, no };

// OpenEdxPublicSignal: sends checked events with metadata to connected receivers, in
// connection order, and collects (receiver, response | error).
class PublicSignal
{
public:
  PublicSignal(const EventType& event, const Catalog& catalog, MetadataSettings settings);

  const EventType& event() const { return m_event; }
  void connect(std::shared_ptr<Receiver> receiver);
  // Disconnects the receivers of that name; false when there was none.
  bool disconnect(std::string_view name);
  const std::vector<std::shared_ptr<Receiver>>& receivers() const { return m_receivers; }

  void enable() { m_enabled = true; }
  void disable() { m_enabled = false; }
  bool enabled() const { return m_enabled; }
  // From now on the first receiver error stops the dispatch and is thrown (ReceiverFailed).
  void allow_send_event_failure() { m_allow_failure = true; }

  // Metadata as generate_signal_metadata(): throws oex::Error for a time that is not UTC.
  EventsMetadata generate_signal_metadata(std::optional<DateTime> time = std::nullopt) const;

  // send_event: an empty list when disabled; otherwise checks the payload (throws
  // SenderValidationError), makes metadata, calls every receiver. Robust::yes records each
  // error as that receiver's result; Robust::no (or allow_send_event_failure) throws
  // ReceiverFailed at the first error.
  // When sent is given, it receives the metadata that was generated.
  std::vector<Response> send_event(std::string_view payload,
                                   std::optional<DateTime> time = std::nullopt,
                                   Robust robust = Robust::yes, EventsMetadata* sent = nullptr);
  // The same with the given metadata; receivers see from_event_bus true.
  std::vector<Response> send_event_with_custom_metadata(const EventsMetadata& metadata,
                                                        std::string_view payload,
                                                        Robust robust = Robust::yes);

  // Django's send_robust (Robust::yes) or send (Robust::no) underneath send_event: calls every
  // connected receiver with an event that is already checked and carries its metadata, and
  // collects the responses; Robust::no throws ReceiverFailed at the first error.
  std::vector<Response> dispatch(const SignalEvent& event, Robust robust) const;

private:
  // generated: the metadata is m_shared_metadata's with an id and a time (send_event).
  std::vector<Response> send_with_metadata(const EventsMetadata& metadata, std::string_view payload,
                                           bool from_event_bus, Robust robust, bool generated = false);

  const EventType& m_event;
  const Catalog& m_catalog;
  MetadataSettings m_settings;
  PayloadValidator m_validator;
  std::vector<std::shared_ptr<Receiver>> m_receivers;
  bool m_enabled = true;
  bool m_allow_failure = false;
  // The metadata JSON of the event being sent, the buffer kept from one event to the next; a
  // send from inside a receiver (sending) makes its own.
  std::string m_metadata_json;
  bool m_sending = false;
  // What every event's generated metadata shares (all but the id and the time), made at the
  // first send.
  std::optional<EventsMetadata> m_shared_metadata;
  // Its JSON around the id and the time, made with it: a generated event's metadata JSON is
  // head + id + middle + time + tail (the id and the time never need escaping).
  std::string m_json_head;
  std::string m_json_middle;
  std::string m_json_tail;
};

} // namespace oex
