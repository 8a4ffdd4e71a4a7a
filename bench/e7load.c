// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * e7load: the benchmark's load generator and its server (guest side).
 *
 *   e7load serve TCPPORT UDPPORT UDPBASE NUDP   accept+close on TCPPORT, drain
 *                                               UDP on UDPPORT and UDPBASE..+NUDP-1
 *   e7load connect HOST PORT SECS               sequential connect/close
 *   e7load udp HOST PORT SECS                   connected UDP send()
 *   e7load sendto HOST PORTBASE NDEST SECS      unconnected sendto() cycling
 *   e7load procs HOST PORT N SECS               up to N fork+exec, one connect each
 *   e7load storm HOST PORT P C SECS             P processes x up to C connects
 *   e7load once HOST PORT                       one connect (the procs child)
 *   e7load spray HOST PORTBASE N                one datagram to each of N ports
 *   e7load timed HOST PORT N                    N connects, prints start/end us
 *
 * A SECS bound ends a workload early when the firewall is slow; rates are
 * completed operations per wall second. Each run prints one line:
 *   RESULT ops=N secs=S rate=R busy_us=B self_us=U errors=E
 * busy_us is the guest's non-idle CPU time over all CPUs per operation
 * (/proc/stat), self_us this process's (and its children's) user+system time
 * per operation (getrusage). No address is ever chosen here: HOST is given.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *self_exe;

static void die(const char *what)
{
	fprintf(stderr, "e7load: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: e7load serve|connect|udp|sendto|procs|storm|once|spray|timed ARGS\n"
		"(see the comment at the top of bench/e7load.c)\n");
	exit(2);
}

static long num(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max) {
		fprintf(stderr, "e7load: bad number '%s' (%ld..%ld)\n", s, min,
			max);
		exit(2);
	}
	return v;
}

static double now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Non-idle jiffies of all CPUs, as microseconds. */
static double busy_us(void)
{
	unsigned long long v[10] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	long hz = sysconf(_SC_CLK_TCK);

	if (!f ||
	    fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
		die("/proc/stat");
	fclose(f);
	/* user nice system [idle iowait] irq softirq steal */
	return (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) * 1e6 / hz;
}

static double rusage_us(void)
{
	struct rusage s, c;

	getrusage(RUSAGE_SELF, &s);
	getrusage(RUSAGE_CHILDREN, &c);
	return (s.ru_utime.tv_sec + s.ru_stime.tv_sec + c.ru_utime.tv_sec +
		c.ru_stime.tv_sec) *
		       1e6 +
	       s.ru_utime.tv_usec + s.ru_stime.tv_usec + c.ru_utime.tv_usec +
	       c.ru_stime.tv_usec;
}

struct meter {
	double t0, busy0, self0;
};

static void meter_start(struct meter *m)
{
	m->busy0 = busy_us();
	m->self0 = rusage_us();
	m->t0 = now(CLOCK_MONOTONIC);
}

static void meter_print(const struct meter *m, long ops, long errors)
{
	double secs = now(CLOCK_MONOTONIC) - m->t0;
	double busy = busy_us() - m->busy0, self = rusage_us() - m->self0;
	long d = ops > 0 ? ops : 1;

	printf("RESULT ops=%ld secs=%.3f rate=%.1f busy_us=%.1f self_us=%.1f errors=%ld\n",
	       ops, secs, ops / secs, busy / d, self / d, errors);
	fflush(stdout);
}

static void resolve(const char *host, int port, struct sockaddr_storage *ss,
		    socklen_t *len)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		*len = sizeof(*a4);
	} else if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		*len = sizeof(*a6);
	} else {
		fprintf(stderr, "e7load: '%s' is not an IP address\n", host);
		exit(2);
	}
}

static void set_port(struct sockaddr_storage *ss, int port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

/* One TCP connection, closed with a reset so no TIME_WAIT piles up. */
static int connect_once(const struct sockaddr_storage *ss, socklen_t len)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int rc;

	if (fd < 0)
		return -1;
	rc = connect(fd, (const struct sockaddr *)ss, len);
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
	return rc;
}

static int cmd_connect(char **av)
{
	struct sockaddr_storage ss;
	socklen_t len;
	double secs = num(av[2], 1, 3600), end;
	long ops = 0, errors = 0;
	struct meter m;

	resolve(av[0], num(av[1], 1, 65535), &ss, &len);
	meter_start(&m);
	end = m.t0 + secs;
	while (now(CLOCK_MONOTONIC) < end) {
		if (connect_once(&ss, len))
			errors++;
		else
			ops++;
	}
	meter_print(&m, ops, errors);
	return errors ? 1 : 0;
}

static int udp_socket(int family)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	return fd;
}

/* Sends in batches between clock reads; ECONNREFUSED (an ICMP error from a
 * closed port) and ENOBUFS count as errors, the loop goes on. */
static int cmd_udp(char **av)
{
	struct sockaddr_storage ss;
	socklen_t len;
	double secs = num(av[2], 1, 3600), end;
	long ops = 0, errors = 0;
	struct meter m;
	int fd, i;

	resolve(av[0], num(av[1], 1, 65535), &ss, &len);
	fd = udp_socket(ss.ss_family);
	if (connect(fd, (struct sockaddr *)&ss, len))
		die("connect");
	meter_start(&m);
	end = m.t0 + secs;
	while (now(CLOCK_MONOTONIC) < end) {
		for (i = 0; i < 64; i++) {
			if (send(fd, "e7", 2, 0) == 2)
				ops++;
			else
				errors++;
		}
	}
	meter_print(&m, ops, errors);
	return 0;
}

static int cmd_sendto(char **av)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int base = num(av[1], 1, 65535), ndest = num(av[2], 1, 65535);
	double secs = num(av[3], 1, 3600), end;
	long ops = 0, errors = 0;
	struct meter m;
	int fd, i, k = 0;

	if (base + ndest - 1 > 65535)
		usage();
	resolve(av[0], base, &ss, &len);
	fd = udp_socket(ss.ss_family);
	meter_start(&m);
	end = m.t0 + secs;
	while (now(CLOCK_MONOTONIC) < end) {
		for (i = 0; i < 64; i++) {
			set_port(&ss, base + k);
			k = (k + 1) % ndest;
			if (sendto(fd, "e7", 2, 0, (struct sockaddr *)&ss,
				   len) == 2)
				ops++;
			else
				errors++;
		}
	}
	meter_print(&m, ops, errors);
	return 0;
}

/* Exactly one datagram to each of N ports: N flows for the module's cache. */
static int cmd_spray(char **av)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int base = num(av[1], 1, 65535), n = num(av[2], 1, 65535);
	long ops = 0, errors = 0;
	struct meter m;
	int fd, i;

	if (base + n - 1 > 65535)
		usage();
	resolve(av[0], base, &ss, &len);
	fd = udp_socket(ss.ss_family);
	meter_start(&m);
	for (i = 0; i < n; i++) {
		set_port(&ss, base + i);
		if (sendto(fd, "e7", 2, 0, (struct sockaddr *)&ss, len) == 2)
			ops++;
		else
			errors++;
	}
	meter_print(&m, ops, errors);
	return errors ? 1 : 0;
}

static int cmd_once(char **av)
{
	struct sockaddr_storage ss;
	socklen_t len;

	resolve(av[0], num(av[1], 1, 65535), &ss, &len);
	return connect_once(&ss, len) ? 1 : 0;
}

/* Sequential connects; per connect the CLOCK_REALTIME microseconds before
 * connect() and after it returned ("T start end"), to line up with an
 * agent's timestamps. */
static int cmd_timed(char **av)
{
	struct sockaddr_storage ss;
	socklen_t len;
	long n = num(av[2], 1, 100000), i, errors = 0;

	resolve(av[0], num(av[1], 1, 65535), &ss, &len);
	for (i = 0; i < n; i++) {
		double t0 = now(CLOCK_REALTIME), t1;

		if (connect_once(&ss, len))
			errors++;
		t1 = now(CLOCK_REALTIME);
		printf("T %.0f %.0f\n", t0 * 1e6, t1 * 1e6);
	}
	fflush(stdout);
	return errors ? 1 : 0;
}

static int cmd_procs(char **av)
{
	long n = num(av[2], 1, 1000000), ops = 0, errors = 0;
	double secs = num(av[3], 1, 3600), end;
	struct meter m;
	int status;

	meter_start(&m);
	end = m.t0 + secs;
	while (ops + errors < n && now(CLOCK_MONOTONIC) < end) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			execl(self_exe, "e7load", "once", av[0], av[1],
			      (char *)NULL);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0)
			die("waitpid");
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			ops++;
		else
			errors++;
	}
	meter_print(&m, ops, errors);
	return errors ? 1 : 0;
}

/* P children start together (a pipe is the starting gun), each makes up to C
 * connections until the deadline and reports its counts through a pipe. */
static int cmd_storm(char **av)
{
	struct sockaddr_storage ss;
	socklen_t len;
	long p = num(av[2], 1, 10000), c = num(av[3], 1, 1000000), i;
	double secs = num(av[4], 1, 3600);
	long ops = 0, errors = 0;
	int gun[2], res[2], status;
	struct meter m;
	char go;

	resolve(av[0], num(av[1], 1, 65535), &ss, &len);
	if (pipe(gun) || pipe(res))
		die("pipe");
	for (i = 0; i < p; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			long cnt[2] = { 0, 0 }, k;
			double end;

			close(gun[1]);
			if (read(gun[0], &go, 1) < 0)
				_exit(1);
			end = now(CLOCK_MONOTONIC) + secs;
			for (k = 0; k < c && now(CLOCK_MONOTONIC) < end; k++)
				cnt[connect_once(&ss, len) ? 1 : 0]++;
			if (write(res[1], cnt, sizeof(cnt)) != sizeof(cnt))
				_exit(1);
			_exit(0);
		}
	}
	close(gun[0]);
	close(res[1]);
	meter_start(&m);
	close(gun[1]); /* every child's read returns now */
	for (i = 0; i < p; i++) {
		long cnt[2];

		if (read(res[0], cnt, sizeof(cnt)) != sizeof(cnt))
			break;
		ops += cnt[0];
		errors += cnt[1];
	}
	while (wait(&status) > 0)
		;
	meter_print(&m, ops, errors);
	return errors ? 1 : 0;
}

static int listen_tcp(int port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_port = htons(port),
				  .sin6_addr = IN6ADDR_ANY_INIT };
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1,
	    zero = 0;

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 4096))
		die("tcp listen");
	return fd;
}

static int bind_udp(int port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_port = htons(port),
				  .sin6_addr = IN6ADDR_ANY_INIT };
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, 0), zero = 0;

	if (fd < 0)
		die("socket");
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		die("udp bind");
	return fd;
}

static int cmd_serve(char **av)
{
	int tport = num(av[0], 1, 65535), uport = num(av[1], 1, 65535);
	int ubase = num(av[2], 1, 65535), nudp = num(av[3], 0, 65535);
	struct epoll_event ev = { .events = EPOLLIN }, evs[64];
	int ep = epoll_create1(0), lfd, i, n;
	char buf[2048];
	struct rlimit rl = { 8192, 8192 };

	if (ep < 0)
		die("epoll");
	setrlimit(RLIMIT_NOFILE, &rl);
	lfd = listen_tcp(tport);
	ev.data.fd = lfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	for (i = -1; i < nudp; i++) {
		int fd = bind_udp(i < 0 ? uport : ubase + i);

		ev.data.fd = fd;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
			die("epoll_ctl");
	}
	printf("serving\n");
	fflush(stdout);
	for (;;) {
		n = epoll_wait(ep, evs, 64, -1);
		for (i = 0; i < n; i++) {
			int fd = evs[i].data.fd, c;

			if (fd == lfd) {
				while ((c = accept4(lfd, NULL, NULL,
						    SOCK_NONBLOCK)) >= 0)
					close(c);
				continue;
			}
			while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
				;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int nargs;
		int (*fn)(char **av);
	} cmds[] = {
		{ "serve", 4, cmd_serve }, { "connect", 3, cmd_connect },
		{ "udp", 3, cmd_udp },	   { "sendto", 4, cmd_sendto },
		{ "procs", 4, cmd_procs }, { "storm", 5, cmd_storm },
		{ "once", 2, cmd_once },   { "spray", 3, cmd_spray },
		{ "timed", 3, cmd_timed },
	};
	size_t i;

	self_exe = realpath("/proc/self/exe", NULL);
	if (!self_exe)
		die("/proc/self/exe");
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2)
		usage();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name)) {
			if (argc - 2 != cmds[i].nargs)
				usage();
			return cmds[i].fn(argv + 2);
		}
	usage();
	return 2;
}
