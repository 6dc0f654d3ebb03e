// bus::consume with a fake consumer: reports are flushed before their messages are acknowledged,
// in batches, and a failed flush acknowledges only what was written whole.

#include <catch2/catch.hpp>

#include <deque>
#include <stdexcept>

#include "oex/bus/consume_loop.hpp"
#include "oex/catalog/catalog.hpp"

namespace {

using namespace oex;

// Every call, in order: "report 1", "flush", "ack 1", "poll"...
using Log = std::vector<std::string>;

class FakeConsumer : public bus::Consumer
{
public:
  FakeConsumer(Log& log, int count)
    : m_log(log)
  {
    for (int i = 1; i <= count; ++i) {
      bus::ReceivedMessage message; // no fields, no value: a bad message, reported all the same
      message.position = std::to_string(i);
      m_messages.push_back(message);
    }
  }
  std::optional<bus::ReceivedMessage> poll(std::chrono::milliseconds timeout) override
  {
    if (m_messages.empty()) {
      if (timeout.count() > 0 && stop_when_waiting) {
        m_log.push_back("wait");
        stop_when_waiting->store(true); // ends consume() at its next turn
      }
      return std::nullopt;
    }
    bus::ReceivedMessage message = m_messages.front();
    m_messages.pop_front();
    return message;
  }
  void ack(const bus::ReceivedMessage& message) override { m_log.push_back("ack " + message.position); }
  void close() override { m_log.push_back("close"); }
  bool ready() const override { return true; }
  std::atomic<bool>* stop_when_waiting = nullptr;

private:
  Log& m_log;
  std::deque<bus::ReceivedMessage> m_messages;
};

class FakeHandler : public bus::ConsumeHandler
{
public:
  explicit FakeHandler(Log& log)
    : m_log(log)
  {
  }
  bool dispatches() const override { return false; }
  void connect(PublicSignal&) override {}
  void report(const bus::MessageReport& report) override
  {
    m_log.push_back("report " + report.message->position);
    ++m_reported;
  }
  void flush() override
  {
    if (fail_after && m_reported > *fail_after) {
      m_log.push_back("flush failed");
      throw std::runtime_error("disk full");
    }
    m_log.push_back("flush");
    m_written = m_reported;
  }
  std::uint64_t reports_written() const override
  {
    return fail_after ? std::min<std::uint64_t>(*fail_after, m_reported) : m_written;
  }
  std::optional<std::uint64_t> fail_after; // the flush that would pass this many reports fails

private:
  Log& m_log;
  std::uint64_t m_reported = 0;
  std::uint64_t m_written = 0;
};

bus::ConsumeSummary run(Log& log, FakeHandler& handler, int messages, std::size_t ack_batch)
{
  static const Catalog catalog;
  static const bus::MetadataNames names{"type", "id", "source", "time",
                                        "minorversion", "sourcehost", "sourcelib"};
  FakeConsumer consumer(log, messages);
  bus::ConsumeOptions options;
  options.max = static_cast<std::uint64_t>(messages);
  options.ack_batch = ack_batch;
  std::atomic<bool> stop{false};
  return bus::consume(consumer, nullptr, names, catalog, options, handler, stop);
}

} // namespace

TEST_CASE("bus::consume: output flushed before each batch of acknowledgements")
{
  Log log;
  FakeHandler handler(log);
  const bus::ConsumeSummary summary = run(log, handler, 5, 2);
  CHECK(summary.bad == 5);
  CHECK(log
        == Log{"report 1", "report 2", "flush", "ack 1", "ack 2", "report 3", "report 4", "flush",
               "ack 3", "ack 4", "report 5", "flush", "ack 5", "close"});
}

TEST_CASE("bus::consume: nothing at hand, the held messages are flushed and acknowledged")
{
  // a batch larger than what arrives: acknowledged before consume waits for more
  Log log;
  FakeHandler handler(log);
  FakeConsumer consumer(log, 2);
  static const Catalog catalog;
  const bus::MetadataNames names{"type", "id", "source", "time", "minorversion", "sourcehost",
                                 "sourcelib"};
  bus::ConsumeOptions options;
  options.ack_batch = 100;
  std::atomic<bool> stop{false};
  consumer.stop_when_waiting = &stop;
  const bus::ConsumeSummary summary = bus::consume(consumer, nullptr, names, catalog, options, handler, stop);
  CHECK(summary.stopped);
  CHECK(log == Log{"report 1", "report 2", "flush", "ack 1", "ack 2", "wait", "close"});
}

TEST_CASE("bus::consume: a failed flush acknowledges only the reports written whole")
{
  Log log;
  FakeHandler handler(log);
  handler.fail_after = 3; // reports 1-3 written, 4 not
  CHECK_THROWS_WITH(run(log, handler, 5, 2), "disk full");
  CHECK(log
        == Log{"report 1", "report 2", "flush", "ack 1", "ack 2", "report 3", "report 4",
               "flush failed", "ack 3", "flush failed", "close"});
}
