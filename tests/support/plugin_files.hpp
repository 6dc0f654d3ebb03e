#pragma once

#include <string>

namespace oex::test {

// The test plugin NAME.so as the build puts it (tests/CMakeLists.txt defines PLUGIN_DIR for the
// test programs that load plugins).
inline std::string plugin(const std::string& name)
{
  return std::string(PLUGIN_DIR "/") + name + ".so";
}

} // namespace oex::test
