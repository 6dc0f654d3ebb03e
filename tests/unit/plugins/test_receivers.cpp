#include <cstdlib>

#include <catch2/catch.hpp>

#include "support/catalog_fixture.hpp"

#include "oex/catalog/catalog.hpp"
#include "oex/plugins/receivers.hpp"
#include "oex/payload/sample.hpp"

namespace {

using oex::test::catalog;

const std::string k_type = "org.openedx.learning.course.enrollment.created.v1";

std::string plugin(const std::string& name)
{
  return std::string(PLUGIN_DIR "/") + name + ".so";
}

oex::ReceiverOptions options(oex::Isolation isolation, int timeout_ms = 5000)
{
  oex::ReceiverOptions o;
  o.isolation = isolation;
  o.timeout = std::chrono::milliseconds(timeout_ms);
  return o;
}

// Sends one sampled event to the receivers and returns their responses.
std::vector<oex::Response> send(std::vector<std::shared_ptr<oex::Receiver>> receivers)
{
  oex::PublicSignal signal(catalog().get_signal_by_type(k_type), catalog(),
                           oex::MetadataSettings{});
  for (auto& receiver : receivers) {
    signal.connect(receiver);
  }
  return signal.send_event(oex::sample_payload(catalog().get_signal_by_type(k_type), {}).dump());
}

std::string load_failure(const std::string& path)
{
  oex::PluginSet set;
  CHECK(!set.load(path, options(oex::Isolation::on)));
  REQUIRE(set.failures().size() == 1);
  return set.failures()[0].reason;
}

} // namespace

TEST_CASE("oex::PluginSet::load: refuses what is not a plugin for this ABI")
{
  CHECK(load_failure(plugin("abi_mismatch"))
        == "built for receiver ABI version 999, but this oex supports version 1");
  CHECK(load_failure(plugin("no_entry"))
        == "not an oex plugin: it exports no oex_plugin_abi_version and oex_plugin_register");
  CHECK(load_failure(plugin("register_fails")) == "oex_plugin_register failed (returned 1)");
  CHECK(load_failure(plugin("bad_receiver")) == "oex_plugin_register failed (returned -1)");
  CHECK(load_failure("/nonexistent/plugin.so") == "no such file");
  CHECK(load_failure(std::string(PLUGIN_DIR "/exec_receiver.py")).find("invalid ELF header")
        != std::string::npos);
}

TEST_CASE("oex::PluginSet: receivers by event type pattern in load order")
{
  oex::PluginSet set;
  REQUIRE(set.load(plugin("recorder"), options(oex::Isolation::on)));
  REQUIRE(set.load(plugin("json_response"), options(oex::Isolation::on)));
  REQUIRE(set.plugins().size() == 2);
  CHECK(set.plugins()[1].receivers.size() == 2);
  CHECK(set.plugins()[1].receivers[0].pattern == "org.openedx.learning.*");
  const auto receivers = set.receivers_for(k_type, options(oex::Isolation::on));
  REQUIRE(receivers.size() == 2);
  CHECK(receivers[0]->name() == "recorder:record");
  CHECK(receivers[1]->name() == "json_response:summary");
  CHECK(
    set
      .receivers_for("org.openedx.content_authoring.xblock.created.v1", options(oex::Isolation::on))
      .size()
    == 1);
}

TEST_CASE("oex::PluginSet: isolated receivers that crash or hang or exit or throw")
{
  oex::PluginSet set;
  for (const char* name : {"json_response", "failing", "crashing", "hanging", "misbehaving"}) {
    REQUIRE(set.load(plugin(name), options(oex::Isolation::on)));
  }
  setenv("OEX_MISBEHAVE", "exit", 1);
  auto responses = send(set.receivers_for(k_type, options(oex::Isolation::on, 1000)));
  REQUIRE(responses.size() == 5);
  CHECK(responses[0].outcome.ok);
  CHECK(responses[0].outcome.response->starts_with("{\"event_type\": \"" + k_type + "\""));
  CHECK(responses[1].outcome.error == "ValueError: this receiver always fails");
  CHECK(responses[2].outcome.error == "crashed: signal 11 (SIGSEGV)");
  CHECK(responses[3].outcome.error == "timed out after 1 s");
  CHECK(responses[4].outcome.error == "exited with status 3");

  setenv("OEX_MISBEHAVE", "abort", 1);
  CHECK(send(set.receivers_for(k_type, options(oex::Isolation::on, 1000)))[4].outcome.error
        == "crashed: signal 6 (SIGABRT)");
  setenv("OEX_MISBEHAVE", "garbage", 1);
  CHECK(send(set.receivers_for(k_type, options(oex::Isolation::on, 1000)))[4].outcome.error
        == "the response is not valid UTF-8");
  setenv("OEX_MISBEHAVE", "twice", 1);
  CHECK(send(set.receivers_for(k_type, options(oex::Isolation::on, 1000)))[4].outcome.error
        == "the receiver answered 2 times (respond or fail, at most once)");
  unsetenv("OEX_MISBEHAVE");
}

TEST_CASE("oex::PluginSet: in-process receivers")
{
  oex::PluginSet set;
  REQUIRE(set.load(plugin("json_response"), options(oex::Isolation::off)));
  const auto responses = send(set.receivers_for(
    "org.openedx.learning.course.unenrollment.completed.v1", options(oex::Isolation::off)));
  (void)responses; // unenrollment payloads differ: sent below with the right event
  oex::PublicSignal signal(
    catalog().get_signal_by_type("org.openedx.learning.course.unenrollment.completed.v1"),
    catalog(), oex::MetadataSettings{});
  for (auto& receiver :
       set.receivers_for(signal.event().event_type, options(oex::Isolation::off))) {
    signal.connect(receiver);
  }
  const auto sent = signal.send_event(oex::sample_payload(signal.event(), {}).dump());
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].outcome.ok);
  CHECK(sent[1].receiver == "json_response:throws");
  CHECK(sent[1].outcome.error == "unenrollment is not handled here");
}

TEST_CASE("oex::make_exec_receiver")
{
  const std::string script = std::string(PLUGIN_DIR "/exec_receiver.py");
  auto responses =
    send({oex::make_exec_receiver("python3 " + script, options(oex::Isolation::on))});
  REQUIRE(responses.size() == 1);
  CHECK(responses[0].receiver == "exec:python3 " + script);
  CHECK(responses[0].outcome.response
        == "{\"received\": \"" + k_type
             + "\", \"data_keys\": [\"enrollment\"], \"from_event_bus\": false}");

  responses = send(
    {oex::make_exec_receiver("OEX_EXEC_FAIL=1 python3 " + script, options(oex::Isolation::on))});
  CHECK(responses[0].outcome.error.ends_with("RuntimeError: exec receiver asked to fail"));
  responses = send({oex::make_exec_receiver("exit 4", options(oex::Isolation::on))});
  CHECK(responses[0].outcome.error == "exited with status 4");
  responses = send({oex::make_exec_receiver("sleep 10", options(oex::Isolation::on, 500))});
  CHECK(responses[0].outcome.error == "timed out after 500 ms");
  responses = send({oex::make_exec_receiver("kill -SEGV $$", options(oex::Isolation::on))});
  CHECK(responses[0].outcome.error == "crashed: signal 11 (SIGSEGV)");
  responses = send({oex::make_exec_receiver("cat > /dev/null", options(oex::Isolation::on))});
  CHECK(responses[0].outcome.ok);
  CHECK(!responses[0].outcome.response);
  responses = send({oex::make_exec_receiver("no-such-command-here", options(oex::Isolation::on))});
  CHECK(responses[0].outcome.error.find("not found") != std::string::npos);
}

TEST_CASE("oex::exec_event_json")
{
  const oex::EventType& event = catalog().get_signal_by_type(k_type);
  oex::EventsMetadata metadata;
  metadata.event_type = k_type;
  metadata.id = "3f1c8f6e-2a39-11ee-8d3a-0242ac120002";
  metadata.time = *oex::parse_isoformat("2026-01-01T00:00:00Z");
  metadata.sourcelib = {11, 2, 0};
  const std::string metadata_json = metadata.to_json();
  const oex::SignalEvent signal_event{event, metadata, metadata_json, R"({"enrollment": {"x": 1}})",
                                      true};
  const auto json = nlohmann::ordered_json::parse(oex::exec_event_json(signal_event));
  std::vector<std::string> keys;
  for (const auto& [key, value] : json.items()) {
    keys.push_back(key);
  }
  CHECK(
    keys
    == std::vector<std::string>{"signal", "sender", "metadata", "enrollment", "from_event_bus"});
  CHECK(json["signal"] == k_type);
  CHECK(json["sender"].is_null());
  CHECK(json["metadata"]["id"] == metadata.id);
  CHECK(json["from_event_bus"] == true);
}
