/* oex receiver plugins: the C ABI between oex and a shared object that receives events.
 *
 * A plugin is a shared object exporting two functions:
 *
 *   uint32_t oex_plugin_abi_version(void);          return OEX_RECEIVER_ABI_VERSION
 *   int oex_plugin_register(const oex_plugin_api* api, oex_registrar* registrar);
 *
 * oex checks the ABI version first and refuses a plugin built for another one. Then
 * oex_plugin_register adds one or more named receivers with api->add_receiver, each for an
 * event type given exactly or as a glob ('*', '?', '[...]'), and returns 0 (non-zero: the plugin
 * failed to load). A receiver is called with the event and answers through the event: at most
 * once, event->respond(event, text) for a response (JSON when it parses as JSON) or
 * event->fail(event, message) for an error. Answering neither is a response of null, like a
 * Python receiver that returns None. Strings passed in are copied; strings passed to a receiver
 * live until it returns. Nothing crosses this boundary but C types: no C++ exceptions (see
 * oex/receiver.hpp for a C++ layer that turns them into errors).
 */
#ifndef OEX_RECEIVER_H
#define OEX_RECEIVER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define OEX_RECEIVER_ABI_VERSION 1u

/* What a receiver sees: what a Django receiver of an OpenEdxPublicSignal sees. */
typedef struct oex_event
{
  const char* event_type;    /* the signal's event type */
  const char* metadata_json; /* EventsMetadata as upstream's to_json() */
  const char* data_json;     /* the data keys (send_event's keyword arguments) as a JSON object */
  int from_event_bus;        /* 1 when sent with custom metadata, as the event bus consumer does */
  void (*respond)(struct oex_event* event, const char* text);
  void (*fail)(struct oex_event* event, const char* message);
  void* host; /* oex's own; do not touch */
} oex_event;

typedef void (*oex_receiver_fn)(oex_event* event, void* user_data);

typedef struct oex_registrar oex_registrar; /* opaque */

typedef struct oex_plugin_api
{
  uint32_t abi_version; /* OEX_RECEIVER_ABI_VERSION of the oex that loads the plugin */
  /* Adds a receiver; returns 0, or -1 when name or pattern is empty or name is taken. */
  int (*add_receiver)(oex_registrar* registrar, const char* name, const char* event_type_pattern,
                      oex_receiver_fn fn, void* user_data);
} oex_plugin_api;

typedef uint32_t (*oex_plugin_abi_version_fn)(void);
typedef int (*oex_plugin_register_fn)(const oex_plugin_api* api, oex_registrar* registrar);

/* The two functions a plugin defines; OEX_PLUGIN_EXPORT keeps them visible even when the plugin
 * is built with -fvisibility=hidden. */
#if defined(__GNUC__)
#define OEX_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define OEX_PLUGIN_EXPORT
#endif
OEX_PLUGIN_EXPORT uint32_t oex_plugin_abi_version(void);
OEX_PLUGIN_EXPORT int oex_plugin_register(const oex_plugin_api* api, oex_registrar* registrar);

#ifdef __cplusplus
}
#endif

#endif /* OEX_RECEIVER_H */
