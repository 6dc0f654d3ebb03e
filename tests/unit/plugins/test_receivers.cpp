#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "support/catalog_fixture.hpp"
#include "support/plugin_files.hpp"
#include "support/processes.hpp"

#include "oex/catalog/catalog.hpp"
#include "oex/payload/sample.hpp"
#include "oex/plugins/receivers.hpp"

using oex::test::plugin;

namespace {

using oex::test::catalog;

const std::string k_type = "org.openedx.learning.course.enrollment.created.v1";

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

namespace {

using TempDir = oex::test::ScratchDir;
using oex::test::process_ended;
using oex::test::read_pid;

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
  CHECK(load_failure(std::string(PLUGIN_DIR "/exec_receiver.py"))
        == "not a shared object (no ELF header)");
  CHECK(load_failure(PLUGIN_DIR) == "is a directory");
  CHECK(load_failure("") == "the path is empty");
}

TEST_CASE("oex::PluginSet::load: each file once however it is named")
{
  TempDir dir;
  const std::string link = dir.path() + "/other_name.so";
  REQUIRE(symlink(plugin("noop").c_str(), link.c_str()) == 0);
  oex::PluginSet set;
  CHECK(set.load(plugin("noop"), options(oex::Isolation::on)));
  CHECK(set.load(link, options(oex::Isolation::on)));
  CHECK(set.load(std::string(PLUGIN_DIR "/../plugins/noop.so"), options(oex::Isolation::on)));
  CHECK(set.plugins().size() == 1);
  CHECK(set.receivers_for(k_type, options(oex::Isolation::on)).size() == 1);
  CHECK(!set.load(plugin("abi_mismatch"), options(oex::Isolation::on)));
  CHECK(!set.load(plugin("abi_mismatch"), options(oex::Isolation::on)));
  CHECK(set.failures().size() == 1);
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

TEST_CASE("oex::make_exec_receiver: the command's exit ends the call")
{
  // A background child holding stdout open: the answer is kept and the child is stopped.
  TempDir dir;
  const std::string pids = dir.path() + "/pids";
  auto responses = send({oex::make_exec_receiver("sleep 300 & echo $! > " + pids + "; echo answer",
                                                 options(oex::Isolation::on, 20'000))});
  CHECK(responses[0].outcome.ok);
  CHECK(responses[0].outcome.response == "answer");
  const long pid = read_pid(pids);
  REQUIRE(pid > 0);
  CHECK(process_ended(pid));

  // Several of them.
  responses = send({oex::make_exec_receiver("for i in 1 2 3 4 5 6 7 8; do sleep 300 & echo $! >> "
                                              + pids + "2; done; echo many",
                                            options(oex::Isolation::on, 20'000))});
  CHECK(responses[0].outcome.response == "many");
  std::ifstream in(pids + "2");
  int n = 0;
  for (long each = 0; in >> each; ++n) {
    CHECK(process_ended(each));
  }
  CHECK(n == 8);

  // A command that closes its output and goes on is still stopped at the timeout.
  responses =
    send({oex::make_exec_receiver("exec >&- 2>&-; sleep 5", options(oex::Isolation::on, 300))});
  CHECK(responses[0].outcome.error == "timed out after 300 ms");

  // One that never reads its input answers all the same.
  responses =
    send({oex::make_exec_receiver("exec <&-; echo no-input", options(oex::Isolation::on))});
  CHECK(responses[0].outcome.response == "no-input");
}

TEST_CASE("oex::make_exec_receiver: what is kept of a flood")
{
  auto o = options(oex::Isolation::on);
  o.max_response_bytes = 1000;
  auto responses = send({oex::make_exec_receiver("head -c 5000000 /dev/zero | tr '\\0' x", o)});
  REQUIRE(responses[0].outcome.ok);
  CHECK(responses[0].outcome.response == std::string(1000, 'x'));
  CHECK(responses[0].outcome.response_bytes == 5'000'000);
  CHECK(responses[0].outcome.response_truncated());

  // stderr without end: read and dropped until the timeout.
  o.timeout = std::chrono::milliseconds(300);
  responses = send({oex::make_exec_receiver("yes 'to stderr' >&2", o)});
  CHECK(responses[0].outcome.error == "timed out after 300 ms");
  CHECK(responses[0].outcome.output.size() == 1000);
  CHECK(responses[0].outcome.output_bytes > 1000);

  // What it printed to stderr is its output; the end of stderr is the error of a failure.
  o.timeout = std::chrono::milliseconds(5000);
  responses = send({oex::make_exec_receiver("echo note >&2; echo answer", o)});
  CHECK(responses[0].outcome.response == "answer");
  CHECK(!responses[0].outcome.response_truncated()); // the line break is not a cut
  CHECK(responses[0].outcome.output == "note\n");
  responses = send({oex::make_exec_receiver("echo why >&2; exit 3", o)});
  CHECK(responses[0].outcome.error == "why");
  CHECK(responses[0].outcome.output.empty());

  // A multi-byte character is not cut in two.
  o.max_response_bytes = 4;
  responses = send({oex::make_exec_receiver("printf 'ab\\342\\202\\254cd'", o)});
  CHECK(responses[0].outcome.response == "ab");
  CHECK(responses[0].outcome.response_bytes == 7);
}

TEST_CASE("oex::PluginSet: a receiver's output is captured isolated or not")
{
  for (auto isolation : {oex::Isolation::on, oex::Isolation::off}) {
    oex::PluginSet set;
    REQUIRE(set.load(plugin("noisy"), options(isolation)));
    CHECK(set.plugins()[0].output == "registering noisy\n");
    const auto responses = send(set.receivers_for(k_type, options(isolation)));
    REQUIRE(responses.size() == 1);
    CHECK(responses[0].outcome.response
          == "\x1b]0;title\x07"
             "answer");
    CHECK(responses[0].outcome.output
          == "to stdout \x1b[31mred\x1b[0m\nto stderr\nleft in the buffer");
  }
}

TEST_CASE("oex::PluginSet: what is kept of a flood")
{
  setenv("OEX_FLOOD_BYTES", "3000000", 1);
  for (auto isolation : {oex::Isolation::on, oex::Isolation::off}) {
    auto o = options(isolation);
    o.max_response_bytes = 1000;
    oex::PluginSet set;
    REQUIRE(set.load(plugin("flooding"), o));
    setenv("OEX_FLOOD", "response", 1);
    auto responses = send(set.receivers_for(k_type, o));
    CHECK(responses[0].outcome.response == std::string(1000, 'x'));
    CHECK(responses[0].outcome.response_bytes == 3'000'000);
    setenv("OEX_FLOOD", "error", 1);
    responses = send(set.receivers_for(k_type, o));
    CHECK(responses[0].outcome.error == std::string(1000, 'x'));
    setenv("OEX_FLOOD", "output", 1);
    responses = send(set.receivers_for(k_type, o));
    CHECK(responses[0].outcome.response == "done");
    CHECK(responses[0].outcome.output == std::string(1000, 'o'));
    CHECK(responses[0].outcome.output_bytes == 3'000'000);
  }
  unsetenv("OEX_FLOOD");
  unsetenv("OEX_FLOOD_BYTES");
}

TEST_CASE("oex::PluginSet: an isolated receiver's exit ends the call")
{
  TempDir dir;
  setenv("OEX_FORK_PID_FILE", (dir.path() + "/pid").c_str(), 1);
  oex::PluginSet set;
  REQUIRE(set.load(plugin("forking"), options(oex::Isolation::on)));
  const auto responses = send(set.receivers_for(k_type, options(oex::Isolation::on, 20'000)));
  unsetenv("OEX_FORK_PID_FILE");
  CHECK(responses[0].outcome.response == "forked");
  const long pid = read_pid(dir.path() + "/pid");
  REQUIRE(pid > 0);
  CHECK(process_ended(pid));
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

TEST_CASE("oex::PluginSet: in-process capture goes on after an isolated receiver calls exit")
{
  // An isolated child that calls exit() runs static destructors: the capture's drain thread
  // must not be stopped by them (it is the parent's).
  oex::PluginSet set;
  REQUIRE(set.load(plugin("noisy"), options(oex::Isolation::off)));
  REQUIRE(set.load(plugin("misbehaving"), options(oex::Isolation::on)));
  setenv("OEX_MISBEHAVE", "exit", 1);
  auto responses = send(set.receivers_for(k_type, options(oex::Isolation::on)));
  unsetenv("OEX_MISBEHAVE");
  REQUIRE(responses.size() == 2);
  CHECK(responses[1].outcome.error == "exited with status 3");
  responses = send(set.receivers_for(k_type, options(oex::Isolation::off)));
  CHECK(responses[0].outcome.output.starts_with("to stdout"));
}

TEST_CASE("oex::StdioCaptureHold: fds 1 and 2 stay on the capture from call to call, then return")
{
  oex::PluginSet set;
  REQUIRE(set.load(plugin("noisy"), options(oex::Isolation::off)));
  const auto receivers = set.receivers_for(k_type, options(oex::Isolation::off));
  const auto file_of = [](int fd) {
    struct stat st
    {
    };
    REQUIRE(fstat(fd, &st) == 0);
    return std::pair<dev_t, ino_t>(st.st_dev, st.st_ino);
  };
  const auto out_before = file_of(STDOUT_FILENO);
  const auto err_before = file_of(STDERR_FILENO);
  std::vector<std::vector<oex::Response>> sends;
  std::pair<dev_t, ino_t> out_between;
  std::pair<dev_t, ino_t> err_between;
  {
    // Nothing may report to stdout while it lives: the checks come after it.
    const oex::StdioCaptureHold hold;
    sends.push_back(send(receivers));
    out_between = file_of(STDOUT_FILENO);
    err_between = file_of(STDERR_FILENO);
    sends.push_back(send(receivers));
    sends.push_back(send(receivers));
  }
  CHECK(file_of(STDOUT_FILENO) == out_before);
  CHECK(file_of(STDERR_FILENO) == err_before);
  // Between two calls, both are still on the capture pipe (one pipe for both).
  CHECK(out_between != out_before);
  CHECK(out_between == err_between);
  // Each call's output is its own, whole, the line left in stdio's buffer included.
  for (const auto& responses : sends) {
    REQUIRE(responses.size() == 1);
    CHECK(responses[0].outcome.output
          == "to stdout \x1b[31mred\x1b[0m\nto stderr\nleft in the buffer");
  }
  // Without a hold, each call puts them back itself.
  const auto responses = send(receivers);
  CHECK(responses[0].outcome.output.ends_with("left in the buffer"));
  CHECK(file_of(STDOUT_FILENO) == out_before);
}
