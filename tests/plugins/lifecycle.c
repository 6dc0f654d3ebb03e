/* Receivers "life" and "life_too" for every event, to test the worker process that serves
 * isolated receivers. Each call reads what to do from the file $OEX_LIFE_FILE (when it is set
 * and exists; else "fine"), so a test can change it between events of one process:
 *   fine       respond {"pid": <process id>, "calls": <calls to either receiver in this process>}
 *   segfault, abort, hang, exit (status 3), exit0 (status 0)
 *   print      print "call <n>" to stdout (no line break, no flush), then as fine
 *   closestd   close fds 0, 1 and 2, then as fine
 *   scribble   write "garbage" to every fd from 100 to 1023 (where oex keeps its pipes), then as
 * fine fork       leave a process that sleeps, writing its id to "$OEX_LIFE_FILE.pid", then as fine
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oex/receiver.h"

static int calls = 0;
static int chattering = 0;

/* A thread that writes to stdout without pause, between calls too. */
static void* chatter(void* unused)
{
  (void)unused;
  static char chunk[65536];
  memset(chunk, 'c', sizeof chunk);
  for (;;) {
    if (write(1, chunk, sizeof chunk) < 0) {
      sleep(1);
    }
  }
  return NULL;
}

static void read_action(char* action, size_t size)
{
  strcpy(action, "fine");
  const char* path = getenv("OEX_LIFE_FILE");
  FILE* in = path != NULL ? fopen(path, "r") : NULL;
  if (in == NULL) {
    return;
  }
  if (fgets(action, (int)size, in) == NULL) {
    strcpy(action, "fine");
  }
  fclose(in);
  action[strcspn(action, " \n")] = '\0';
}

static void fork_sleeper(void)
{
  fflush(NULL);
  pid_t child = fork();
  if (child == 0) {
    sleep(300);
    _exit(0);
  }
  char path[4096];
  snprintf(path, sizeof path, "%s.pid", getenv("OEX_LIFE_FILE"));
  FILE* out = fopen(path, "w");
  if (out != NULL) {
    fprintf(out, "%ld\n", (long)child);
    fclose(out);
  }
}

/* Writes the process id to "$OEX_LIFE_FILE.worker". */
static void write_pid(void)
{
  const char* base = getenv("OEX_LIFE_FILE");
  char path[4096];
  snprintf(path, sizeof path, "%s.worker", base != NULL ? base : "oex-life");
  FILE* out = fopen(path, "w");
  if (out != NULL) {
    fprintf(out, "%ld\n", (long)getpid());
    fclose(out);
  }
}

static void life(oex_event* event, void* user_data)
{
  (void)user_data;
  ++calls;
  if (getenv("OEX_LIFE_FILE") != NULL) {
    write_pid();
  }
  char action[64];
  read_action(action, sizeof action);
  if (strcmp(action, "segfault") == 0) {
    volatile int* volatile nowhere = NULL;
    *nowhere = 1;
  } else if (strcmp(action, "abort") == 0) {
    abort();
  } else if (strcmp(action, "hang") == 0) {
    for (;;) {
      sleep(1);
    }
  } else if (strcmp(action, "exit") == 0) {
    exit(3);
  } else if (strcmp(action, "exit0") == 0) {
    exit(0);
  } else if (strcmp(action, "print") == 0) {
    printf("call %d", calls);
  } else if (strcmp(action, "closestd") == 0) {
    close(0);
    close(1);
    close(2);
  } else if (strcmp(action, "scribble") == 0) {
    /* Not killed by a pipe that the process running the tests inherited with no reader. */
    void (*previous)(int) = signal(SIGPIPE, SIG_IGN);
    for (int fd = 100; fd < 1024; ++fd) {
      if (write(fd, "garbage", 7) < 0) {
        continue;
      }
    }
    signal(SIGPIPE, previous);
  } else if (strcmp(action, "fork") == 0) {
    fork_sleeper();
  } else if (strcmp(action, "chatter") == 0 && !chattering) {
    pthread_t thread;
    chattering = pthread_create(&thread, NULL, chatter, NULL) == 0;
  }
  char answer[128];
  snprintf(answer, sizeof answer, "{\"pid\": %ld, \"calls\": %d}", (long)getpid(), calls);
  event->respond(event, answer);
}

uint32_t oex_plugin_abi_version(void)
{
  return OEX_RECEIVER_ABI_VERSION;
}

int oex_plugin_register(const oex_plugin_api* api, oex_registrar* registrar)
{
  if (api->add_receiver(registrar, "life", "*", life, NULL) != 0) {
    return 1;
  }
  return api->add_receiver(registrar, "life_too", "*", life, NULL);
}
