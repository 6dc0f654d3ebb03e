#pragma once

#include <string>
#include <utility>
#include <variant>

namespace oex {

// An expected failure as a value: either a T or a message saying why there is none
// (ccache's tl::expected<T, std::string>, kept small since g++ 12 has no std::expected).
template <typename T>
class Result
{
public:
  Result(T value)
    : m_state(std::in_place_index<0>, std::move(value))
  {
  }
  static Result failure(std::string message)
  {
    return Result(std::in_place_index<1>, std::move(message));
  }

  explicit operator bool() const { return m_state.index() == 0; }
  const T& value() const& { return std::get<0>(m_state); }
  T&& value() && { return std::get<0>(std::move(m_state)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  const std::string& error() const { return std::get<1>(m_state); }

private:
  template <std::size_t I, typename V>
  Result(std::in_place_index_t<I> index, V&& v)
    : m_state(index, std::forward<V>(v))
  {
  }

  std::variant<T, std::string> m_state;
};

} // namespace oex
