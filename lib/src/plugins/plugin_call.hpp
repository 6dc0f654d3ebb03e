#pragma once

// Calling one receiver of a plugin through the C ABI of oex/receiver.h, in this process or in
// its worker process (worker_process), and the messages that cross the worker's pipes.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "oex/receiver.h"
#include "oex/signal/signal.hpp"
#include "plugins/child_process.hpp"

struct oex_registrar
{
  struct Entry
  {
    std::string name;
    std::string pattern;
    oex_receiver_fn fn;
    void* user_data;
  };
  std::vector<Entry> entries;
};

namespace oex {

// What a receiver is called with.
struct PluginCall
{
  std::string_view event_type;
  std::string_view metadata_json;
  std::string_view data_json;
  bool from_event_bus = false;
};

// Calls the receiver; its response, or error message, kept up to max_bytes.
ReceiverOutcome call_receiver(const oex_registrar::Entry& entry, const PluginCall& call,
                              std::size_t max_bytes);

// A call to entries[receiver] as the worker reads it.
std::string encode_request(std::size_t receiver, const SignalEvent& event, std::size_t max_bytes);

// In the worker: calls the receiver a request names and returns the reply; a request that does
// not parse, or names no receiver, is answered with an error.
std::string serve_request(const std::vector<oex_registrar::Entry>& entries,
                          std::string_view request);

// Room on the reply pipe beyond the text of a response or error.
constexpr std::size_t k_reply_header = 32;

// The outcome of a call in a child process: its end (crash, exit, timeout) or its reply, with
// what it printed.
ReceiverOutcome decode_reply(const ChildRun& run, std::chrono::milliseconds timeout,
                             std::size_t max_bytes);

void attach_output(ReceiverOutcome& outcome, const CapturedStream& output);

} // namespace oex
