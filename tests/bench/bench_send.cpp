// PublicSignal::send_event in-process to one no-op receiver, over the payloads of a JSON Lines
// file (payload check, metadata with a uuid1 and the time, compact payload, dispatch): events
// per second. Built with -DOEX_BUILD_BENCH=ON; run by bench_send.py (run_send.sh).
//   bench_send TYPE FILE.jsonl [SECONDS]
// Prints one JSON object: {"event_type", "payloads", "events_per_second" (wall time),
// "events_per_cpu_second" (the process's CPU time, which other load on the machine disturbs
// less)}.

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "oex/catalog/catalog.hpp"
#include "oex/signal/signal.hpp"
#include "noop_receiver.hpp"

using oex::bench::NoopReceiver;

int main(int argc, char** argv)
{
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr, "usage: bench_send TYPE FILE.jsonl [SECONDS]\n");
    return 2;
  }
  const double seconds = argc == 4 ? std::stod(argv[3]) : 0.5;
  std::vector<std::string> payloads;
  std::ifstream file(argv[2]);
  for (std::string line; std::getline(file, line);) {
    if (!line.empty()) {
      payloads.push_back(line);
    }
  }
  if (payloads.empty()) {
    std::fprintf(stderr, "bench_send: no payload in %s\n", argv[2]);
    return 2;
  }
  const oex::Catalog catalog = oex::Catalog::builtin();
  const oex::EventType& event = catalog.get_signal_by_type(argv[1]);
  oex::PublicSignal signal(event, catalog, oex::MetadataSettings::from_environment());
  signal.connect(std::make_shared<NoopReceiver>());

  using clock = std::chrono::steady_clock;
  const auto cpu_now = [] {
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
  };
  const double cpu_start = cpu_now();
  long sent = 0;
  double elapsed = 0;
  const auto start = clock::now();
  while (elapsed < seconds) {
    for (const std::string& payload : payloads) {
      // Throws SenderValidationError for a payload that does not fit: the run fails.
      if (signal.send_event(payload).size() != 1) {
        std::fprintf(stderr, "bench_send: the receiver was not called\n");
        return 1;
      }
    }
    sent += static_cast<long>(payloads.size());
    elapsed = std::chrono::duration<double>(clock::now() - start).count();
  }
  const double cpu = cpu_now() - cpu_start;
  std::printf("{\"event_type\": \"%s\", \"payloads\": %zu, \"events_per_second\": %.1f, "
              "\"events_per_cpu_second\": %.1f}\n",
              argv[1], payloads.size(), static_cast<double>(sent) / elapsed,
              static_cast<double>(sent) / cpu);
  return 0;
}
