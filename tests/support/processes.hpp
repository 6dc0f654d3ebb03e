#pragma once

// Header-only helpers for tests that start processes without the oex binary (unit tests).

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include <catch2/catch.hpp>

namespace oex::test {

// A fresh directory, removed at the end.
class ScratchDir
{
public:
  ScratchDir()
  {
    std::string name = (std::filesystem::temp_directory_path() / "oex-unit-XXXXXX").string();
    REQUIRE(mkdtemp(name.data()) != nullptr);
    m_path = name;
  }
  ~ScratchDir() { std::filesystem::remove_all(m_path); }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return m_path; }

private:
  std::string m_path;
};

// True once the process is gone or a zombie; waits a bounded number of times for the kill.
inline bool process_ended(long pid)
{
  for (int i = 0; i < 500; ++i) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) {
      return true;
    }
    const auto state = line.find(") ");
    if (state != std::string::npos && (line[state + 2] == 'Z' || line[state + 2] == 'X')) {
      return true;
    }
    usleep(10'000);
  }
  return false;
}

// The number a file starts with (a process id), 0 when there is none.
inline long read_pid(const std::string& path)
{
  std::ifstream in(path);
  long pid = 0;
  in >> pid;
  return pid;
}

} // namespace oex::test
