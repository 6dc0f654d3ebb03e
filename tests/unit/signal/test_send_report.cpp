#include <cstdint>
#include <cstdio>

#include <catch2/catch.hpp>

#include "oex/signal/send_report.hpp"

namespace {

oex::Response response(std::string receiver, oex::ReceiverOutcome outcome)
{
  oex::Response r;
  r.receiver = std::move(receiver);
  r.outcome = std::move(outcome);
  r.duration = std::chrono::microseconds(1500);
  return r;
}

} // namespace

TEST_CASE("oex::response_json")
{
  auto json = oex::response_json(response("p:r", oex::ReceiverOutcome::respond(R"({"a": 1})")));
  CHECK(json["response"] == nlohmann::json::parse(R"({"a": 1})"));
  CHECK(json["response_bytes"] == 8);
  CHECK(json["truncated"] == false);
  CHECK(json["error"].is_null());
  CHECK(json["output"] == "");
  CHECK(json["duration_ms"] == 1.5);

  // A response cut short is text, even when its start looked like JSON.
  json = oex::response_json(response("p:r", oex::ReceiverOutcome::respond("[1, 2", 1000)));
  CHECK(json["response"] == "[1, 2");
  CHECK(json["response_bytes"] == 1000);
  CHECK(json["truncated"] == true);

  auto failed = oex::ReceiverOutcome::fail("boom");
  failed.output = "printed\n";
  failed.output_bytes = 5000;
  json = oex::response_json(response("p:r", failed));
  CHECK(json["ok"] == false);
  CHECK(json["response"].is_null());
  CHECK(json["response_bytes"].is_null());
  CHECK(json["error"] == "boom");
  CHECK(json["output"] == "printed\n");
  CHECK(json["output_truncated"] == true);
}

TEST_CASE("oex::send_report_json")
{
  oex::SendReport report;
  report.event_type = "t";
  report.status = oex::SendStatus::invalid;
  report.receivers = {"a:b"};
  report.payload = "{\n  \"x\": 1}";
  report.check = oex::DocumentCheck{false, {{"", 4, "unexpected argument 'x'"}}};
  auto json = oex::send_report_json(report);
  CHECK(json.dump()
        == R"({"event_type":"t","status":"invalid","sent":false,"valid":false,)"
           R"("findings":[{"path":"","line":2,"column":3,"message":"unexpected argument 'x'"}],)"
           R"("metadata":null,"receivers":["a:b"],"responses":[],"ok":0,"failed":0})");

  report.status = oex::SendStatus::disabled;
  report.check.reset();
  json = oex::send_report_json(report);
  CHECK(json["valid"].is_null());
  CHECK(json["metadata"].is_null());
  CHECK(json["status"] == "disabled");
}

TEST_CASE("oex::responses_text")
{
  auto answer = oex::ReceiverOutcome::respond("\x1b]0;title\x07ok", 3000);
  answer.output = "line 1\n\x1b[2Jline 2\n";
  answer.output_bytes = answer.output.size();
  const std::string text = oex::responses_text(
    {response("noisy:r", answer), response("x\ny", oex::ReceiverOutcome::fail("bad\n"))});
  CHECK(
    text
    == "ok     noisy:r        1.5 ms  \\e]0;title\\x07ok [response cut: 12 of 3000 bytes kept]\n"
       "       > line 1\n"
       "       > \\e[2Jline 2\n"
       "error  x\\ny           1.5 ms  bad\\n\n");
}

TEST_CASE("oex::responses_text: the duration as printf's %8.1f, also under 50 microseconds")
{
  for (const std::int64_t ns :
       {0LL, 1LL, 999LL, 49'999LL, 50'000LL, 50'001LL, 99'999LL, 149'999LL, 150'000LL, 250'000LL,
        1'234'567LL, 999'949'999LL, 1'000'000'000LL, 123'456'789'012LL}) {
    oex::Response r = response("r", oex::ReceiverOutcome::none());
    r.duration = std::chrono::nanoseconds(ns);
    char expected[64];
    std::snprintf(expected, sizeof expected, "%8.1f ms",
                  std::chrono::duration<double, std::milli>(r.duration).count());
    INFO(ns << " ns");
    CHECK(oex::responses_text({r}) == std::string("ok     r         ") + expected + "  null\n");
  }
}
