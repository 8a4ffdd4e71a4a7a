// SPDX-License-Identifier: GPL-2.0
/*
 * rulechurn: adds and removes rules as fast as asked, keeping a window of
 * KEEP live rules (daemon-chosen ids, paths /opt/churn/N, never matching the
 * test traffic's programs).
 *
 * usage: rulechurn [-t SECONDS] [-k KEEP] [-r OPS_PER_S] [-b BATCH]
 *                  [-f STOPFILE] [-R]
 * Requests are pipelined BATCH at a time; -r 0 (the default) goes as fast as
 * the kernel answers.  -R survives the module going away: an error or a
 * missing family makes it re-resolve the family (every 20 ms), delete
 * what may be left of its window, and start a new one; without -R any
 * error fails.  Prints ops, the rate reached,
 * and the resets.  Exit: 0, 1 (an error without -R, or no op done), 2 usage.
 */
#define _GNU_SOURCE
#include "nlmini.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/eftirlit7.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ID_BASE (1ULL << 40)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void build_add(struct nlm *n, struct nlm_msg *m, uint64_t id)
{
	char path[64];
	size_t nest;
	uint16_t port = 1 + id % 60000;
	uint8_t addr[4] = { 198, 18, 200, 0 };

	snprintf(path, sizeof(path), "/opt/churn/%" PRIu64, id % 100000);
	nlm_start(n, m, E7_CMD_NEW_RULE, NLM_F_REQUEST | NLM_F_ACK);
	nest = nlm_nest_start(m, E7_A_RULE);
	nlm_put_u64(m, E7_RULE_A_ID, ID_BASE + id);
	nlm_put_u8(m, E7_RULE_A_ACTION, E7_ACTION_BLOCK);
	nlm_put_str(m, E7_RULE_A_PATH, path);
	nlm_put_u8(m, E7_RULE_A_PROTO, E7_PROTO_TCP);
	nlm_put(m, E7_RULE_A_ADDR4, addr, 4);
	nlm_put_u8(m, E7_RULE_A_PREFIX_LEN, 24);
	nlm_put(m, E7_RULE_A_PORT_MIN, &port, 2);
	nlm_nest_end(m, nest);
	nlm_finish(m);
}

static void build_del(struct nlm *n, struct nlm_msg *m, uint64_t id)
{
	nlm_start(n, m, E7_CMD_DEL_RULE, NLM_F_REQUEST | NLM_F_ACK);
	nlm_put_u64(m, E7_A_RULE_ID, ID_BASE + id);
	nlm_finish(m);
}

/* Waits for `want` acks; returns 0 or the first error (-errno). */
static int collect(struct nlm *n, int want)
{
	static uint8_t buf[NLM_BUF_MAX];
	int first = 0;

	while (want > 0) {
		ssize_t r = nlm_recv(n, buf, sizeof(buf), 5000);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		size_t left;

		if (r <= 0)
			return r ? r : -ETIMEDOUT;
		for (left = r; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_type != NLMSG_ERROR)
				continue; /* NEW_RULE's reply precedes its ack */
			want--;
			if (!first)
				first = ((struct nlmsgerr *)NLMSG_DATA(h))
						->error;
		}
	}
	return first;
}

/*
 * After an error the module may still hold rules of the window [oldest,
 * next): the module was not replaced, or a batch was cut short.  Deletes
 * them (errors ignored: a new module instance has none), so the window is
 * never lost and the churner never keeps more than KEEP + BATCH rules.
 */
static void drop_window(struct nlm *n, struct nlm_msg *m, uint64_t oldest,
			uint64_t next, int batch)
{
	while (oldest < next) {
		int sent = 0, rc = 0;

		while (sent < batch && oldest < next && !rc) {
			build_del(n, m, oldest++);
			rc = nlm_send(n, m->data, m->len);
			sent += !rc;
		}
		collect(n, sent);
		if (rc)
			return;
	}
}

static bool stopped(const char *stop)
{
	struct stat st;

	return stop && stat(stop, &st) == 0;
}

int main(int argc, char **argv)
{
	double seconds = 10, rate = 0, t0, end;
	uint64_t next = 0, oldest = 0, ops = 0, adds = 0, dels = 0, resets = 0;
	int keep = 1000, batch = 50, opt, rc = 0;
	const char *stop = NULL;
	bool survive = false, open = false;
	static struct nlm_msg m;
	struct nlm n;

	while ((opt = getopt(argc, argv, "t:k:r:b:f:R")) != -1) {
		switch (opt) {
		case 't':
			seconds = atof(optarg);
			break;
		case 'k':
			keep = atoi(optarg);
			break;
		case 'r':
			rate = atof(optarg);
			break;
		case 'b':
			batch = atoi(optarg);
			break;
		case 'f':
			stop = optarg;
			break;
		case 'R':
			survive = true;
			nlm_quiet = 1; /* the family comes and goes */
			break;
		default:
			fprintf(stderr,
				"usage: rulechurn [-t S] [-k KEEP] [-r RATE] [-b BATCH] [-f STOP] [-R]\n");
			return 2;
		}
	}
	if (keep < 1 || batch < 1) {
		fprintf(stderr, "rulechurn: KEEP and BATCH must be positive\n");
		return 2;
	}
	t0 = now();
	end = t0 + seconds;
	while (now() < end && !stopped(stop)) {
		int i;

		rc = 0;
		if (!open) {
			if (nlm_open(&n, E7_GENL_NAME)) {
				if (!survive)
					return 1;
				usleep(20000);
				continue;
			}
			open = true;
			drop_window(&n, &m, oldest, next, batch);
			oldest = next;
		}
		for (i = 0; i < batch; i++) {
			if (next - oldest < (uint64_t)keep) {
				build_add(&n, &m, next++);
				adds++;
			} else {
				build_del(&n, &m, oldest++);
				dels++;
			}
			rc = nlm_send(&n, m.data, m.len);
			if (rc)
				break;
		}
		rc = rc ?: collect(&n, i);
		ops += i;
		if (rc) {
			if (!survive) {
				fprintf(stderr,
					"rulechurn: %s after %" PRIu64 " ops\n",
					strerror(-rc), ops);
				return 1;
			}
			resets++;
			nlm_close(&n);
			open = false;
			continue;
		}
		if (rate > 0) {
			double ahead = ops / rate - (now() - t0);

			if (ahead > 0)
				usleep(ahead * 1e6);
		}
	}
	if (open)
		nlm_close(&n);
	printf("rule-ops=%" PRIu64 " adds=%" PRIu64 " dels=%" PRIu64
	       " rate=%.0f/s resets=%" PRIu64 "\n",
	       ops, adds, dels, ops / (now() - t0), resets);
	return ops ? 0 : 1;
}
