#pragma once

#include <curl/curl.h>

namespace oex::bus::kafka {

// libcurl's functions for the schema registry client, loaded with dlopen("libcurl.so.4") on
// first use, for the same reason as rdkafka() (start-up of the commands that do not use it).
#define OEX_CURL_FUNCTIONS(X)                                                                     \
  X(curl_global_init)                                                                           \
  X(curl_easy_init)                                                                             \
  X(curl_easy_setopt)                                                                           \
  X(curl_easy_perform)                                                                          \
  X(curl_easy_getinfo)                                                                          \
  X(curl_easy_cleanup)                                                                          \
  X(curl_easy_strerror)                                                                         \
  X(curl_slist_append)                                                                          \
  X(curl_slist_free_all)

struct CurlApi
{
#define OEX_CURL_MEMBER(name) decltype(&::name) name = nullptr;
  OEX_CURL_FUNCTIONS(OEX_CURL_MEMBER)
#undef OEX_CURL_MEMBER
};

// The functions, loaded (and curl_global_init run) once per process. Throws BusError when they
// cannot be loaded.
const CurlApi& curl();

} // namespace oex::bus::kafka
