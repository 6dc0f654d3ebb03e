// Dispatch rate of PublicSignal::send_event to one no-op receiver: in-process through the
// library API (for 3 s each), then the no-op plugin called in-process and the same plugin
// isolated (its worker process), EVENTS events each, alternating, ROUNDS times: the medians.
// Prints one JSON object. Built with -DOEX_BUILD_BENCH=ON; run by run_dispatch.sh.
//   bench_dispatch PLUGIN_DIR [EVENTS [ROUNDS]]     (default 100000 events, 5 rounds)

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "oex/catalog/catalog.hpp"
#include "oex/payload/sample.hpp"
#include "oex/plugins/receivers.hpp"
#include "oex/signal/signal.hpp"
#include "noop_receiver.hpp"

using oex::bench::NoopReceiver;

namespace {

// Calls send(), which returns how many receivers answered, for about `seconds`; returns calls
// per second.
template <typename Send>
double rate(Send send, double seconds)
{
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  long sent = 0;
  while (true) {
    for (int i = 0; i < 100; ++i) {
      if (send() != 1) {
        std::fprintf(stderr, "bench_dispatch: a receiver was not called\n");
        std::exit(1);
      }
    }
    sent += 100;
    const double elapsed = std::chrono::duration<double>(clock::now() - start).count();
    if (elapsed >= seconds) {
      return static_cast<double>(sent) / elapsed;
    }
  }
}

// Calls send() `events` times; returns calls per second.
template <typename Send>
double rate_of(Send send, long events)
{
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  for (long i = 0; i < events; ++i) {
    if (send() != 1) {
      std::fprintf(stderr, "bench_dispatch: a receiver was not called\n");
      std::exit(1);
    }
  }
  return static_cast<double>(events) / std::chrono::duration<double>(clock::now() - start).count();
}

double median(std::vector<double> values)
{
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
  if (argc < 2 || argc > 4) {
    std::fprintf(stderr, "usage: bench_dispatch PLUGIN_DIR [EVENTS [ROUNDS]]\n");
    return 2;
  }
  const long events = argc > 2 ? std::atol(argv[2]) : 100'000;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 5;
  if (events <= 0 || rounds <= 0) {
    std::fprintf(stderr, "bench_dispatch: EVENTS and ROUNDS must be positive\n");
    return 2;
  }
  const oex::Catalog catalog = oex::Catalog::builtin();
  const oex::EventType& event =
    catalog.get_signal_by_type("org.openedx.learning.course.enrollment.created.v1");
  const std::string payload = oex::sample_payload(event, {1, false}).dump();
  oex::MetadataSettings settings;
  settings.hostname = "bench";

  oex::PublicSignal library(event, catalog, settings);
  library.connect(std::make_shared<NoopReceiver>());
  // Dispatch alone, what Django's send_robust does: the event is checked and has metadata.
  const oex::EventsMetadata metadata = library.generate_signal_metadata();
  const std::string metadata_json = metadata.to_json();
  const oex::SignalEvent ready{event, metadata, metadata_json, payload, false};
  const double dispatch =
    rate([&] { return library.dispatch(ready, oex::Robust::yes).size(); }, 3.0);
  // All of send_event: payload check, metadata (uuid1, time), compact payload, dispatch.
  const double in_process = rate([&] { return library.send_event(payload).size(); }, 3.0);

  const std::string plugin = std::string(argv[1]) + "/noop.so";
  oex::ReceiverOptions options;
  oex::PluginSet plugins;
  options.isolation = oex::Isolation::off;
  if (!plugins.load(plugin, options)) {
    std::fprintf(stderr, "bench_dispatch: %s\n", plugins.failures().back().reason.c_str());
    return 1;
  }
  oex::PublicSignal plugin_signal(event, catalog, settings);
  plugin_signal.connect(plugins.receivers_for(event.event_type, options).at(0));

  options.isolation = oex::Isolation::on;
  oex::PublicSignal isolated(event, catalog, settings);
  isolated.connect(plugins.receivers_for(event.event_type, options).at(0));

  std::vector<double> in_process_rates;
  std::vector<double> isolated_rates;
  for (int round = 0; round < rounds; ++round) {
    in_process_rates.push_back(
      rate_of([&] { return plugin_signal.send_event(payload).size(); }, events));
    isolated_rates.push_back(rate_of([&] { return isolated.send_event(payload).size(); }, events));
  }

  std::printf("{\"library_dispatch\": %.0f, \"library_send_event\": %.0f, \"plugin_events\": %ld, "
              "\"plugin_rounds\": %d, \"plugin_in_process\": %.0f, \"plugin_isolated\": %.0f}\n",
              dispatch, in_process, events, rounds, median(in_process_rates),
              median(isolated_rates));
  return 0;
}
