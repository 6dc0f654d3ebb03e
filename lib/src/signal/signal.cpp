#include "oex/signal/signal.hpp"

#include <algorithm>

#include "oex/catalog/catalog.hpp"
#include "oex/keys/datetime.hpp"
#include "oex/keys/uuid.hpp"
#include "oex/util/json_value.hpp"
#include "keys/unicode_classes.hpp"

namespace oex {

namespace {

std::string validation_message(const std::string& event_type, const DocumentCheck& check)
{
  std::string message = "SenderValidationError " + event_type + ": ";
  if (check.findings.empty()) {
    return message + "invalid payload";
  }
  const Finding& first = check.findings.front();
  message += (first.path.empty() ? "" : first.path + ": ") + first.message;
  if (check.findings.size() > 1) {
    message += " (and " + std::to_string(check.findings.size() - 1) + " more finding"
               + (check.findings.size() > 2 ? "s)" : ")");
  }
  return message;
}

} // namespace

SenderValidationError::SenderValidationError(const std::string& event_type, DocumentCheck check)
  : Error(validation_message(event_type, check))
  , m_check(std::move(check))
{
}

ReceiverFailed::ReceiverFailed(Response failed, std::vector<Response> before)
  : Error("receiver " + failed.receiver + " failed: " + failed.outcome.error)
  , m_failed(std::move(failed))
  , m_before(std::move(before))
{
}

PublicSignal::PublicSignal(const EventType& event, const Catalog& catalog,
                           MetadataSettings settings)
  : m_event(event)
  , m_catalog(catalog)
  , m_settings(std::move(settings))
  , m_validator(event)
{
}

void PublicSignal::connect(std::shared_ptr<Receiver> receiver)
{
  m_receivers.push_back(std::move(receiver));
}

bool PublicSignal::disconnect(std::string_view name)
{
  const auto removed = std::erase_if(m_receivers, [&](const auto& r) { return r->name() == name; });
  return removed > 0;
}

EventsMetadata PublicSignal::generate_signal_metadata(std::optional<DateTime> time) const
{
  MetadataOverrides overrides;
  overrides.time = time;
  return oex::generate_signal_metadata(m_event, m_catalog, m_settings, overrides);
}

std::vector<Response> PublicSignal::send_event(std::string_view payload,
                                               std::optional<DateTime> time, Robust robust,
                                               EventsMetadata* sent)
{
  if (!m_enabled) {
    return {};
  }
  // Made where the caller wants it, when it does (no copy per event).
  EventsMetadata made;
  EventsMetadata& metadata = sent ? *sent : made;
  // As generate_signal_metadata(time), without making again for each event what they all
  // share (the source from the settings, the catalog's version); its errors are the same.
  if (!m_shared_metadata || (time && !time->is_utc())) {
    m_shared_metadata = generate_signal_metadata(time); // throws for a time that is not UTC
    // Cut at the id's and the time's places: the keys' text cannot occur inside an escaped
    // string (a quote there always follows a backslash).
    EventsMetadata probe = *m_shared_metadata;
    probe.id.clear();
    std::string text;
    probe.append_json(text);
    const std::size_t id_at = text.find("\"id\": \"") + 7;
    const std::size_t time_at = text.find("\"time\": \"", id_at) + 9;
    m_json_head = text.substr(0, id_at);
    m_json_middle = text.substr(id_at, time_at - id_at);
    m_json_tail = text.substr(time_at + isoformat(probe.time).size());
  }
  const EventsMetadata& shared = *m_shared_metadata;
  metadata.event_type = shared.event_type;
  // One clock reading for the id's timestamp and the event's time.
  const auto now = std::chrono::system_clock::now();
  metadata.id.clear();
  append_uuid1(metadata.id, now);
  metadata.minorversion = shared.minorversion;
  metadata.source = shared.source;
  metadata.sourcehost = shared.sourcehost;
  metadata.time = time ? *time : utc_at(now);
  metadata.sourcelib = shared.sourcelib;
  return send_with_metadata(metadata, payload, false, robust, true);
}

std::vector<Response> PublicSignal::send_event_with_custom_metadata(const EventsMetadata& metadata,
                                                                    std::string_view payload,
                                                                    Robust robust)
{
  return send_with_metadata(metadata, payload, true, robust);
}

std::vector<Response> PublicSignal::send_with_metadata(const EventsMetadata& metadata,
                                                       std::string_view payload,
                                                       bool from_event_bus, Robust robust,
                                                       bool generated)
{
  // Upstream looks at the switch before it checks the arguments.
  if (!m_enabled) {
    return {};
  }
  DocumentCheck check = m_validator.check(payload);
  if (!check.valid()) {
    throw SenderValidationError(m_event.event_type, std::move(check));
  }
  // Receivers get the payload in one compact form, whatever spacing it came with; a text the
  // check found already compact (as `oex sample` writes them) is used as it is.
  std::string_view body = payload;
  if (body.starts_with("\xef\xbb\xbf")) {
    body.remove_prefix(3);
  }
  std::string minified;
  if (!check.compact) {
    minified = minify_json(body);
  }
  const std::string_view data_json = check.compact ? body : std::string_view(minified);
  std::string own;
  const bool outermost = !m_sending;
  std::string& metadata_json = outermost ? m_metadata_json : own;
  metadata_json.clear();
  if (generated) {
    metadata_json += m_json_head;
    metadata_json += metadata.id;
    metadata_json += m_json_middle;
    append_isoformat(metadata_json, metadata.time);
    metadata_json += m_json_tail;
  } else {
    metadata.append_json(metadata_json);
  }
  struct Sending
  {
    bool& flag;
    bool outermost;
    ~Sending()
    {
      if (outermost) {
        flag = false;
      }
    }
  } sending{m_sending, outermost};
  m_sending = true;
  const SignalEvent event{m_event, metadata, metadata_json, data_json, from_event_bus};
  return dispatch(event, robust == Robust::no || m_allow_failure ? Robust::no : Robust::yes);
}

std::vector<Response> PublicSignal::dispatch(const SignalEvent& event, Robust robust) const
{
  std::vector<Response> responses;
  responses.reserve(m_receivers.size());
  for (const auto& receiver : m_receivers) {
    Response response;
    response.receiver = receiver->name();
    const auto start = std::chrono::steady_clock::now();
    try {
      response.outcome = receiver->receive(event);
    } catch (const std::exception& e) {
      response.outcome = ReceiverOutcome::fail(e.what());
    }
    if (response.outcome.ok && response.outcome.response
        && !unicode::decode_utf8(*response.outcome.response)) {
      response.outcome = ReceiverOutcome::fail("the response is not valid UTF-8");
    }
    response.duration = std::chrono::steady_clock::now() - start;
    if (robust == Robust::no && !response.outcome.ok) {
      throw ReceiverFailed(std::move(response), std::move(responses));
    }
    responses.push_back(std::move(response));
  }
  return responses;
}

} // namespace oex
