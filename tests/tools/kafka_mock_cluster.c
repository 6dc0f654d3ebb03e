/* kafka_mock_cluster: librdkafka's mock cluster as a process, so that tests, the benchmark and
 * the README's example need no Kafka installation.
 *
 *   kafka_mock_cluster [--brokers N] [--topic NAME[:PARTITIONS]]...
 *
 * Starts N brokers (default 1) listening on 127.0.0.1 ports chosen by the system, creates the
 * topics asked for (others are created with 4 partitions on first use, as a broker with
 * auto.create.topics.enable does), prints the bootstrap servers (`127.0.0.1:PORT,...`) as the
 * first line on standard output and then reads commands from standard input, one a line, each
 * answered by `ok` or `error: REASON` on standard output:
 *
 *   down ID|all                  disconnect broker ID (or all) and refuse new connections
 *   up ID|all                    accept connections again
 *   topic NAME PARTITIONS        create a topic
 *   topic-error NAME CODE        answer metadata requests for NAME with the Kafka error CODE
 *                                (3 = unknown topic or partition; 0 clears it)
 *
 * Runs until standard input is closed or it gets SIGTERM or SIGINT, then stops the brokers and
 * exits 0. Exit 2 for a usage error or when the cluster cannot be started. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

static volatile sig_atomic_t g_stop = 0;

static void on_signal(int sig) {
  (void)sig;
  g_stop = 1;
}

static int usage(const char *why) {
  fprintf(stderr, "kafka_mock_cluster: error: %s\n", why);
  fprintf(stderr, "usage: kafka_mock_cluster [--brokers N] [--topic NAME[:PARTITIONS]]...\n");
  return 2;
}

/* A whole decimal number in [lo, hi], else -1. */
static long parse_count(const char *text, long lo, long hi) {
  char *end = NULL;
  errno = 0;
  long value = strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value < lo || value > hi) return -1;
  return value;
}

/* NAME or NAME:PARTITIONS (default 1); cuts `spec` at the colon. 0 when created, else -1. */
static int create_topic_spec(rd_kafka_mock_cluster_t *cluster, char *spec) {
  int partitions = 1;
  char *colon = strrchr(spec, ':');
  if (colon != NULL) {
    long n = parse_count(colon + 1, 1, 100000);
    if (n < 0) return -1;
    partitions = (int)n;
    *colon = '\0';
  }
  if (*spec == '\0') return -1;
  return rd_kafka_mock_topic_create(cluster, spec, partitions, 1) == RD_KAFKA_RESP_ERR_NO_ERROR
             ? 0
             : -1;
}

static void reply(const char *fmt, const char *detail) {
  printf(fmt, detail);
  fflush(stdout);
}

static void run_command(rd_kafka_mock_cluster_t *cluster, char *line) {
  char *words[4] = {0};
  int count = 0;
  for (char *save = NULL, *word = strtok_r(line, " \t\r\n", &save); word != NULL && count < 4;
       word = strtok_r(NULL, " \t\r\n", &save))
    words[count++] = word;
  if (count == 0) return;
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  if ((strcmp(words[0], "down") == 0 || strcmp(words[0], "up") == 0) && count == 2) {
    long id = strcmp(words[1], "all") == 0 ? -1 : parse_count(words[1], 1, 1000);
    if (id == -1 && strcmp(words[1], "all") != 0) {
      reply("error: bad broker id \"%s\"\n", words[1]);
      return;
    }
    err = strcmp(words[0], "down") == 0 ? rd_kafka_mock_broker_set_down(cluster, (int32_t)id)
                                        : rd_kafka_mock_broker_set_up(cluster, (int32_t)id);
  } else if (strcmp(words[0], "topic") == 0 && count == 3) {
    long partitions = parse_count(words[2], 1, 100000);
    if (partitions < 0) {
      reply("error: bad partition count \"%s\"\n", words[2]);
      return;
    }
    err = rd_kafka_mock_topic_create(cluster, words[1], (int)partitions, 1);
  } else if (strcmp(words[0], "topic-error") == 0 && count == 3) {
    long code = parse_count(words[2], 0, 32767);
    if (code < 0) {
      reply("error: bad error code \"%s\"\n", words[2]);
      return;
    }
    rd_kafka_mock_topic_set_error(cluster, words[1], (rd_kafka_resp_err_t)code);
  } else {
    reply("error: unknown command \"%s\"\n", words[0]);
    return;
  }
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    reply("error: %s\n", rd_kafka_err2str(err));
  else
    reply("ok%s\n", "");
}

int main(int argc, char **argv) {
  int brokers = 1;
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--brokers") == 0 && i + 1 < argc) {
      long n = parse_count(argv[++i], 1, 64);
      if (n < 0) return usage("--brokers takes a number from 1 to 64");
      brokers = (int)n;
    } else if (strcmp(argv[i], "--topic") == 0 && i + 1 < argc) {
      ++i; /* created below, once the cluster runs */
    } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      printf("usage: kafka_mock_cluster [--brokers N] [--topic NAME[:PARTITIONS]]...\n"
             "prints the bootstrap servers, then reads commands from standard input:\n"
             "  down ID|all, up ID|all, topic NAME PARTITIONS, topic-error NAME CODE\n"
             "stops when standard input closes or on SIGTERM/SIGINT\n");
      return 0;
    } else {
      return usage("unknown or incomplete argument");
    }
  }

  /* SIGTERM and SIGINT are blocked while librdkafka starts its threads, which inherit the mask:
   * only this thread can then take them, and a signal taken by another thread would leave this
   * one blocked in its read of standard input. */
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);

  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  /* The host handle only carries the cluster: keep its own logging to real problems. */
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr);
  rd_kafka_t *host = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (host == NULL) {
    fprintf(stderr, "kafka_mock_cluster: error: %s\n", errstr);
    return 2;
  }
  rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(host, brokers);
  if (cluster == NULL) {
    fprintf(stderr, "kafka_mock_cluster: error: cannot start the mock cluster\n");
    rd_kafka_destroy(host);
    return 2;
  }
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--topic") != 0) continue;
    if (create_topic_spec(cluster, argv[++i]) != 0) {
      fprintf(stderr, "kafka_mock_cluster: error: bad topic \"%s\" (NAME or NAME:PARTITIONS)\n",
              argv[i]);
      rd_kafka_mock_cluster_destroy(cluster);
      rd_kafka_destroy(host);
      return 2;
    }
  }

  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_signal; /* no SA_RESTART: a signal ends the blocking read */
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGINT, &action, NULL);
  signal(SIGPIPE, SIG_IGN);
  pthread_sigmask(SIG_UNBLOCK, &stop_signals, NULL); /* one that came meanwhile is taken now */

  printf("%s\n", rd_kafka_mock_cluster_bootstraps(cluster));
  fflush(stdout);

  char line[1024];
  while (!g_stop && fgets(line, sizeof line, stdin) != NULL) run_command(cluster, line);

  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(host);
  return 0;
}
