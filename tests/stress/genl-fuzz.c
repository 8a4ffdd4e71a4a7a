// SPDX-License-Identifier: GPL-2.0
/*
 * genl-fuzz: random and mutated requests to the "eftirlit" generic netlink
 * family.  Message i is generated from (seed, i) alone, so "-s SEED -o I"
 * replays one message and "-s SEED -n N" the whole run.
 *
 * Every request's replies are checked: each is a well-formed data message
 * of the family, an ack, or an error whose errno is in the clean set below;
 * a request the kernel must answer gets its answer within 10 s.  With -u
 * (the caller is unprivileged) no command that changes state may succeed.
 *
 * usage: genl-fuzz [-u] [-q] -s SEED -n COUNT [-o ONLY]   fuzz
 *        genl-fuzz --state                              print the state
 * The state (mode, flags, config without the daemon flag, every rule without
 * its hit counters and expiry countdown) is for before/after comparisons.
 * Exit: 0 all replies clean, 1 a reply was not, 2 usage or setup error.
 */
#define _GNU_SOURCE
#include "nlmini.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/eftirlit7.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REPLY_TIMEOUT_MS 10000

/* ---- random numbers: one splitmix64 stream per message ------------------ */

static uint64_t rng_state;

static uint64_t rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd(uint32_t n)
{
	return n ? (uint32_t)(rnd64() % n) : 0;
}

static bool chance(uint32_t percent)
{
	return rnd(100) < percent;
}

static void rnd_bytes(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = (uint8_t)rnd64();
}

/* ---- the schema ------------------------------------------------------ */

enum kind { K_U8, K_U16, K_U32, K_U64, K_STR, K_BIN4, K_BIN16, K_NEST };

static const enum kind top_kind[E7_A_MAX + 1] = {
	[E7_A_VERSION] = K_U32,
	[E7_A_MODE] = K_U8,
	[E7_A_PROFILE] = K_U8,
	[E7_A_FLAGS] = K_U32,
	[E7_A_POLICY_NODAEMON] = K_U8,
	[E7_A_POLICY_TIMEOUT] = K_U8,
	[E7_A_POLICY_OVERFLOW] = K_U8,
	[E7_A_POLICY_UNIDENTIFIED] = K_U8,
	[E7_A_HOLD_TIMEOUT_MS] = K_U32,
	[E7_A_RULES_MAX] = K_U32,
	[E7_A_HOLD_FLOWS_MAX] = K_U32,
	[E7_A_HOLD_PKTS_PER_FLOW] = K_U32,
	[E7_A_HOLD_PKTS_MAX] = K_U32,
	[E7_A_GENERATION] = K_U64,
	[E7_A_DAEMON] = K_U8,
	[E7_A_RULE] = K_NEST,
	[E7_A_RULE_ID] = K_U64,
	[E7_A_FLOW] = K_NEST,
	[E7_A_FLOW_ID] = K_U64,
	[E7_A_ACTION] = K_U8,
	[E7_A_REASON] = K_U8,
	[E7_A_STATS] = K_NEST,
	[E7_A_ENTRY] = K_NEST,
	[E7_A_EVENTS_LOST] = K_U64,
	[E7_A_PAD] = K_BIN4,
};

static bool admin_cmd(uint8_t cmd)
{
	switch (cmd) {
	case E7_CMD_SET_MODE:
	case E7_CMD_SET_CONFIG:
	case E7_CMD_SET_FLAGS:
	case E7_CMD_NEW_RULE:
	case E7_CMD_DEL_RULE:
	case E7_CMD_FLUSH_RULES:
	case E7_CMD_GET_FLOW:
	case E7_CMD_VERDICT:
	case E7_CMD_RESET_STATS:
		return true;
	default:
		return false;
	}
}

/*
 * Ids of flows held right now (root runs refresh them every 64 messages), so
 * that verdicts sometimes reach a real held flow.  They depend on the traffic:
 * a replayed message may pick another id.
 */
#define HELD_IDS 16
static uint64_t held_ids[HELD_IDS];
static unsigned int n_held;

#ifndef fallthrough
#define fallthrough __attribute__((__fallthrough__))
#endif

/* ---- values ---------------------------------------------------------- */

/* Mostly small or boundary values, sometimes anything. */
static uint64_t interesting(enum kind k)
{
	static const uint64_t edges[] = {
		0,	1,	2,	  3,	    4,		5,
		7,	8,	99,	  100,	    127,	128,
		129,	255,	256,	  1023,	    65535,	65536,
		600000, 600001, 31536000, 31536001, 0x7fffffff, 0xffffffff
	};
	uint64_t v;

	switch (rnd(4)) {
	case 0:
		v = rnd64();
		break;
	case 1:
		v = (uint64_t)-1 - rnd(3);
		break;
	default:
		v = edges[rnd(sizeof(edges) / sizeof(edges[0]))];
		break;
	}
	if (k == K_U64 && chance(10))
		v |= E7_RULE_ID_KERNEL;
	return v;
}

static const char *const some_paths[] = {
	"/usr/bin/true",
	"/opt/fz/",
	"/opt/fz/a",
	"/",
	"relative",
	"",
	"/usr/bin/python3",
	"/usr/lib/",
	"//",
	"/opt/fz/../x",
};

static size_t gen_path(char *buf, size_t max)
{
	size_t n;

	if (chance(60)) {
		const char *p = some_paths[rnd(sizeof(some_paths) /
					       sizeof(some_paths[0]))];

		n = strlen(p);
		memcpy(buf, p, n + 1);
		return n + 1;
	}
	/* A long absolute path, around E7_PATH_MAX, maybe without its NUL. */
	n = chance(50) ? E7_PATH_MAX - 2 + rnd(4) : 1 + rnd(max - 2);
	if (n > max - 1)
		n = max - 1;
	buf[0] = '/';
	memset(buf + 1, 'a' + rnd(26), n - 1);
	buf[n] = 0;
	if (chance(20))
		buf[rnd(n)] = 0; /* an embedded NUL */
	return chance(10) ? n : n + 1;
}

/* Puts a well-typed value, valid most of the time, for a rule attribute. */
static void put_rule_attr(struct nlm_msg *m, uint16_t t)
{
	uint8_t b[16];
	char path[6000];
	size_t n;

	switch (t) {
	case E7_RULE_A_ACTION:
		nlm_put_u8(m, t, chance(90) ? 1 + rnd(2) : interesting(K_U8));
		return;
	case E7_RULE_A_PROG_MATCH:
		nlm_put_u8(m, t, chance(90) ? rnd(3) : interesting(K_U8));
		return;
	case E7_RULE_A_PATH:
		n = gen_path(path, sizeof(path));
		nlm_put(m, t, path, n);
		return;
	case E7_RULE_A_PROTO: {
		static const uint8_t protos[] = { 0, 1, 6, 17, 58, 132, 136 };

		nlm_put_u8(m, t, chance(80) ? protos[rnd(7)] : rnd(256));
		return;
	}
	case E7_RULE_A_DIR:
		nlm_put_u8(m, t, chance(90) ? rnd(3) : interesting(K_U8));
		return;
	case E7_RULE_A_ADDR4:
	case E7_RULE_A_ADDR6:
		rnd_bytes(b, sizeof(b));
		if (chance(70)) { /* inside the test ranges */
			b[0] = t == E7_RULE_A_ADDR4 ? 198 : 0x20;
			b[1] = t == E7_RULE_A_ADDR4 ? 18 : 0x01;
		}
		nlm_put(m, t, b, t == E7_RULE_A_ADDR4 ? 4 : 16);
		return;
	case E7_RULE_A_PREFIX_LEN:
		nlm_put_u8(m, t, chance(80) ? rnd(129) : interesting(K_U8));
		return;
	case E7_RULE_A_PORT_MIN:
	case E7_RULE_A_PORT_MAX: {
		uint16_t v = chance(80) ? 1 + rnd(65535) : interesting(K_U16);

		nlm_put(m, t, &v, 2);
		return;
	}
	case E7_RULE_A_LIFETIME:
		/* Mostly forever: rules that vanish by themselves would make
		 * the state comparison of the unprivileged run meaningless. */
		nlm_put_u8(m, t, chance(80) ? 0 : rnd(7));
		return;
	case E7_RULE_A_EXPIRE:
		nlm_put_u32(m, t,
			    chance(50) ? 1 + rnd(E7_EXPIRE_MAX) :
					 interesting(K_U32));
		return;
	case E7_RULE_A_ID:
		nlm_put_u64(m, t,
			    chance(70) ? 1 + rnd(64) : interesting(K_U64));
		return;
	case E7_RULE_A_UID:
		nlm_put_u32(m, t, chance(70) ? rnd(2000) : interesting(K_U32));
		return;
	default:
		nlm_put_u64(m, t, interesting(K_U64));
		return;
	}
}

static void put_rule(struct nlm_msg *m, uint16_t type)
{
	size_t nest = nlm_nest_start(m, type);
	uint16_t t;

	put_rule_attr(m, E7_RULE_A_ACTION);
	for (t = 1; t <= E7_RULE_A_MAX; t++)
		if (t != E7_RULE_A_ACTION &&
		    chance(t <= E7_RULE_A_EXPIRE ? 30 : 3))
			put_rule_attr(m, t);
	nlm_nest_end(m, nest);
}

/* A well-typed top-level attribute, valid most of the time. */
static void put_top_attr(struct nlm_msg *m, uint16_t t)
{
	switch (t) {
	case E7_A_MODE:
		nlm_put_u8(m, t,
			   chance(90) ? rnd(E7_MODE_MAX + 1) :
					interesting(K_U8));
		return;
	case E7_A_PROFILE:
		nlm_put_u8(m, t, chance(90) ? rnd(2) : interesting(K_U8));
		return;
	case E7_A_FLAGS:
		nlm_put_u32(m, t,
			    chance(80) ? rnd(E7_FLAGS_ALL + 1) :
					 interesting(K_U32));
		return;
	case E7_A_POLICY_NODAEMON:
	case E7_A_POLICY_TIMEOUT:
	case E7_A_POLICY_OVERFLOW:
	case E7_A_POLICY_UNIDENTIFIED:
	case E7_A_ACTION:
		nlm_put_u8(m, t, chance(90) ? 1 + rnd(2) : interesting(K_U8));
		return;
	case E7_A_HOLD_TIMEOUT_MS:
		/* Short holds keep the traffic generators moving. */
		nlm_put_u32(m, t,
			    chance(80) ? 100 + rnd(2000) : interesting(K_U32));
		return;
	case E7_A_RULE:
		put_rule(m, t);
		return;
	case E7_A_FLOW_ID:
		if (n_held && chance(50)) {
			nlm_put_u64(m, t, held_ids[rnd(n_held)]);
			return;
		}
		fallthrough;
	case E7_A_RULE_ID:
		nlm_put_u64(m, t, chance(60) ? rnd(64) : interesting(K_U64));
		return;
	default:
		switch (top_kind[t]) {
		case K_U8:
			nlm_put_u8(m, t, interesting(K_U8));
			return;
		case K_U32:
			nlm_put_u32(m, t, interesting(K_U32));
			return;
		default:
			nlm_put_u64(m, t, interesting(K_U64));
			return;
		}
	}
}

/* The attributes each command takes: the first `required` are required. */
struct cmd_schema {
	uint8_t required;
	uint8_t n;
	uint16_t attrs[10];
};

static const struct cmd_schema schema[E7_CMD_MAX + 1] = {
	[E7_CMD_SET_MODE] = { 1, 1, { E7_A_MODE } },
	[E7_CMD_SET_CONFIG] = { 0,
				8,
				{ E7_A_MODE, E7_A_PROFILE, E7_A_FLAGS,
				  E7_A_POLICY_NODAEMON, E7_A_POLICY_TIMEOUT,
				  E7_A_POLICY_OVERFLOW,
				  E7_A_POLICY_UNIDENTIFIED,
				  E7_A_HOLD_TIMEOUT_MS } },
	[E7_CMD_SET_FLAGS] = { 1, 1, { E7_A_FLAGS } },
	[E7_CMD_NEW_RULE] = { 1, 1, { E7_A_RULE } },
	[E7_CMD_DEL_RULE] = { 1, 1, { E7_A_RULE_ID } },
	[E7_CMD_GET_RULE] = { 1, 1, { E7_A_RULE_ID } },
	[E7_CMD_VERDICT] = { 2, 3, { E7_A_FLOW_ID, E7_A_ACTION, E7_A_RULE } },
};

/* ---- mutations -------------------------------------------------------- */

enum strategy {
	S_VALID, /* the command's attributes, well typed */
	S_MISSING, /* a required attribute left out */
	S_WRONG_LEN, /* an attribute with the wrong length */
	S_DUPLICATE, /* attributes repeated with other values */
	S_FOREIGN, /* attributes of other commands, read-only, unknown */
	S_OVERSIZED, /* one huge attribute or hundreds of small ones */
	S_NESTED, /* nesting where none belongs, deep nests, no NLA_F_NESTED */
	S_RANDOM, /* random bytes after the genl header */
	S_FLIPS, /* a valid message with a few bytes flipped */
	S_HEADER, /* broken nlmsghdr/genlmsghdr: length, flags, type */
	S_COUNT
};

static const char *const strategy_names[S_COUNT] = {
	"valid",     "missing", "wrong-length", "duplicate", "foreign",
	"oversized", "nested",	"random",	"flips",     "header",
};

static void put_schema(struct nlm_msg *m, uint8_t cmd, int skip)
{
	const struct cmd_schema *s = cmd <= E7_CMD_MAX ? &schema[cmd] : NULL;
	int i;

	if (!s || !s->n)
		return;
	for (i = 0; i < s->n; i++)
		if (i != skip && (i < s->required || chance(50)))
			put_top_attr(m, s->attrs[i]);
}

static void put_wrong_len(struct nlm_msg *m, uint16_t type)
{
	uint8_t junk[64];
	size_t n = rnd(sizeof(junk));

	rnd_bytes(junk, n);
	nlm_put(m, type, junk, n);
}

static void put_deep_nest(struct nlm_msg *m, int depth)
{
	size_t offs[64];
	int i;

	for (i = 0; i < depth; i++)
		offs[i] = nlm_nest_start(m, chance(70) ? E7_A_RULE :
							 rnd(E7_A_MAX + 3));
	if (chance(50))
		put_rule_attr(m, E7_RULE_A_ACTION);
	else
		put_wrong_len(m, rnd(E7_RULE_A_MAX + 2));
	for (i = depth - 1; i >= 0; i--)
		nlm_nest_end(m, offs[i]);
}

static void gen_body(struct nlm_msg *m, uint8_t cmd, enum strategy s)
{
	const struct cmd_schema *sc = cmd <= E7_CMD_MAX ? &schema[cmd] : NULL;
	size_t start = m->len, n, i;
	uint8_t big[9000];

	switch (s) {
	case S_VALID:
	case S_HEADER:
		put_schema(m, cmd, -1);
		break;
	case S_MISSING:
		put_schema(m, cmd,
			   sc && sc->required ? (int)rnd(sc->required) : -1);
		break;
	case S_WRONG_LEN:
		put_schema(m, cmd, -1);
		if (sc && sc->n && chance(70))
			put_wrong_len(m, sc->attrs[rnd(sc->n)]);
		else
			put_wrong_len(m, 1 + rnd(E7_A_MAX));
		if (chance(30)) { /* inside a rule */
			size_t nest = nlm_nest_start(m, E7_A_RULE);

			put_rule_attr(m, E7_RULE_A_ACTION);
			put_wrong_len(m, 1 + rnd(E7_RULE_A_MAX));
			nlm_nest_end(m, nest);
		}
		break;
	case S_DUPLICATE:
		for (n = 2 + rnd(4); n; n--)
			put_schema(m, cmd, -1);
		if (chance(30)) {
			size_t nest = nlm_nest_start(m, E7_A_RULE);

			for (n = 2 + rnd(3); n; n--)
				put_rule_attr(m, 1 + rnd(E7_RULE_A_MAX));
			nlm_nest_end(m, nest);
		}
		break;
	case S_FOREIGN:
		put_schema(m, cmd, -1);
		for (n = 1 + rnd(4); n; n--) {
			uint16_t t =
				chance(70) ?
					1 + rnd(E7_A_MAX) :
					E7_A_MAX + 1 + rnd(0x3fff - E7_A_MAX);

			if (t <= E7_A_MAX)
				put_top_attr(m, t);
			else
				put_wrong_len(m, t);
		}
		break;
	case S_OVERSIZED:
		put_schema(m, cmd, -1);
		if (chance(50)) {
			n = 1024 + rnd(sizeof(big) - 1024);
			memset(big, chance(50) ? 0 : 'A', n);
			nlm_put(m,
				sc && sc->n ? sc->attrs[rnd(sc->n)] :
					      1 + rnd(E7_A_MAX),
				big, n);
		} else {
			for (n = 100 + rnd(900); n; n--)
				put_top_attr(m, 1 + rnd(E7_A_MAX));
		}
		break;
	case S_NESTED:
		if (chance(40))
			put_schema(m, cmd, -1);
		put_deep_nest(m, 1 + rnd(40));
		if (chance(30)) { /* a nest that lost its NLA_F_NESTED bit */
			size_t nest = nlm_nest_start(m, E7_A_RULE);

			put_rule_attr(m, E7_RULE_A_ACTION);
			nlm_nest_end(m, nest);
			((struct nlattr *)(m->data + nest))->nla_type =
				E7_A_RULE;
		}
		break;
	case S_RANDOM:
		n = rnd(512);
		if (m->len + n <= sizeof(m->data)) {
			rnd_bytes(m->data + m->len, n);
			m->len += n;
		}
		break;
	case S_FLIPS:
		put_schema(m, cmd, -1);
		if (m->len > start)
			for (i = 1 + rnd(8); i; i--)
				m->data[start + rnd(m->len - start)] ^=
					1 << rnd(8);
		break;
	case S_COUNT:
		break;
	}
}

/* ---- one message ------------------------------------------------------ */

struct fuzz_msg {
	struct nlm_msg m;
	size_t send_len;
	uint32_t seq;
	uint8_t cmd;
	enum strategy strategy;
	bool terminal; /* the kernel must answer with an ack or DONE */
	bool reaches_ops; /* a request the family's handlers see */
};

static uint8_t pick_cmd(void)
{
	uint32_t r = rnd(100);

	if (r < 85)
		return 1 + rnd(E7_CMD_RESET_STATS); /* the real commands */
	if (r < 92)
		return chance(20) ? 0 : E7_CMD_EV_PENDING + rnd(5);
	return E7_CMD_MAX + 1 + rnd(255 - E7_CMD_MAX);
}

static void gen_msg(struct nlm *n, struct fuzz_msg *f, uint64_t seed,
		    uint64_t index)
{
	struct nlmsghdr *h = (struct nlmsghdr *)f->m.data;
	struct genlmsghdr *g = NLMSG_DATA(h);
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	uint32_t nlen;

	rng_state = seed ^ (index * 0xd1342543de82ef95ULL);
	rnd64();
	f->cmd = pick_cmd();
	f->strategy = rnd(S_COUNT);
	if (chance(20))
		flags |= NLM_F_DUMP;
	f->seq = nlm_start(n, &f->m, f->cmd, flags);
	gen_body(&f->m, f->cmd, f->strategy);
	nlm_finish(&f->m);
	f->send_len = f->m.len;

	if (f->strategy == S_HEADER) {
		switch (rnd(7)) {
		case 0: /* truncated: the datagram is shorter than nlmsg_len */
			f->send_len = rnd(f->m.len);
			break;
		case 1: /* nlmsg_len beyond the datagram */
			h->nlmsg_len += 1 + rnd(4096);
			break;
		case 2: /* a short genl header, or none */
			nlen = NLMSG_HDRLEN + rnd(GENL_HDRLEN);
			h->nlmsg_len = nlen;
			f->send_len = nlen;
			break;
		case 3: /* nlmsg_len cut inside the attributes */
			nlen = NLMSG_HDRLEN + rnd(f->m.len - NLMSG_HDRLEN + 1);
			h->nlmsg_len = nlen;
			f->send_len = nlen;
			break;
		case 4: /* any flags */
			h->nlmsg_flags = (uint16_t)rnd64();
			break;
		case 5: /* a control message type */
			h->nlmsg_type = rnd(NLMSG_MIN_TYPE);
			break;
		default: /* genl version and reserved bytes */
			g->version = (uint8_t)rnd64();
			g->reserved = (uint16_t)rnd64();
			break;
		}
	}
	/* What the kernel must answer: it drops a datagram shorter than its
	 * nlmsg_len (or than a header) silently; otherwise a request with
	 * NLM_F_ACK gets an ack or error, a dump gets its DONE or an error. */
	f->terminal = h->nlmsg_len >= NLMSG_HDRLEN &&
		      f->send_len >= NLMSG_HDRLEN &&
		      h->nlmsg_len <= f->send_len &&
		      ((h->nlmsg_flags & NLM_F_ACK) ||
		       ((h->nlmsg_flags & NLM_F_REQUEST) &&
			h->nlmsg_type == n->family &&
			(h->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP));
	f->reaches_ops = f->terminal && (h->nlmsg_flags & NLM_F_REQUEST) &&
			 h->nlmsg_type == n->family &&
			 h->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN;
}

/* ---- checking the replies --------------------------------------------- */

struct tally {
	uint64_t sent, acks, data, dumps_done, dropped;
	uint64_t errs[256];
	uint64_t by_strategy[S_COUNT];
	uint64_t ok_by_strategy[S_COUNT];
};

static bool clean_errno(int e)
{
	switch (e) {
	case EINVAL:
	case ERANGE:
	case EPERM:
	case ENOENT:
	case EEXIST:
	case ENOSPC:
	case EOPNOTSUPP:
	case EMSGSIZE:
	case EBUSY:
	case E2BIG:
		return true;
	default:
		return false;
	}
}

static const char *failure;
static char failure_buf[256];

static void fail(const char *fmt, const char *what, long v)
{
	if (failure)
		return;
	snprintf(failure_buf, sizeof(failure_buf), fmt, what, v);
	failure = failure_buf;
}

/* Attributes must tile the payload exactly; nests one level down too. */
static bool attrs_well_formed(const uint8_t *p, size_t len, int depth)
{
	const struct nlattr *a;
	size_t off = 0;

	while ((a = nlm_attr_next(p, len, &off)))
		if ((a->nla_type & NLA_F_NESTED) && depth < 2 &&
		    !attrs_well_formed((const uint8_t *)a + NLA_HDRLEN,
				       a->nla_len - NLA_HDRLEN, depth + 1))
			return false;
	return off >= len && off - len < NLA_ALIGNTO;
}

/* Checks one reply message; returns true when it ends the request. */
static bool check_reply(struct nlm *n, const struct nlmsghdr *h,
			struct tally *t, bool *succeeded)
{
	if (h->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(h);

		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			fail("%s: short error message (%ld bytes)", "reply",
			     h->nlmsg_len);
		else if (e->error > 0)
			fail("%s: positive error %ld", "reply", e->error);
		else if (e->error == 0)
			t->acks++;
		else if (!clean_errno(-e->error))
			fail("%s: errno %ld is not in the clean set", "reply",
			     -e->error);
		else
			t->errs[-e->error & 0xff]++;
		if (e->error == 0)
			*succeeded = true;
		return true;
	}
	if (h->nlmsg_type == NLMSG_DONE) {
		int err = 0;

		if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
			memcpy(&err, NLMSG_DATA(h), sizeof(int));
		if (err < 0 && !clean_errno(-err))
			fail("%s: dump ended with errno %ld", "reply", -err);
		t->dumps_done++;
		*succeeded = err == 0;
		return true;
	}
	if (h->nlmsg_type != n->family) {
		fail("%s: unexpected message type %ld", "reply", h->nlmsg_type);
		return true;
	}
	if (h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
	    !attrs_well_formed((const uint8_t *)NLMSG_DATA(h) + GENL_HDRLEN,
			       h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, 0))
		fail("%s: malformed data reply of %ld bytes", "reply",
		     h->nlmsg_len);
	t->data++;
	*succeeded = true;
	return false;
}

/* Reads until the request's ack/DONE (terminal), or until the probe's ack. */
static int drain(struct nlm *n, const struct fuzz_msg *f, uint32_t until_seq,
		 struct tally *t, bool *succeeded, bool *answered)
{
	static uint8_t buf[NLM_BUF_MAX];

	for (;;) {
		ssize_t r = nlm_recv(n, buf, sizeof(buf), REPLY_TIMEOUT_MS);
		const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
		size_t left;

		if (r == 0) {
			fail("%s: no answer within %ld ms", "request",
			     REPLY_TIMEOUT_MS);
			return -1;
		}
		if (r < 0) {
			fail("%s: recv failed: errno %ld", "socket", -r);
			return -1;
		}
		for (left = r; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			bool end;

			if (h->nlmsg_seq == until_seq &&
			    h->nlmsg_seq != f->seq) {
				if (h->nlmsg_type == NLMSG_ERROR)
					return 0; /* the probe's ack */
				continue;
			}
			if (h->nlmsg_seq != f->seq) {
				fail("%s: reply with a stray sequence number %ld",
				     "reply", h->nlmsg_seq);
				return -1;
			}
			*answered = true;
			end = check_reply(n, h, t, succeeded);
			if (end && until_seq == f->seq)
				return 0;
		}
		if (left)
			fail("%s: %ld trailing bytes in a datagram", "reply",
			     (long)left);
		if (failure)
			return -1;
	}
}

static struct fuzz_msg f; /* the current message */

static int fuzz_one(struct nlm *n, uint64_t seed, uint64_t i, bool unpriv,
		    struct tally *t)
{
	static struct nlm_msg probe;
	bool succeeded = false, answered = false;
	int rc;

	gen_msg(n, &f, seed, i);
	t->sent++;
	t->by_strategy[f.strategy]++;
	rc = nlm_send(n, f.m.data, f.send_len);
	if (rc) {
		/* Only a datagram over the socket's send buffer, or one too
		 * short for a header (6.12: ENODATA), may fail. */
		if (rc != -EMSGSIZE && rc != -ENOBUFS &&
		    !(f.send_len < NLMSG_HDRLEN &&
		      (rc == -ENODATA || rc == -EINVAL))) {
			fail("%s: send failed with errno %ld", "socket", -rc);
			return -1;
		}
		t->errs[-rc & 0xff]++;
		return 0;
	}
	if (f.terminal) {
		rc = drain(n, &f, f.seq, t, &succeeded, &answered);
	} else {
		/* Nothing may come back: a probe marks the end of the replies. */
		uint32_t pseq = nlm_start(n, &probe, E7_CMD_GET_MODE,
					  NLM_F_REQUEST | NLM_F_ACK);

		nlm_finish(&probe);
		rc = nlm_send(n, probe.data, probe.len);
		if (rc) {
			fail("%s: probe send failed with errno %ld", "socket",
			     -rc);
			return -1;
		}
		rc = drain(n, &f, pseq, t, &succeeded, &answered);
		if (!answered)
			t->dropped++;
	}
	if (rc)
		return rc;
	if (succeeded)
		t->ok_by_strategy[f.strategy]++;
	if (unpriv && f.reaches_ops && succeeded && admin_cmd(f.cmd)) {
		fail("%s: unprivileged command %ld succeeded", "permission",
		     f.cmd);
		return -1;
	}
	return 0;
}

static void held_cb(const struct nlmsghdr *h, void *ctx)
{
	const uint8_t *p = (const uint8_t *)NLMSG_DATA(h) + GENL_HDRLEN;
	size_t len = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, off = 0, foff;
	const struct nlattr *a, *fa;

	(void)ctx;
	while ((a = nlm_attr_next(p, len, &off))) {
		if ((a->nla_type & NLA_TYPE_MASK) != E7_A_FLOW)
			continue;
		foff = 0;
		while ((fa = nlm_attr_next((const uint8_t *)a + NLA_HDRLEN,
					   a->nla_len - NLA_HDRLEN, &foff)))
			if (fa->nla_type == E7_FLOW_A_ID &&
			    fa->nla_len == NLA_HDRLEN + 8 && n_held < HELD_IDS)
				memcpy(&held_ids[n_held++],
				       (const uint8_t *)fa + NLA_HDRLEN, 8);
	}
}

/* Root only: the ids of up to HELD_IDS held flows (GET_FLOW is admin). */
static int refresh_held(struct nlm *n)
{
	static struct nlm_msg m;
	int rc;

	n_held = 0;
	nlm_start(n, &m, E7_CMD_GET_FLOW, NLM_F_REQUEST | NLM_F_DUMP);
	rc = nlm_request(n, &m, held_cb, NULL);
	if (rc)
		fail("%s: the flow dump failed with errno %ld", "state", -rc);
	return rc;
}

/* ---- state ------------------------------------------------------------ */

static void print_attrs(const char *tag, const uint8_t *p, size_t len,
			const bool *skip)
{
	const struct nlattr *a;
	size_t off = 0, i;

	printf("%s", tag);
	while ((a = nlm_attr_next(p, len, &off))) {
		uint16_t t = a->nla_type & NLA_TYPE_MASK;

		if (skip && skip[t])
			continue;
		printf(" %u=", t);
		for (i = NLA_HDRLEN; i < a->nla_len; i++)
			printf("%02x", ((const uint8_t *)a)[i]);
	}
	printf("\n");
}

static void state_cb(const struct nlmsghdr *h, void *ctx)
{
	const uint8_t *p = (const uint8_t *)NLMSG_DATA(h) + GENL_HDRLEN;
	size_t len = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, off = 0;
	static bool skip_top[E7_A_MAX + 1] = { [E7_A_DAEMON] = true };
	static bool skip_rule[E7_RULE_A_MAX + 1] = {
		[E7_RULE_A_HITS] = true,
		[E7_RULE_A_LAST_HIT] = true,
		[E7_RULE_A_EXPIRE] = true,
	};
	const struct nlattr *a;

	if (ctx) { /* a rule dump: one E7_A_RULE per message */
		while ((a = nlm_attr_next(p, len, &off)))
			if ((a->nla_type & NLA_TYPE_MASK) == E7_A_RULE)
				print_attrs("rule",
					    (const uint8_t *)a + NLA_HDRLEN,
					    a->nla_len - NLA_HDRLEN, skip_rule);
		return;
	}
	print_attrs(((const struct genlmsghdr *)NLMSG_DATA(h))->cmd ==
				    E7_CMD_GET_CONFIG ?
			    "config" :
			    "top",
		    p, len, skip_top);
}

static int print_state(struct nlm *n)
{
	static struct nlm_msg m;
	static const uint8_t cmds[] = { E7_CMD_GET_MODE, E7_CMD_GET_FLAGS,
					E7_CMD_GET_CONFIG };
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cmds); i++) {
		nlm_start(n, &m, cmds[i], NLM_F_REQUEST | NLM_F_ACK);
		rc = nlm_request(n, &m, state_cb, NULL);
		if (rc)
			goto err;
	}
	nlm_start(n, &m, E7_CMD_GET_RULE, NLM_F_REQUEST | NLM_F_DUMP);
	rc = nlm_request(n, &m, state_cb, &m);
	if (!rc)
		return 0;
err:
	fprintf(stderr, "state: %s\n", strerror(-rc));
	return 2;
}

/* ---- main ------------------------------------------------------------- */

static void print_tally(const struct tally *t, double secs)
{
	int i;

	printf("messages=%" PRIu64 " acks=%" PRIu64 " data=%" PRIu64
	       " dumps=%" PRIu64 " dropped=%" PRIu64
	       " seconds=%.1f rate=%.0f/s\n",
	       t->sent, t->acks, t->data, t->dumps_done, t->dropped, secs,
	       secs > 0 ? t->sent / secs : 0);
	printf("errors:");
	for (i = 0; i < 256; i++)
		if (t->errs[i])
			printf(" %s=%" PRIu64, strerrorname_np(i) ?: "?",
			       t->errs[i]);
	printf("\nstrategies (sent/succeeded):");
	for (i = 0; i < S_COUNT; i++)
		printf(" %s=%" PRIu64 "/%" PRIu64, strategy_names[i],
		       t->by_strategy[i], t->ok_by_strategy[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", no_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t seed = 0, count = 0, only = UINT64_MAX, i, first, last;
	bool unpriv = false, quiet = false, state = false, have_seed = false;
	struct timespec t0, t1;
	static struct tally t;
	struct nlm n;
	int c;

	while ((c = getopt_long(argc, argv, "uqs:n:o:", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			unpriv = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			have_seed = true;
			break;
		case 'n':
			count = strtoull(optarg, NULL, 0);
			break;
		case 'o':
			only = strtoull(optarg, NULL, 0);
			break;
		case 'S':
			state = true;
			break;
		default:
			fprintf(stderr,
				"usage: genl-fuzz [-u] [-q] -s SEED -n COUNT [-o ONLY] | --state\n");
			return 2;
		}
	}
	if (nlm_open(&n, E7_GENL_NAME))
		return 2;
	if (state)
		return print_state(&n);
	if (!have_seed || (!count && only == UINT64_MAX)) {
		fprintf(stderr,
			"genl-fuzz: -s SEED and -n COUNT (or -o INDEX) are required\n");
		return 2;
	}
	first = only == UINT64_MAX ? 0 : only;
	last = only == UINT64_MAX ? count : only + 1;
	printf("genl-fuzz: seed=%" PRIu64 " messages %" PRIu64 "..%" PRIu64
	       " as %s\n",
	       seed, first, last - 1, unpriv ? "unprivileged" : "root");
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = first; i < last; i++) {
		if ((!unpriv && i % 64 == 0 && refresh_held(&n)) ||
		    fuzz_one(&n, seed, i, unpriv, &t) || failure) {
			printf("FAIL message %" PRIu64
			       " (cmd %u, %s, %zu bytes): %s\n"
			       "replay: genl-fuzz%s -s %" PRIu64 " -o %" PRIu64
			       "\n",
			       i, f.cmd, strategy_names[f.strategy], f.send_len,
			       failure ?: "send failed", unpriv ? " -u" : "",
			       seed, i);
			break;
		}
		if (!quiet && i && i % 10000 == 0) {
			printf("  %" PRIu64 " messages\n", i);
			fflush(stdout);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_tally(&t,
		    (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	nlm_close(&n);
	return failure ? 1 : 0;
}
