#include <csignal>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "oex/util/error.hpp"
#include "oex/util/spool.hpp"

namespace {

// n strings of various sizes, each telling its number.
std::vector<std::string> strings(std::size_t n, std::size_t size)
{
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::string s = std::to_string(i) + ":";
    s.resize(size * (i % 3) + s.size(), static_cast<char>('a' + i % 26));
    out.push_back(s);
  }
  return out;
}

std::vector<std::string> read_back(oex::Spool& spool)
{
  spool.rewind();
  std::vector<std::string> out;
  std::string bytes = "left over";
  while (spool.get(bytes)) {
    out.push_back(bytes);
  }
  CHECK(!spool.get(bytes));
  return out;
}

} // namespace

TEST_CASE("Spool keeps what fits in memory and gives it back in order")
{
  oex::Spool spool("--jsonl");
  const auto put = strings(1000, 700);
  for (const std::string& s : put) {
    spool.put(s);
  }
  spool.put("");
  CHECK(!spool.in_file());
  auto expected = put;
  expected.emplace_back();
  CHECK(read_back(spool) == expected);
}

TEST_CASE("Spool puts what does not fit in memory in a temporary file, order kept")
{
  // Two blocks of memory (2 MiB), then the file: strings of 0, 300 and 600 KB, one larger than
  // a block, and empty ones after the memory is full.
  oex::Spool spool("--jsonl", 2 * oex::Spool::k_block);
  auto put = strings(12, 300 * 1024);
  put.insert(put.begin() + 1, std::string(oex::Spool::k_block + 10, 'x'));
  put.emplace_back();
  put.emplace_back("last");
  for (const std::string& s : put) {
    spool.put(s);
  }
  CHECK(spool.in_file());
  CHECK(read_back(spool) == put);
}

TEST_CASE("Spool with nothing put reads nothing back")
{
  oex::Spool spool("--jsonl", 0);
  std::string bytes;
  spool.rewind();
  CHECK(!spool.get(bytes));
  CHECK(!spool.in_file());
}

TEST_CASE("Spool with no memory to use puts all in the file")
{
  oex::Spool spool("--jsonl", 0);
  const auto put = strings(50, 100);
  for (const std::string& s : put) {
    spool.put(s);
  }
  CHECK(spool.in_file());
  CHECK(read_back(spool) == put);
}

TEST_CASE("Spool says when the last of the temporary file cannot be written, rather than losing it")
{
  // In a child whose files may not grow (RLIMIT_FSIZE 0, SIGXFSZ ignored: writes fail with
  // EFBIG): what was put is still in stdio's buffer until rewind() writes it out. That failure
  // was cleared by rewind, and reading back then found nothing: events lost without a word.
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit none{0, 0};
    setrlimit(RLIMIT_FSIZE, &none);
    oex::Spool spool("--jsonl", 0);
    spool.put("one");
    spool.put("two");
    try {
      spool.rewind();
    } catch (const oex::Error& e) {
      _exit(std::string(e.what()) == "--jsonl: cannot write the temporary file: File too large" ? 0 : 3);
    }
    _exit(4);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0); // 4: no error at all; 3: another message
}
