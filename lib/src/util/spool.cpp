#include "oex/util/spool.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "oex/util/error.hpp"

namespace oex {

Spool::Spool(std::string what, std::size_t in_memory)
  : m_what(std::move(what))
  , m_room(in_memory)
{
}

void Spool::put(const std::string& bytes)
{
  const std::uint64_t size = bytes.size();
  const std::size_t need = sizeof size + bytes.size();
  ++m_put;
  if (!m_file && (m_blocks.empty() || m_blocks.back().capacity() - m_blocks.back().size() < need)) {
    const std::size_t block = std::max(k_block, need);
    if (block <= m_room) {
      m_room -= block;
      m_blocks.emplace_back().reserve(block);
    } else {
      open_file(); // from now on, all go to the file: the order stays
    }
  }
  if (!m_file) {
    m_blocks.back().append(reinterpret_cast<const char*>(&size), sizeof size).append(bytes);
    return;
  }
  if (std::fwrite(&size, sizeof size, 1, m_file.get()) != 1
      || std::fwrite(bytes.data(), 1, bytes.size(), m_file.get()) != bytes.size()) {
    throw Error(m_what + ": cannot write the temporary file: " + std::string(std::strerror(errno)));
  }
}

void Spool::rewind()
{
  m_block = 0;
  m_at = 0;
  m_got = 0;
  if (m_file) {
    // What stdio still holds is written now: a failure here (a full disk) would otherwise be
    // cleared by rewind and the last ones lost without a word.
    if (std::fflush(m_file.get()) != 0) {
      throw Error(m_what + ": cannot write the temporary file: " + std::string(std::strerror(errno)));
    }
    std::rewind(m_file.get());
  }
}

bool Spool::get(std::string& bytes)
{
  std::uint64_t size = 0;
  while (m_block < m_blocks.size()) {
    const std::string& block = m_blocks[m_block];
    if (m_at < block.size()) {
      std::memcpy(&size, block.data() + m_at, sizeof size);
      bytes.assign(block, m_at + sizeof size, size);
      m_at += sizeof size + size;
      ++m_got;
      return true;
    }
    std::string().swap(m_blocks[m_block]); // read back: its memory is given back
    ++m_block;
    m_at = 0;
  }
  if (!m_file || std::fread(&size, sizeof size, 1, m_file.get()) != 1) {
    if (m_got != m_put) {
      throw Error(m_what + ": cannot read the temporary file back");
    }
    return false;
  }
  bytes.resize(size);
  if (std::fread(bytes.data(), 1, size, m_file.get()) != size) {
    throw Error(m_what + ": cannot read the temporary file back");
  }
  ++m_got;
  return true;
}

void Spool::open_file()
{
  m_file.reset(std::tmpfile());
  if (!m_file) {
    throw Error(m_what + ": cannot make a temporary file: " + std::string(std::strerror(errno)));
  }
}

} // namespace oex
