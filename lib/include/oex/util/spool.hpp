#pragma once

#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace oex {

// Byte strings put away, then read back in the same order (once): the first `in_memory` bytes
// in memory (in blocks of 1 MiB, none copied as more come, each freed once read back), the rest
// in a temporary file made when they no longer fit, so that memory stays bounded however many
// there are. Errors are oex::Error "WHAT: cannot make a temporary file: REASON", "WHAT: cannot
// write the temporary file: REASON" (also when the last of it is written out, at rewind()) and
// "WHAT: cannot read the temporary file back" (also when it gives back fewer than were put).
class Spool
{
public:
  static constexpr std::size_t k_in_memory = std::size_t{64} << 20;
  static constexpr std::size_t k_block = std::size_t{1} << 20;

  explicit Spool(std::string what, std::size_t in_memory = k_in_memory);

  void put(const std::string& bytes);
  // Back to the first one put: the one reading starts (read back, a block of memory is freed,
  // so a second reading is not possible).
  void rewind();
  // The next one into bytes; false after the last.
  bool get(std::string& bytes);
  // Whether some went to the temporary file.
  bool in_file() const { return m_file != nullptr; }

private:
  void open_file();

  std::string m_what;
  std::size_t m_room; // how much memory more blocks may take
  std::vector<std::string> m_blocks;
  std::size_t m_block = 0; // reading: the block, and where in it
  std::size_t m_at = 0;
  std::size_t m_put = 0; // how many were put, and how many of them read back
  std::size_t m_got = 0;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> m_file{nullptr, &std::fclose};
};

} // namespace oex
