/* A tiny TCP server for the cluster smoke test: for each port given on the command line it listens
 * on 0.0.0.0:<port>; every connection gets one greeting line naming the pod and the port, then
 * whatever it sends is echoed back until it closes. Static, no libraries, exits on SIGTERM. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void serve(int fd, int port) {
  char host[256] = "unknown", buf[4096];
  gethostname(host, sizeof host - 1);
  int n = snprintf(buf, sizeof buf, "hello from %s port %d\n", host, port);
  if (write(fd, buf, (size_t)n) < 0) return;
  ssize_t r;
  while ((r = read(fd, buf, sizeof buf)) > 0) {
    if (write(fd, buf, (size_t)r) != r) break;
  }
}

static void on_term(int sig) { (void)sig; _exit(0); }

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s port...\n", argv[0]);
    return 2;
  }
  signal(SIGTERM, on_term);
  signal(SIGINT, on_term);
  signal(SIGCHLD, SIG_IGN); /* children are reaped automatically */
  for (int i = 1; i < argc; i++) {
    int port = atoi(argv[i]);
    pid_t pid = (i == argc - 1) ? 0 : fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid > 0) continue; /* the last port is served by the original process */
    signal(SIGCHLD, SIG_IGN);
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 64) < 0) { perror("listen"); return 1; }
    fprintf(stderr, "listening on %d\n", port);
    for (;;) {
      int c = accept(s, NULL, NULL);
      if (c < 0) { if (errno == EINTR) continue; perror("accept"); return 1; }
      pid_t child = fork();
      if (child == 0) { close(s); serve(c, port); _exit(0); }
      close(c);
    }
  }
  return 0;
}
