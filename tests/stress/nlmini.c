// SPDX-License-Identifier: GPL-2.0
/* Raw generic netlink for the stress and fuzz helpers (see nlmini.h). */
#include "nlmini.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int nlm_quiet;

int nlm_send(struct nlm *n, const void *buf, size_t len)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };

	if (sendto(n->fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	return 0;
}

ssize_t nlm_recv(struct nlm *n, void *buf, size_t len, int timeout_ms)
{
	struct pollfd p = { .fd = n->fd, .events = POLLIN };
	ssize_t r;
	int rc;

	do
		rc = poll(&p, 1, timeout_ms);
	while (rc < 0 && errno == EINTR);
	if (rc < 0)
		return -errno;
	if (rc == 0)
		return 0;
	r = recv(n->fd, buf, len, 0);
	return r < 0 ? -errno : r;
}

uint32_t nlm_start(struct nlm *n, struct nlm_msg *m, uint8_t cmd,
		   uint16_t flags)
{
	struct nlmsghdr *h = (struct nlmsghdr *)m->data;
	struct genlmsghdr *g = NLMSG_DATA(h);

	memset(m->data, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	h->nlmsg_type = n->family;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = ++n->seq;
	g->cmd = cmd;
	g->version = 1;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	return h->nlmsg_seq;
}

int nlm_put(struct nlm_msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(m->data + m->len);
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);

	if (m->len + total > sizeof(m->data) || NLA_HDRLEN + len > 0xffff)
		return -1;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
	memset((uint8_t *)a + NLA_HDRLEN + len, 0, total - NLA_HDRLEN - len);
	m->len += total;
	return 0;
}

int nlm_put_u8(struct nlm_msg *m, uint16_t type, uint8_t v)
{
	return nlm_put(m, type, &v, sizeof(v));
}

int nlm_put_u32(struct nlm_msg *m, uint16_t type, uint32_t v)
{
	return nlm_put(m, type, &v, sizeof(v));
}

int nlm_put_u64(struct nlm_msg *m, uint16_t type, uint64_t v)
{
	return nlm_put(m, type, &v, sizeof(v));
}

int nlm_put_str(struct nlm_msg *m, uint16_t type, const char *s)
{
	return nlm_put(m, type, s, strlen(s) + 1);
}

size_t nlm_nest_start(struct nlm_msg *m, uint16_t type)
{
	size_t off = m->len;

	if (nlm_put(m, type | NLA_F_NESTED, NULL, 0))
		return (size_t)-1;
	return off;
}

void nlm_nest_end(struct nlm_msg *m, size_t off)
{
	struct nlattr *a = (struct nlattr *)(m->data + off);

	if (off != (size_t)-1)
		a->nla_len = m->len - off;
}

void nlm_finish(struct nlm_msg *m)
{
	((struct nlmsghdr *)m->data)->nlmsg_len = m->len;
}

const struct nlattr *nlm_attr_next(const void *data, size_t len, size_t *off)
{
	const struct nlattr *a =
		(const struct nlattr *)((const uint8_t *)data + *off);

	if (*off + NLA_HDRLEN > len || a->nla_len < NLA_HDRLEN ||
	    *off + a->nla_len > len)
		return NULL;
	*off += NLA_ALIGN(a->nla_len);
	return a;
}

int nlm_request(struct nlm *n, struct nlm_msg *m, nlm_reply_cb cb, void *ctx)
{
	static uint8_t buf[NLM_BUF_MAX];
	uint32_t seq = ((struct nlmsghdr *)m->data)->nlmsg_seq;
	int rc;

	nlm_finish(m);
	rc = nlm_send(n, m->data, m->len);
	if (rc)
		return rc;
	for (;;) {
		ssize_t r = nlm_recv(n, buf, sizeof(buf), 10000);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		size_t left;

		if (r == 0)
			return -ETIMEDOUT;
		if (r < 0)
			return r;
		for (left = r; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				return e->error;
			}
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (cb)
				cb(h, ctx);
		}
	}
}

#define NLA_DATA_OF(a) ((const uint8_t *)(a) + NLA_HDRLEN)
#define NLA_LEN_OF(a) ((size_t)(a)->nla_len - NLA_HDRLEN)

/* The group named "events" in a CTRL_ATTR_MCAST_GROUPS nest. */
static uint32_t nlm_events_group(const struct nlattr *groups)
{
	const struct nlattr *g, *a;
	size_t off = 0, goff;

	while ((g = nlm_attr_next(NLA_DATA_OF(groups), NLA_LEN_OF(groups),
				  &off))) {
		uint32_t id = 0;
		bool named = false;

		goff = 0;
		while ((a = nlm_attr_next(NLA_DATA_OF(g), NLA_LEN_OF(g),
					  &goff))) {
			if (a->nla_type == CTRL_ATTR_MCAST_GRP_ID &&
			    NLA_LEN_OF(a) == 4)
				memcpy(&id, NLA_DATA_OF(a), 4);
			if (a->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
				named = !strncmp((const char *)NLA_DATA_OF(a),
						 "events", NLA_LEN_OF(a));
		}
		if (named)
			return id;
	}
	return 0;
}

static void nlm_family_cb(const struct nlmsghdr *h, void *ctx)
{
	const uint8_t *p = (const uint8_t *)NLMSG_DATA(h) + GENL_HDRLEN;
	size_t len = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, off = 0;
	struct nlm *n = ctx;
	const struct nlattr *a;

	while ((a = nlm_attr_next(p, len, &off))) {
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID &&
		    NLA_LEN_OF(a) == 2)
			memcpy(&n->family, NLA_DATA_OF(a), 2);
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS)
			n->events_group = nlm_events_group(a);
	}
}

int nlm_open(struct nlm *n, const char *family)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	static struct nlm_msg m;
	int one = 1, big = 4 << 20, rc;

	n->seq = 0;
	n->family = GENL_ID_CTRL;
	n->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (n->fd < 0 || bind(n->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("netlink socket");
		return -1;
	}
	setsockopt(n->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(n->fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	nlm_start(n, &m, CTRL_CMD_GETFAMILY, NLM_F_REQUEST | NLM_F_ACK);
	nlm_put_str(&m, CTRL_ATTR_FAMILY_NAME, family);
	n->family = 0;
	n->events_group = 0;
	rc = nlm_request(n, &m, nlm_family_cb, n);
	if (rc || !n->family) {
		if (!nlm_quiet)
			fprintf(stderr, "generic netlink family %s: %s\n",
				family,
				rc ? strerror(-rc) : "no id in the reply");
		close(n->fd);
		return -1;
	}
	return 0;
}

void nlm_close(struct nlm *n)
{
	close(n->fd);
}
