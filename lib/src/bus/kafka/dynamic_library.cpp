#include "kafka/dynamic_library.hpp"

#include <dlfcn.h>

#include "oex/bus/transport.hpp"

namespace oex::bus::kafka {

void* open_library(const char* soname, const std::string& context, const std::string& hint)
{
  void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    throw BusError(context + ": cannot load " + soname + " (" + (why ? why : "unknown reason")
                   + "): " + hint);
  }
  return handle;
}

void* library_symbol(void* handle, const char* soname, const char* name, const std::string& context,
                     const std::string& hint)
{
  void* symbol = dlsym(handle, name);
  if (!symbol) {
    throw BusError(context + ": " + soname + " has no " + name + ": " + hint);
  }
  return symbol;
}

} // namespace oex::bus::kafka
