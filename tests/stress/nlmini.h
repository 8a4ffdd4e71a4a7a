/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nlmini: raw generic netlink for the stress and fuzz helpers.  The fuzzer
 * must send bytes no library would build, so both helpers share this small
 * layer instead of libnl: a socket bound to the "eftirlit" family, a message
 * builder that lets the caller write any length, and a receive with timeout.
 */
#ifndef E7_NLMINI_H
#define E7_NLMINI_H

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define NLM_BUF_MAX (128 * 1024)

struct nlm {
	int fd;
	uint16_t family;
	uint32_t events_group; /* id of the family's "events" group, or 0 */
	uint32_t seq;
};

struct nlm_msg {
	size_t len;
	uint8_t data[NLM_BUF_MAX];
};

/*
 * Opens a socket and resolves the family; returns -1 on error and says why on
 * stderr unless nlm_quiet is set.
 */
extern int nlm_quiet;
int nlm_open(struct nlm *n, const char *family);
void nlm_close(struct nlm *n);

/* Starts a request (nlmsghdr + genlmsghdr); returns the sequence number. */
uint32_t nlm_start(struct nlm *n, struct nlm_msg *m, uint8_t cmd,
		   uint16_t flags);
/* Appends an attribute (NLA_ALIGN padding added); 0, or -1 when full. */
int nlm_put(struct nlm_msg *m, uint16_t type, const void *data, size_t len);
int nlm_put_u8(struct nlm_msg *m, uint16_t type, uint8_t v);
int nlm_put_u32(struct nlm_msg *m, uint16_t type, uint32_t v);
int nlm_put_u64(struct nlm_msg *m, uint16_t type, uint64_t v);
int nlm_put_str(struct nlm_msg *m, uint16_t type, const char *s);
/* Opens a nest (NLA_F_NESTED set); returns its offset for nlm_nest_end. */
size_t nlm_nest_start(struct nlm_msg *m, uint16_t type);
void nlm_nest_end(struct nlm_msg *m, size_t off);
/* Writes the total length into the nlmsghdr. */
void nlm_finish(struct nlm_msg *m);

/* Sends len bytes of m as one datagram; 0 or -errno. */
int nlm_send(struct nlm *n, const void *buf, size_t len);
/* One datagram into buf; its length, 0 on timeout, -errno on error. */
ssize_t nlm_recv(struct nlm *n, void *buf, size_t len, int timeout_ms);

/*
 * Sends a finished request and waits for its ack (or error): 0, -errno, or
 * -ETIMEDOUT.  Data replies are passed to cb (may be NULL) until the ack.
 */
typedef void (*nlm_reply_cb)(const struct nlmsghdr *h, void *ctx);
int nlm_request(struct nlm *n, struct nlm_msg *m, nlm_reply_cb cb, void *ctx);

/* Attribute walk over [data, data + len): returns NULL at the end. */
const struct nlattr *nlm_attr_next(const void *data, size_t len, size_t *off);

#endif /* E7_NLMINI_H */
