// SPDX-License-Identifier: GPL-2.0
/*
 * connstorm: the traffic side of the stress tests.
 *
 * usage: connstorm serve PORT
 *            accept TCP connections (IPv4 and IPv6) and close them, forever
 *        connstorm connect [-p PROCS] [-t SECONDS] [-f STOPFILE] HOST PORT...
 *            PROCS processes connect (2 s timeout) and close in a loop over
 *            the HOST PORT pairs, for SECONDS or until STOPFILE exists;
 *            prints the totals: attempts, successes, failures by errno.
 * Exit: 0 (connect: some attempt was made), 1 otherwise, 2 usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_TARGETS 16
#define MAX_PROCS 64

struct target {
	struct sockaddr_storage sa;
	socklen_t len;
};

struct counts {
	unsigned long attempts, ok;
	unsigned long errs[256];
};

static int serve(const char *port)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(atoi(port)) };
	int fd = socket(AF_INET6, SOCK_STREAM, 0), zero = 0, one = 1;

	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(fd, 4096)) {
		perror("connstorm serve");
		return 1;
	}
	for (;;) {
		int c = accept(fd, NULL, NULL);

		if (c >= 0)
			close(c);
	}
}

static int parse_target(struct target *t, const char *host, const char *port)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)&t->sa;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&t->sa;

	memset(t, 0, sizeof(*t));
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(atoi(port));
		t->len = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(atoi(port));
		t->len = sizeof(*s6);
		return 0;
	}
	fprintf(stderr, "connstorm: bad address %s\n", host);
	return -1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void worker(const struct target *t, int nt, double end, const char *stop,
		   struct counts *c)
{
	struct timeval tv = { .tv_sec = 2 };
	struct stat st;
	int i = 0;

	while (now() < end) {
		int fd;

		if (stop && (c->attempts % 16) == 0 && stat(stop, &st) == 0)
			break;
		fd = socket(t[i].sa.ss_family, SOCK_STREAM, 0);
		if (fd < 0) {
			c->errs[errno & 0xff]++;
			usleep(10000);
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		c->attempts++;
		if (connect(fd, (const struct sockaddr *)&t[i].sa, t[i].len) ==
		    0)
			c->ok++;
		else
			c->errs[errno & 0xff]++;
		close(fd);
		i = (i + 1) % nt;
	}
}

static int connect_storm(int argc, char **argv)
{
	struct target t[MAX_TARGETS];
	int procs = 1, nt = 0, opt, i, e, fds[MAX_PROCS];
	double seconds = 10, t0;
	const char *stop = NULL;
	struct counts sum = { 0 }, c;
	pid_t pids[MAX_PROCS];

	while ((opt = getopt(argc, argv, "p:t:f:")) != -1) {
		switch (opt) {
		case 'p':
			procs = atoi(optarg);
			break;
		case 't':
			seconds = atof(optarg);
			break;
		case 'f':
			stop = optarg;
			break;
		default:
			return 2;
		}
	}
	for (i = optind; i + 1 < argc && nt < MAX_TARGETS; i += 2)
		if (parse_target(&t[nt++], argv[i], argv[i + 1]))
			return 2;
	if (!nt || procs < 1 || procs > MAX_PROCS) {
		fprintf(stderr,
			"connstorm connect: HOST PORT pairs and 1..%d processes\n",
			MAX_PROCS);
		return 2;
	}
	t0 = now();
	for (i = 0; i < procs; i++) {
		int p[2];

		if (pipe(p) || (pids[i] = fork()) < 0) {
			perror("connstorm");
			return 2;
		}
		if (pids[i] == 0) {
			close(p[0]);
			memset(&c, 0, sizeof(c));
			/* Each process starts at another target. */
			worker(t, nt, t0 + seconds, stop, &c);
			if (write(p[1], &c, sizeof(c)) != sizeof(c))
				_exit(1);
			_exit(0);
		}
		close(p[1]);
		fds[i] = p[0];
	}
	for (i = 0; i < procs; i++) {
		if (read(fds[i], &c, sizeof(c)) == sizeof(c)) {
			sum.attempts += c.attempts;
			sum.ok += c.ok;
			for (e = 0; e < 256; e++)
				sum.errs[e] += c.errs[e];
		}
		close(fds[i]);
		waitpid(pids[i], NULL, 0);
	}
	printf("connects=%lu ok=%lu failed=%lu rate=%.0f/s", sum.attempts,
	       sum.ok, sum.attempts - sum.ok, sum.attempts / (now() - t0));
	for (e = 0; e < 256; e++)
		if (sum.errs[e])
			printf(" %s=%lu", strerrorname_np(e) ?: "?",
			       sum.errs[e]);
	printf("\n");
	return sum.attempts ? 0 : 1;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc >= 3 && !strcmp(argv[1], "serve"))
		return serve(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "connect"))
		return connect_storm(argc - 1, argv + 1);
	fprintf(stderr,
		"usage: connstorm serve PORT | connect [-p N] [-t S] [-f STOP] HOST PORT...\n");
	return 2;
}
