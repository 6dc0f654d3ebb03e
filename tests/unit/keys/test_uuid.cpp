#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "oex/keys/uuid.hpp"
#include "support/data_files.hpp"

TEST_CASE("oex::uuid1")
{
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = oex::uuid1();
    REQUIRE(id.size() == 36);
    CHECK(id[14] == '1');                                         // version 1
    CHECK(std::string("89ab").find(id[19]) != std::string::npos); // RFC 4122 variant
    CHECK(oex::canonical_uuid(id) == id);
    ids.insert(id);
  }
  CHECK(ids.size() == 1000);
}

namespace {

std::uint64_t uuid1_timestamp(const std::string& id) // 100 ns ticks since 1582-10-15
{
  const std::string hex = id.substr(15, 3) + id.substr(9, 4) + id.substr(0, 8);
  return std::stoull(hex, nullptr, 16);
}

std::string uuid1_node(const std::string& id) { return id.substr(19); } // clock_seq and node

} // namespace

TEST_CASE("oex::uuid1: time, node and clock sequence")
{
  const auto unix_ticks = [] {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count()
                                      / 100);
  };
  const std::uint64_t before = unix_ticks() + 0x01b21dd213814000;
  std::vector<std::string> ids;
  for (int i = 0; i < 10000; ++i) {
    ids.push_back(oex::uuid1());
  }
  const std::uint64_t after = unix_ticks() + 0x01b21dd213814000;
  // Strictly increasing timestamps (ids made in the same tick move on by one), starting from now.
  CHECK(uuid1_timestamp(ids.front()) >= before);
  CHECK(uuid1_timestamp(ids.front()) <= after);
  for (std::size_t i = 1; i < ids.size(); ++i) {
    REQUIRE(uuid1_timestamp(ids[i]) > uuid1_timestamp(ids[i - 1]));
  }
  // One node and clock sequence per process; the node has its multicast bit set (not a MAC).
  for (const std::string& id : ids) {
    REQUIRE(uuid1_node(id) == uuid1_node(ids.front()));
  }
  CHECK((std::stoi(ids.front().substr(24, 2), nullptr, 16) & 1) == 1);
}

TEST_CASE("oex::uuid1: a forked child draws its own node")
{
  const std::string parent_id = oex::uuid1();
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    std::string out;
    for (int i = 0; i < 2000; ++i) {
      out += oex::uuid1();
    }
    const ssize_t written = write(fds[1], out.data(), out.size());
    _exit(written == static_cast<ssize_t>(out.size()) ? 0 : 1);
  }
  close(fds[1]);
  std::set<std::string> ids;
  for (int i = 0; i < 2000; ++i) {
    ids.insert(oex::uuid1());
  }
  std::string child_out;
  char buffer[4096];
  for (ssize_t got; (got = read(fds[0], buffer, sizeof buffer)) > 0;) {
    child_out.append(buffer, static_cast<std::size_t>(got));
  }
  close(fds[0]);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  REQUIRE(child_out.size() == 2000 * 36);
  CHECK(uuid1_node(child_out.substr(0, 36)) != uuid1_node(parent_id));
  for (std::size_t at = 0; at < child_out.size(); at += 36) {
    ids.insert(child_out.substr(at, 36));
  }
  CHECK(ids.size() == 4000);
}

TEST_CASE("oex::uuid1: at a given time")
{
  using namespace std::chrono;
  // Ahead of every id made so far: the timestamp is that time's; again at the same time, or an
  // earlier one, it still moves on.
  const system_clock::time_point later = system_clock::now() + hours(24) + nanoseconds(1234567);
  const std::uint64_t ticks =
    static_cast<std::uint64_t>(duration_cast<nanoseconds>(later.time_since_epoch()).count() / 100)
    + 0x01b21dd213814000;
  const std::string first = oex::uuid1(later);
  CHECK(uuid1_timestamp(first) == ticks);
  CHECK(uuid1_timestamp(oex::uuid1(later)) == ticks + 1);
  CHECK(uuid1_timestamp(oex::uuid1(later - hours(1))) == ticks + 2);
  CHECK(uuid1_timestamp(oex::uuid1()) == ticks + 3);
  // Appended after what the buffer holds.
  std::string out = "id: ";
  oex::append_uuid1(out, later);
  REQUIRE(out.size() == 40);
  CHECK(out.starts_with("id: "));
  CHECK(uuid1_timestamp(out.substr(4)) == ticks + 4);
  CHECK(uuid1_node(out.substr(4)) == uuid1_node(first));
}

TEST_CASE("oex::is_hyphenated_uuid")
{
  CHECK(oex::is_hyphenated_uuid("1b671a64-40d5-491e-99b0-da01ff1f3341"));
  CHECK(oex::is_hyphenated_uuid("1B671A64-40D5-491E-99B0-DA01FF1F3341"));
  CHECK(oex::is_hyphenated_uuid("00000000-0000-0000-0000-000000000000"));
  CHECK(!oex::is_hyphenated_uuid(""));
  CHECK(!oex::is_hyphenated_uuid("1b671a6440d5491e99b0da01ff1f3341"));     // no hyphens
  CHECK(!oex::is_hyphenated_uuid("1b671a64-40d5-491e-99b0-da01ff1f334"));  // 35 characters
  CHECK(!oex::is_hyphenated_uuid("1b671a64-40d5-491e-99b0-da01ff1f33411")); // 37
  CHECK(!oex::is_hyphenated_uuid("1b671a6-440d5-491e-99b0-da01ff1f3341"));  // hyphen moved
  CHECK(!oex::is_hyphenated_uuid("1b671a64-40d5-491e-99b0-da01ff1f334g"));  // not hex
  CHECK(!oex::is_hyphenated_uuid("1b671a64-40d5-491e-99b0-da01ff1f334-"));
  CHECK(!oex::is_hyphenated_uuid("{b671a64-40d5-491e-99b0-da01ff1f3341"));
  CHECK(!oex::is_hyphenated_uuid(std::string_view("1b671a64-40d5-491e-99b0-da01ff1f334\0", 36)));
  // Every spelling it takes is one canonical_uuid takes, lowercased.
  CHECK(oex::canonical_uuid("1B671A64-40D5-491E-99B0-DA01FF1F3341")
        == "1b671a64-40d5-491e-99b0-da01ff1f3341");
}

TEST_CASE("oex::is_hyphenated_uuid: every byte at every place")
{
  const std::string usual = "1b671a64-40d5-491e-99b0-da01ff1f3341";
  const std::string hex = "0123456789abcdefABCDEF";
  for (std::size_t at = 0; at < usual.size(); ++at) {
    const bool hyphen_place = at == 8 || at == 13 || at == 18 || at == 23;
    for (unsigned byte = 0; byte < 256; ++byte) {
      std::string text = usual;
      text[at] = static_cast<char>(byte);
      const bool expected = hyphen_place ? byte == '-' : hex.find(static_cast<char>(byte)) != std::string::npos;
      INFO("byte " << byte << " at " << at);
      REQUIRE(oex::is_hyphenated_uuid(text) == expected);
      // The same 36 bytes inside a longer buffer: only they are read.
      const std::string buffer = "-" + text + "-";
      REQUIRE(oex::is_hyphenated_uuid(std::string_view(buffer).substr(1, 36)) == expected);
    }
  }
}

TEST_CASE("oex::canonical_uuid")
{
  const std::string canonical = "12345678-1234-5678-1234-56781234abcd";
  CHECK(oex::canonical_uuid("12345678-1234-5678-1234-56781234ABCD") == canonical);
  CHECK(oex::canonical_uuid("1234567812345678123456781234abcd") == canonical);
  CHECK(oex::canonical_uuid("{12345678-1234-5678-1234-56781234abcd}") == canonical);
  CHECK(oex::canonical_uuid("urn:uuid:12345678-1234-5678-1234-56781234abcd") == canonical);
  CHECK(oex::canonical_uuid("1-2345678-1234-5678-1234-56781234abcd") == canonical);
  CHECK(!oex::canonical_uuid("12345678-1234-5678-1234-56781234abc"));
  CHECK(!oex::canonical_uuid("12345678-1234-5678-1234-56781234abcg"));
  CHECK(!oex::canonical_uuid(""));
  CHECK(!oex::canonical_uuid("URN:UUID:12345678-1234-5678-1234-56781234abcd"));
  // The usual 8-4-4-4-12 form takes a shorter way; what it does not take goes the general way.
  CHECK(oex::canonical_uuid("12345678-1234-5678-1234-56781234AbCd") == canonical);
  CHECK(oex::canonical_uuid("1234_678-1234-5678-1234-56781234abcd")
        == "01234678-1234-5678-1234-56781234abcd");
  CHECK(!oex::canonical_uuid("12345678-1234-5678-1234-56781234abc\xc3"));
}

TEST_CASE("oex::canonical_uuid: agrees with CPython 3.11 on generated cases")
{
  // Generated by tests/data/uuid/generate_cases.py with CPython 3.11's uuid.UUID.
  int cases = 0;
  int accepted = 0;
  for (const auto& expected : oex::test::read_json_lines(TEST_DATA_DIR "/uuid/cases.jsonl")) {
    const std::string line = expected.dump();
    const std::optional<std::string> canonical =
      oex::canonical_uuid(expected["input"].get<std::string>());
    INFO(line);
    if (expected["canonical"].is_null()) {
      CHECK(!canonical);
    } else {
      CHECK(canonical == expected["canonical"].get<std::string>());
      ++accepted;
    }
    ++cases;
  }
  CHECK(cases == 300);
  CHECK(accepted > 100);
}

TEST_CASE("oex::canonical_uuid: int() spellings")
{
  const std::string h31 = "1234567812345678123456781234567";
  CHECK(oex::canonical_uuid(" " + h31) == "01234567-8123-4567-8123-456781234567");
  CHECK(oex::canonical_uuid("+" + h31) == "01234567-8123-4567-8123-456781234567");
  CHECK(oex::canonical_uuid("0x" + h31.substr(1)) == "00234567-8123-4567-8123-456781234567");
  CHECK(oex::canonical_uuid("\xef\xbc\x91" + h31) == "11234567-8123-4567-8123-456781234567");
  CHECK(oex::canonical_uuid("uurn:uid:12345678123456781234567812345678")
        == "12345678-1234-5678-1234-567812345678");
  CHECK(!oex::canonical_uuid("urnurn::12345678123456781234567812345678"));
  CHECK(!oex::canonical_uuid("_" + h31));
  CHECK(!oex::canonical_uuid("\xef\xbd\x81" + h31)); // fullwidth a is no digit
  CHECK(!oex::canonical_uuid("\xff" + h31));         // not UTF-8
}
