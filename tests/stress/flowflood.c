// SPDX-License-Identifier: GPL-2.0
/*
 * flowflood: opens many new flows nobody has a rule for, fast.
 *
 * usage: flowflood -n FLOWS [-w WINDOW] HOST...
 * Flows alternate between an unconnected UDP datagram to a new (HOST, port)
 * pair (one flow each, from a single socket) and a non-blocking TCP connect
 * from a new socket; at most WINDOW (default 512) TCP sockets stay open, the
 * oldest is closed when a new one opens.  Prints how many flows were opened
 * and how long it took.  Exit: 0, 1 when no flow could be opened, 2 usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_HOSTS 8

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static socklen_t set_port(struct sockaddr_storage *ss, unsigned int port)
{
	if (ss->ss_family == AF_INET) {
		((struct sockaddr_in *)ss)->sin_port = htons(port);
		return sizeof(struct sockaddr_in);
	}
	((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	return sizeof(struct sockaddr_in6);
}

int main(int argc, char **argv)
{
	struct sockaddr_storage hosts[MAX_HOSTS];
	unsigned long n = 0, i, udp = 0, tcp = 0, errs = 0;
	int window = 512, nh = 0, opt, udp4, udp6, *ring;
	double t0;

	while ((opt = getopt(argc, argv, "n:w:")) != -1) {
		switch (opt) {
		case 'n':
			n = strtoul(optarg, NULL, 0);
			break;
		case 'w':
			window = atoi(optarg);
			break;
		default:
			return 2;
		}
	}
	for (; optind < argc && nh < MAX_HOSTS; optind++, nh++) {
		struct sockaddr_storage *ss = &hosts[nh];

		memset(ss, 0, sizeof(*ss));
		if (inet_pton(AF_INET, argv[optind],
			      &((struct sockaddr_in *)ss)->sin_addr) == 1)
			ss->ss_family = AF_INET;
		else if (inet_pton(AF_INET6, argv[optind],
				   &((struct sockaddr_in6 *)ss)->sin6_addr) ==
			 1)
			ss->ss_family = AF_INET6;
		else
			break;
	}
	if (!n || !nh || window < 1 || optind < argc) {
		fprintf(stderr,
			"usage: flowflood -n FLOWS [-w WINDOW] HOST...\n");
		return 2;
	}
	ring = calloc(window, sizeof(*ring));
	udp4 = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	udp6 = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (!ring || udp4 < 0 || udp6 < 0) {
		perror("flowflood");
		return 2;
	}
	for (i = 0; i < (unsigned long)window; i++)
		ring[i] = -1;
	t0 = now();
	for (i = 0; i < n; i++) {
		struct sockaddr_storage *ss = &hosts[(i / 2) % nh];
		/* Ports 1024..65023 per host: distinct (host, port) pairs. */
		socklen_t len = set_port(ss, 1024 + (i / 2 / nh) % 64000);

		if (i % 2 == 0) {
			int fd = ss->ss_family == AF_INET ? udp4 : udp6;

			if (sendto(fd, "e7", 2, 0, (struct sockaddr *)ss, len) <
			    0)
				errs++;
			udp++;
		} else {
			int *slot = &ring[tcp % window];

			if (*slot >= 0)
				close(*slot);
			*slot = socket(ss->ss_family,
				       SOCK_STREAM | SOCK_NONBLOCK, 0);
			if (*slot < 0 ||
			    (connect(*slot, (struct sockaddr *)ss, len) &&
			     errno != EINPROGRESS))
				errs++;
			tcp++;
		}
	}
	printf("flows=%lu udp=%lu tcp=%lu errors=%lu seconds=%.1f rate=%.0f/s\n",
	       n, udp, tcp, errs, now() - t0, n / (now() - t0));
	for (i = 0; i < (unsigned long)window; i++)
		if (ring[i] >= 0)
			close(ring[i]);
	return errs == n ? 1 : 0;
}
