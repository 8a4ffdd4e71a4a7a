// SPDX-License-Identifier: GPL-2.0
/*
 * e7listen: a do-nothing daemon for the stress tests.  It subscribes to the
 * event group (so the module holds unknown flows and asks), never answers,
 * and every 100 ms samples the module's counters, keeping their maxima.
 *
 * usage: e7listen [-t SECONDS]
 * Prints "ready" once subscribed; at SIGTERM/SIGINT or after SECONDS:
 * "events=N max_held_now=N max_flows_active=N max_rules_active=N samples=N".
 * Exit: 0, 1 when the subscription fails.
 */
#define _GNU_SOURCE
#include "nlmini.h"

#include <errno.h>
#include <linux/eftirlit7.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t done;

static void on_signal(int sig)
{
	(void)sig;
	done = 1;
}

struct maxima {
	uint64_t held_now, flows_active, rules_active, samples;
};

static void stats_cb(const struct nlmsghdr *h, void *ctx)
{
	const uint8_t *p = (const uint8_t *)NLMSG_DATA(h) + GENL_HDRLEN;
	size_t len = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, off = 0, soff;
	const struct nlattr *a, *s;
	struct maxima *mx = ctx;

	while ((a = nlm_attr_next(p, len, &off))) {
		if ((a->nla_type & NLA_TYPE_MASK) != E7_A_STATS)
			continue;
		soff = 0;
		while ((s = nlm_attr_next((const uint8_t *)a + NLA_HDRLEN,
					  a->nla_len - NLA_HDRLEN, &soff))) {
			uint64_t v, *max = NULL;

			if (s->nla_len != NLA_HDRLEN + 8)
				continue;
			memcpy(&v, (const uint8_t *)s + NLA_HDRLEN, 8);
			if (s->nla_type == E7_STAT_A_HELD_NOW)
				max = &mx->held_now;
			else if (s->nla_type == E7_STAT_A_FLOWS_ACTIVE)
				max = &mx->flows_active;
			else if (s->nla_type == E7_STAT_A_RULES_ACTIVE)
				max = &mx->rules_active;
			if (max && v > *max)
				*max = v;
		}
	}
	mx->samples++;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static uint8_t buf[NLM_BUF_MAX];
	static struct nlm_msg m;
	struct maxima mx = { 0 };
	double end = 1e18, next = 0;
	unsigned long events = 0;
	struct nlm ev, q;
	int opt, big = 16 << 20;

	while ((opt = getopt(argc, argv, "t:")) != -1) {
		if (opt != 't') {
			fprintf(stderr, "usage: e7listen [-t SECONDS]\n");
			return 2;
		}
		end = now() + atof(optarg);
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	if (nlm_open(&ev, E7_GENL_NAME) || nlm_open(&q, E7_GENL_NAME))
		return 1;
	setsockopt(ev.fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	if (!ev.events_group ||
	    setsockopt(ev.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
		       &ev.events_group, sizeof(ev.events_group))) {
		perror("e7listen: cannot join the event group");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (!done && now() < end) {
		ssize_t r = nlm_recv(&ev, buf, sizeof(buf), 20);
		const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
		size_t left;

		for (left = r > 0 ? r : 0; NLMSG_OK(h, left);
		     h = NLMSG_NEXT(h, left))
			events += h->nlmsg_type == ev.family;
		if (now() >= next) {
			nlm_start(&q, &m, E7_CMD_GET_STATS,
				  NLM_F_REQUEST | NLM_F_ACK);
			if (nlm_request(&q, &m, stats_cb, &mx))
				break; /* the module went away */
			next = now() + 0.1;
		}
	}
	printf("events=%lu max_held_now=%lu max_flows_active=%lu max_rules_active=%lu samples=%lu\n",
	       events, (unsigned long)mx.held_now,
	       (unsigned long)mx.flows_active, (unsigned long)mx.rules_active,
	       (unsigned long)mx.samples);
	return 0;
}
