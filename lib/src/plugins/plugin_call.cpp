#include "plugins/plugin_call.hpp"

#include <cstdint>

#include "oex/catalog/catalog.hpp"
#include "oex/util/text.hpp"

namespace oex {
namespace {

// Where a receiver's answer goes while it runs.
struct Reply
{
  std::size_t max_bytes;
  int answers = 0;
  ReceiverOutcome outcome;
};

// The first max bytes of text (not cutting a UTF-8 sequence).
std::string kept(std::string_view text, std::size_t max)
{
  return std::string(text.substr(0, utf8_prefix_length(text, max)));
}

void respond(oex_event* event, const char* text)
{
  auto* reply = static_cast<Reply*>(event->host);
  if (++reply->answers == 1) {
    const std::string_view all = text ? text : "";
    reply->outcome = ReceiverOutcome::respond(kept(all, reply->max_bytes), all.size());
  }
}

void fail(oex_event* event, const char* message)
{
  auto* reply = static_cast<Reply*>(event->host);
  if (++reply->answers == 1) {
    reply->outcome =
      ReceiverOutcome::fail(message && *message ? kept(message, reply->max_bytes) : "failed");
  }
}

// The outcome as it crosses the reply pipe: one letter (R response, N none, E error), then for
// a response its whole size and a space, then the text.
std::string encode_outcome(const ReceiverOutcome& outcome)
{
  if (!outcome.ok) {
    return "E" + outcome.error;
  }
  return outcome.response ? "R" + std::to_string(outcome.response_bytes) + " " + *outcome.response
                          : "N";
}

// A request: the receiver's index, the limit and from_event_bus as decimal numbers each ended
// by a space, then the event type, the metadata and the data, each as its size, a space and
// its bytes.
void put_number(std::string& out, std::uint64_t number)
{
  out += std::to_string(number);
  out += ' ';
}

void put_text(std::string& out, std::string_view text)
{
  put_number(out, text.size());
  out += text;
}

bool take_number(std::string_view& in, std::uint64_t& number)
{
  number = 0;
  std::size_t i = 0;
  for (; i < in.size() && i < 20 && in[i] >= '0' && in[i] <= '9'; ++i) {
    number = number * 10 + static_cast<std::uint64_t>(in[i] - '0');
  }
  if (i == 0 || i >= in.size() || in[i] != ' ') {
    return false;
  }
  in.remove_prefix(i + 1);
  return true;
}

bool take_text(std::string_view& in, std::string& text)
{
  std::uint64_t size = 0;
  if (!take_number(in, size) || size > in.size()) {
    return false;
  }
  text.assign(in.substr(0, size));
  in.remove_prefix(size);
  return true;
}

} // namespace

ReceiverOutcome call_receiver(const oex_registrar::Entry& entry, const PluginCall& call,
                              std::size_t max_bytes)
{
  // The ABI hands out NUL-terminated strings: copies, in buffers kept from call to call (no
  // allocation per event once they are large enough).
  thread_local std::string event_type;
  thread_local std::string metadata;
  thread_local std::string data;
  event_type.assign(call.event_type);
  metadata.assign(call.metadata_json);
  data.assign(call.data_json);
  Reply reply{max_bytes, 0, {}};
  oex_event c_event{event_type.c_str(),
                    metadata.c_str(),
                    data.c_str(),
                    call.from_event_bus ? 1 : 0,
                    respond,
                    fail,
                    &reply};
  entry.fn(&c_event, entry.user_data);
  if (reply.answers > 1) {
    return ReceiverOutcome::fail("the receiver answered " + std::to_string(reply.answers)
                                 + " times (respond or fail, at most once)");
  }
  return reply.outcome;
}

std::string encode_request(std::size_t receiver, const SignalEvent& event, std::size_t max_bytes)
{
  std::string out;
  out.reserve(64 + event.event.event_type.size() + event.metadata_json.size()
              + event.data_json.size());
  put_number(out, receiver);
  put_number(out, max_bytes);
  put_number(out, event.from_event_bus ? 1 : 0);
  put_text(out, event.event.event_type);
  put_text(out, event.metadata_json);
  put_text(out, event.data_json);
  return out;
}

std::string serve_request(const std::vector<oex_registrar::Entry>& entries,
                          std::string_view request)
{
  std::uint64_t receiver = 0;
  std::uint64_t max_bytes = 0;
  std::uint64_t from_event_bus = 0;
  std::string event_type;
  std::string metadata;
  std::string data;
  if (!take_number(request, receiver) || !take_number(request, max_bytes)
      || !take_number(request, from_event_bus) || !take_text(request, event_type)
      || !take_text(request, metadata) || !take_text(request, data) || !request.empty()
      || receiver >= entries.size()) {
    return "Ea request to the receiver's process did not parse";
  }
  const PluginCall call{event_type, metadata, data, from_event_bus != 0};
  ReceiverOutcome outcome;
  try {
    outcome = call_receiver(entries[receiver], call, max_bytes);
  } catch (const std::exception& e) {
    outcome = ReceiverOutcome::fail(e.what()); // as PublicSignal::dispatch records it in-process
  }
  return encode_outcome(outcome);
}

void attach_output(ReceiverOutcome& outcome, const CapturedStream& output)
{
  outcome.output = output.kept();
  outcome.output_bytes = output.total;
}

ReceiverOutcome decode_reply(const ChildRun& run, std::chrono::milliseconds timeout,
                             std::size_t max_bytes)
{
  ReceiverOutcome outcome;
  const std::string end = describe_child_end(run, timeout);
  const std::string& result = run.result.head;
  if (!end.empty()) {
    outcome = ReceiverOutcome::fail(end);
  } else if (result.empty()) {
    outcome =
      ReceiverOutcome::fail("the receiver ended the process without answering (exit status 0)");
  } else if (result[0] == 'E') {
    outcome = ReceiverOutcome::fail(kept(std::string_view(result).substr(1), max_bytes));
  } else if (result[0] == 'R') {
    std::string_view rest = std::string_view(result).substr(1);
    std::uint64_t total = 0;
    if (!take_number(rest, total)) {
      rest = {};
    }
    outcome = ReceiverOutcome::respond(kept(rest, max_bytes), total);
  } else {
    outcome = ReceiverOutcome::none();
  }
  attach_output(outcome, run.out);
  return outcome;
}

} // namespace oex
