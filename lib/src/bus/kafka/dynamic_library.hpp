#pragma once

#include <string>

namespace oex::bus::kafka {

// dlopen(soname) for the life of the process; throws BusError "CONTEXT: cannot load SONAME
// (REASON): HINT" when it cannot be loaded.
void* open_library(const char* soname, const std::string& context, const std::string& hint);

// dlsym(handle, name); throws BusError "CONTEXT: SONAME has no NAME: HINT" when it is absent.
void* library_symbol(void* handle, const char* soname, const char* name, const std::string& context,
                     const std::string& hint);

} // namespace oex::bus::kafka
