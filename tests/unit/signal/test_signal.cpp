#include <catch2/catch.hpp>

#include "support/catalog_fixture.hpp"

#include "oex/catalog/catalog.hpp"
#include "oex/payload/sample.hpp"
#include "oex/signal/signal.hpp"

namespace {

using oex::test::catalog;

const oex::EventType& enrollment()
{
  return catalog().get_signal_by_type("org.openedx.learning.course.enrollment.created.v1");
}

oex::MetadataSettings settings()
{
  oex::MetadataSettings s;
  s.service_variant = "lms";
  s.hostname = "test-host";
  return s;
}

// Records what it saw and answers as told.
class FakeReceiver : public oex::Receiver
{
public:
  FakeReceiver(std::string name, oex::ReceiverOutcome outcome, std::vector<std::string>* calls)
    : m_name(std::move(name))
    , m_outcome(std::move(outcome))
    , m_calls(calls)
  {
  }
  const std::string& name() const override { return m_name; }
  oex::ReceiverOutcome receive(const oex::SignalEvent& event) override
  {
    m_calls->push_back(m_name);
    last_data = std::string(event.data_json);
    last_metadata = std::string(event.metadata_json);
    last_from_event_bus = event.from_event_bus;
    if (m_name == "thrower") {
      throw std::runtime_error("boom");
    }
    return m_outcome;
  }
  std::string last_data;
  std::string last_metadata;
  bool last_from_event_bus = false;

private:
  std::string m_name;
  oex::ReceiverOutcome m_outcome;
  std::vector<std::string>* m_calls;
};

const std::string k_payload = oex::sample_payload(enrollment(), {1, false}).dump(2);

} // namespace

TEST_CASE("oex::PublicSignal::send_event: every receiver in connection order")
{
  std::vector<std::string> calls;
  oex::PublicSignal signal(enrollment(), catalog(), settings());
  auto first =
    std::make_shared<FakeReceiver>("first", oex::ReceiverOutcome::respond("one"), &calls);
  signal.connect(first);
  signal.connect(std::make_shared<FakeReceiver>(
    "failing", oex::ReceiverOutcome::fail("ValueError: no"), &calls));
  signal.connect(std::make_shared<FakeReceiver>("thrower", oex::ReceiverOutcome::none(), &calls));
  signal.connect(std::make_shared<FakeReceiver>("silent", oex::ReceiverOutcome::none(), &calls));
  oex::EventsMetadata sent;
  const auto responses = signal.send_event(k_payload, std::nullopt, oex::Robust::yes, &sent);
  CHECK(calls == std::vector<std::string>{"first", "failing", "thrower", "silent"});
  REQUIRE(responses.size() == 4);
  CHECK(responses[0].receiver == "first");
  CHECK(responses[0].outcome.response == "one");
  CHECK(!responses[1].outcome.ok);
  CHECK(responses[1].outcome.error == "ValueError: no");
  CHECK(responses[2].outcome.error == "boom");
  CHECK(responses[3].outcome.ok);
  CHECK(!responses[3].outcome.response);
  // What a Django receiver sees: the data keys, metadata, from_event_bus.
  CHECK(first->last_data == nlohmann::ordered_json::parse(k_payload).dump());
  CHECK(first->last_metadata == sent.to_json());
  CHECK(!first->last_from_event_bus);
  CHECK(sent.source == "openedx/lms/web");
  CHECK(sent.sourcehost == "test-host");
}

TEST_CASE("oex::PublicSignal: strict sending stops at the first error")
{
  std::vector<std::string> calls;
  oex::PublicSignal signal(enrollment(), catalog(), settings());
  signal.connect(
    std::make_shared<FakeReceiver>("first", oex::ReceiverOutcome::respond("one"), &calls));
  signal.connect(std::make_shared<FakeReceiver>(
    "failing", oex::ReceiverOutcome::fail("ValueError: no"), &calls));
  signal.connect(std::make_shared<FakeReceiver>("never", oex::ReceiverOutcome::none(), &calls));
  try {
    signal.send_event(k_payload, std::nullopt, oex::Robust::no);
    FAIL("no exception");
  } catch (const oex::ReceiverFailed& e) {
    CHECK(std::string(e.what()) == "receiver failing failed: ValueError: no");
    CHECK(e.before().size() == 1);
    CHECK(e.failed().receiver == "failing");
  }
  CHECK(calls == std::vector<std::string>{"first", "failing"});
  calls.clear();
  signal.allow_send_event_failure();
  CHECK_THROWS_AS(signal.send_event(k_payload), oex::ReceiverFailed);
  CHECK(calls == std::vector<std::string>{"first", "failing"});
}

TEST_CASE("oex::PublicSignal: disable and enable")
{
  std::vector<std::string> calls;
  oex::PublicSignal signal(enrollment(), catalog(), settings());
  signal.connect(
    std::make_shared<FakeReceiver>("first", oex::ReceiverOutcome::respond("one"), &calls));
  signal.disable();
  CHECK(signal.send_event(k_payload).empty());
  CHECK(signal.send_event("not even json").empty()); // upstream checks the switch first
  CHECK(calls.empty());
  signal.enable();
  CHECK(signal.send_event(k_payload).size() == 1);
}

TEST_CASE("oex::PublicSignal: invalid payloads are refused before any receiver")
{
  std::vector<std::string> calls;
  oex::PublicSignal signal(enrollment(), catalog(), settings());
  signal.connect(
    std::make_shared<FakeReceiver>("first", oex::ReceiverOutcome::respond("one"), &calls));
  try {
    signal.send_event(R"({"enrollment": {"mode": 1}, "student": {}})");
    FAIL("no exception");
  } catch (const oex::SenderValidationError& e) {
    CHECK(std::string(e.what())
          == "SenderValidationError org.openedx.learning.course.enrollment.created.v1: enrollment: "
             "missing required field 'user' of CourseEnrollmentData (and 5 more findings)");
    CHECK(e.check().findings.size() == 6);
  }
  CHECK(calls.empty());
}

TEST_CASE("oex::PublicSignal::send_event_with_custom_metadata")
{
  std::vector<std::string> calls;
  oex::PublicSignal signal(enrollment(), catalog(), settings());
  auto receiver = std::make_shared<FakeReceiver>("first", oex::ReceiverOutcome::none(), &calls);
  signal.connect(receiver);
  oex::EventsMetadata metadata =
    signal.generate_signal_metadata(*oex::parse_isoformat("2026-01-01T00:00:00Z"));
  metadata.id = "3f1c8f6e-2a39-11ee-8d3a-0242ac120002";
  signal.send_event_with_custom_metadata(metadata, k_payload);
  CHECK(receiver->last_from_event_bus);
  CHECK(receiver->last_metadata == metadata.to_json());
  CHECK(signal.disconnect("first"));
  CHECK(!signal.disconnect("first"));
  CHECK(signal.send_event(k_payload).empty());
}

TEST_CASE("oex::PublicSignal: a response that is not UTF-8 is an error")
{
  std::vector<std::string> calls;
  oex::PublicSignal signal(enrollment(), catalog(), settings());
  signal.connect(
    std::make_shared<FakeReceiver>("garbage", oex::ReceiverOutcome::respond("\xff\xfe"), &calls));
  const auto responses = signal.send_event(k_payload);
  REQUIRE(responses.size() == 1);
  CHECK(responses[0].outcome.error == "the response is not valid UTF-8");
}

namespace {

// Sends an event on the same signal from inside its receive() (once), and records the metadata
// JSON it was given before and after that inner send.
class ResendingReceiver : public oex::Receiver
{
public:
  explicit ResendingReceiver(oex::PublicSignal& signal)
    : m_signal(signal)
  {
  }
  const std::string& name() const override { return m_name; }
  oex::ReceiverOutcome receive(const oex::SignalEvent& event) override
  {
    seen.push_back(std::string(event.metadata_json));
    if (!m_resent) {
      m_resent = true;
      m_signal.send_event(oex::sample_payload(enrollment(), {2, false}).dump());
      after_inner = std::string(event.metadata_json);
    }
    return oex::ReceiverOutcome::none();
  }
  std::vector<std::string> seen;
  std::string after_inner;

private:
  std::string m_name = "resender";
  oex::PublicSignal& m_signal;
  bool m_resent = false;
};

} // namespace

TEST_CASE("oex::PublicSignal: each event's metadata JSON, also for a send from inside a receiver")
{
  oex::PublicSignal signal(enrollment(), catalog(), settings());
  auto receiver = std::make_shared<ResendingReceiver>(signal);
  signal.connect(receiver);
  oex::EventsMetadata first;
  signal.send_event(k_payload, std::nullopt, oex::Robust::yes, &first);
  REQUIRE(receiver->seen.size() == 2);
  // The inner send got its own, and the outer event's was left as it was.
  CHECK(receiver->seen[0] == first.to_json());
  CHECK(receiver->after_inner == first.to_json());
  CHECK(receiver->seen[1] != first.to_json());
  // The next events each get theirs (the buffer kept between events holds nothing of the last).
  for (int i = 0; i < 3; ++i) {
    oex::EventsMetadata next;
    signal.send_event(k_payload, std::nullopt, oex::Robust::yes, &next);
    CHECK(receiver->seen.back() == next.to_json());
  }
  CHECK(receiver->seen.size() == 5);
}

TEST_CASE("oex::PublicSignal::send_event: the metadata JSON receivers get is to_json(), whatever the settings hold")
{
  // Settings whose strings need escaping, or hold the text of the keys around the id and the
  // time: receivers get exactly EventsMetadata::to_json() of what was sent, event after event.
  for (const std::string& odd : {std::string("plain"), std::string("q\"uote\\ and \"id\": \"x"),
                                std::string("\"time\": \"2026-01-01T00:00:00+00:00\", \"id\": \""),
                                std::string("caf\xc3\xa9 \x01 \xe2\x80\xa8")}) {
    INFO(odd);
    oex::MetadataSettings s;
    s.service_variant = odd;
    s.hostname = odd + "-host";
    oex::PublicSignal signal(enrollment(), catalog(), s);
    std::vector<std::string> calls;
    auto receiver = std::make_shared<FakeReceiver>("r", oex::ReceiverOutcome::none(), &calls);
    signal.connect(receiver);
    for (int i = 0; i < 3; ++i) {
      oex::EventsMetadata sent;
      const auto time = i == 1 ? std::optional(*oex::parse_isoformat("2026-11-25T10:00:00Z")) : std::nullopt;
      signal.send_event(k_payload, time, oex::Robust::yes, &sent);
      CHECK(receiver->last_metadata == sent.to_json());
      CHECK(sent.source == "openedx/" + odd + "/web");
    }
  }
}

TEST_CASE("oex::PublicSignal::send_event: the id's timestamp is the event's time, from one clock reading")
{
  oex::PublicSignal signal(enrollment(), catalog(), settings());
  const std::string payload = oex::sample_payload(enrollment(), {1, false}).dump();
  const auto microseconds_of = [](const oex::DateTime& t) {
    using namespace std::chrono;
    const sys_days day{year{t.year} / t.month / t.day};
    return duration_cast<microseconds>(day.time_since_epoch()).count()
           + ((t.hour * 60LL + t.minute) * 60 + t.second) * 1'000'000LL + t.microsecond;
  };
  // Two readings (one for the id, one for the time) would put the time in a later microsecond
  // than the id now and then; in 2,000 events, surely.
  for (int i = 0; i < 2000; ++i) {
    oex::EventsMetadata sent;
    signal.send_event(payload, std::nullopt, oex::Robust::yes, &sent);
    const std::uint64_t ticks = std::stoull(sent.id.substr(15, 3) + sent.id.substr(9, 4) + sent.id.substr(0, 8), nullptr, 16);
    const long long id_microseconds = static_cast<long long>((ticks - 0x01b21dd213814000) / 10);
    INFO(sent.id << " " << oex::isoformat(sent.time));
    REQUIRE(id_microseconds >= microseconds_of(sent.time));
  }
}

TEST_CASE("oex::PublicSignal::send_event: each event's metadata as generate_signal_metadata makes it")
{
  oex::PublicSignal signal(enrollment(), catalog(), settings());
  const oex::EventsMetadata expected = signal.generate_signal_metadata();
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    oex::EventsMetadata sent;
    signal.send_event(k_payload, std::nullopt, oex::Robust::yes, &sent);
    CHECK(sent.event_type == expected.event_type);
    CHECK(sent.minorversion == expected.minorversion);
    CHECK(sent.source == expected.source);
    CHECK(sent.sourcehost == expected.sourcehost);
    CHECK(sent.sourcelib == expected.sourcelib);
    CHECK(sent.time.is_utc());
    ids.push_back(sent.id);
  }
  CHECK(ids[0] != ids[1]);
  CHECK(ids[1] != ids[2]);
  // A given time is used; one that is not UTC is refused after earlier sends too.
  const oex::DateTime utc = *oex::parse_isoformat("2026-11-25T10:00:00.5+00:00");
  oex::EventsMetadata sent;
  signal.send_event(k_payload, utc, oex::Robust::yes, &sent);
  CHECK(oex::isoformat(sent.time) == "2026-11-25T10:00:00.500000+00:00");
  const oex::DateTime other = *oex::parse_isoformat("2026-11-25T10:00:00+01:00");
  CHECK_THROWS_WITH(signal.send_event(k_payload, other), "'time' must have timezone.utc");
  CHECK_THROWS_WITH(signal.send_event(k_payload, oex::DateTime{}), "'time' must have timezone.utc");
}
