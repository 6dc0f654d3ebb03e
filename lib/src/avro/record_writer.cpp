// The flat write plan and the buffer it writes into.

#include "avro/record_writer.hpp"

#include <algorithm>
#include <cstring>

namespace oex::avro {

bool accepts(Kind kind, const RecordValue& v)
{
  switch (kind) {
  case Kind::null:
    return v.IsNull();
  case Kind::boolean:
    return v.IsBool();
  case Kind::int_:
  case Kind::long_:
    return v.IsInt64();
  case Kind::float_:
  case Kind::double_:
    return v.IsNumber();
  case Kind::bytes:
  case Kind::string:
  case Kind::enum_:
  case Kind::fixed:
    return v.IsString();
  case Kind::array:
    return v.IsArray();
  case Kind::map:
  case Kind::record:
    return v.IsObject();
  case Kind::union_:
    return false;
  }
  return false;
}

std::size_t put_long(char* p, std::int64_t value)
{
  auto n = (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
  if (n < 0x80) [[likely]] {
    *p = static_cast<char>(n);
    return 1;
  }
  std::size_t len = 0;
  while (n >= 0x80) {
    p[len++] = static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  p[len++] = static_cast<char>(n);
  return len;
}

// Where the writer writes: a buffer on the stack, appended to the output string when full and
// at the end, so that a value costs a bounds check and a store or a memcpy, not a std::string
// append (nor the zero-filling of a resize).
class Sink
{
public:
  explicit Sink(std::string& out)
    : m_out(out)
  {
  }
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;

  void flush()
  {
    m_out.append(m_buf, static_cast<std::size_t>(m_p - m_buf));
    m_p = m_buf;
  }
  void push_back(char c)
  {
    room(1);
    *m_p++ = c;
  }
  void append(const char* bytes, std::size_t n)
  {
    if (static_cast<std::size_t>(m_buf + k_size - m_p) >= n) [[likely]] {
      std::memcpy(m_p, bytes, n);
      m_p += n;
      return;
    }
    flush();
    m_out.append(bytes, n);
  }
  void put_long(std::int64_t value)
  {
    room(10);
    m_p += avro::put_long(m_p, value);
  }
  void put_bytes(const char* bytes, std::size_t n)
  {
    put_long(static_cast<std::int64_t>(n));
    append(bytes, n);
  }
  template <typename T>
  void put_little_endian(T value)
  {
    room(sizeof(T));
    std::memcpy(m_p, &value, sizeof(T)); // x86-64 and arm64 are little-endian, as Avro
    m_p += sizeof(T);
  }

private:
  static constexpr std::size_t k_size = 2048;

  void room(std::size_t n) // n <= 10
  {
    if (static_cast<std::size_t>(m_buf + k_size - m_p) < n) [[unlikely]] {
      flush();
    }
  }

  std::string& m_out;
  char m_buf[k_size];
  char* m_p = m_buf;
};

namespace {

double number(const RecordValue& v)
{
  // Python keeps an integer as int and struct.pack converts it, correctly rounded; so does
  // the conversion from int64.
  if (v.IsInt64()) {
    return static_cast<double>(v.GetInt64());
  }
  if (v.IsUint64()) {
    return static_cast<double>(v.GetUint64());
  }
  return v.GetDouble();
}

} // namespace

RecordWriter::RecordWriter(const Node& root)
{
  std::unordered_map<const Node*, std::uint32_t> done;
  compile(root, done);
}

std::uint32_t RecordWriter::compile(const Node& type, std::unordered_map<const Node*, std::uint32_t>& done)
{
  if (const auto it = done.find(&type); it != done.end()) {
    return it->second; // a named type used again, or a recursive one
  }
  const auto index = static_cast<std::uint32_t>(m_ops.size());
  done.emplace(&type, index);
  m_ops.push_back({type.kind, 0, 0, &type});
  std::vector<std::uint32_t> children;
  for (const Field& field : type.fields) {
    children.push_back(compile(*field.type, done));
  }
  for (const Node* branch : type.branches) {
    children.push_back(compile(*branch, done));
  }
  if (type.items) {
    children.push_back(compile(*type.items, done));
  }
  m_ops[index].first = static_cast<std::uint32_t>(m_children.size());
  m_ops[index].count = static_cast<std::uint32_t>(children.size());
  m_children.insert(m_children.end(), children.begin(), children.end());
  return index;
}

void RecordWriter::write(const RecordValue& v, std::string& out) const
{
  Sink sink(out);
  write(0, v, sink);
  sink.flush();
}

void RecordWriter::write(std::uint32_t index, const RecordValue& v, Sink& out) const
{
  const Op& op = m_ops[index];
  const std::uint32_t* children = m_children.data() + op.first;
  switch (op.kind) {
  case Kind::null:
    return;
  case Kind::boolean:
    out.push_back(v.GetBool() ? 1 : 0);
    return;
  case Kind::int_:
  case Kind::long_:
    out.put_long(v.GetInt64());
    return;
  case Kind::float_:
    out.put_little_endian(static_cast<float>(number(v)));
    return;
  case Kind::double_:
    out.put_little_endian(number(v));
    return;
  case Kind::bytes:
  case Kind::string:
    out.put_bytes(v.GetString(), v.GetStringLength());
    return;
  case Kind::enum_: {
    const auto& symbols = op.node->symbols;
    const std::string_view symbol(v.GetString(), v.GetStringLength());
    out.put_long(std::find(symbols.begin(), symbols.end(), symbol) - symbols.begin());
    return;
  }
  case Kind::fixed:
    out.append(v.GetString(), v.GetStringLength());
    return;
  case Kind::array:
    // fastavro: one block with every item, then the 0 that ends the array
    if (v.Size() > 0) {
      out.put_long(v.Size());
      for (const RecordValue& item : v.GetArray()) {
        write(children[0], item, out);
      }
    }
    out.push_back(0);
    return;
  case Kind::map:
    if (v.MemberCount() > 0) {
      out.put_long(v.MemberCount());
      for (const auto& member : v.GetObject()) {
        out.put_bytes(member.name.GetString(), member.name.GetStringLength());
        write(children[0], member.value, out);
      }
    }
    out.push_back(0);
    return;
  case Kind::record: {
    auto member = v.MemberBegin();
    for (std::uint32_t i = 0; i < op.count; ++i, ++member) {
      write(children[i], member->value, out);
    }
    return;
  }
  case Kind::union_:
    // the first branch the value fits, as prepare() chose it
    for (std::uint32_t i = 0; i < op.count; ++i) {
      if (accepts(m_ops[children[i]].kind, v)) {
        out.put_long(i);
        write(children[i], v, out);
        return;
      }
    }
    return; // not reached: prepared values fit
  }
}

} // namespace oex::avro
