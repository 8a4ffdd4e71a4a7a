/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * eftirlit7.h - generic netlink schema of the EftirlitSeven firewall.
 *
 * This header is the single source of truth for the "eftirlit" generic
 * netlink family: commands, attributes, constants, flags and limits.  It is
 * shared by the kernel module (module/) and by userspace (e7d, tests).
 * Changes after 0.1.0 are additive only: new values go at the end of an
 * enum, nothing is renumbered or removed.
 *
 * Conventions
 *   - All integers are in host byte order, except addresses
 *     (E7_*_ADDR*: network byte order, 4 bytes for IPv4, 16 for IPv6).
 *   - Strings are NUL-terminated (NLA_NUL_STRING); the stated maximum length
 *     excludes the NUL.
 *   - Every attribute is validated strictly: unknown attributes, wrong
 *     lengths, missing attributes and inconsistent rules are rejected with
 *     EINVAL, out-of-range values with ERANGE (netlink core), each with an
 *     extended ACK message.  Nested attributes (E7_A_RULE) must carry
 *     NLA_F_NESTED, as libnl's nla_nest_start() sets.
 *   - "admin" below means the command is GENL_ADMIN_PERM: it needs
 *     CAP_NET_ADMIN in the initial user namespace (the family is not
 *     netns-aware: it is administered from the initial network namespace,
 *     while the hooks run in every namespace).  Other commands are open to
 *     every user.
 *   - Event multicast group E7_MCGRP_EVENTS can only be joined with
 *     CAP_NET_ADMIN (GENL_MCAST_CAP_NET_ADMIN): nobody unprivileged can read
 *     or detach the event stream.  A daemon counts as "connected" while at
 *     least one socket is subscribed to this group.
 */
#ifndef _UAPI_LINUX_EFTIRLIT7_H
#define _UAPI_LINUX_EFTIRLIT7_H

#include <linux/types.h>

/* The x-macro tables below are laid out by hand. */
/* clang-format off */

#define E7_GENL_NAME "eftirlit"
#define E7_GENL_VERSION 1
#define E7_MCGRP_EVENTS "events"

/*
 * Module parameters (set at load time, e.g. from the kernel command line as
 * eftirlit7.mode=deny-unknown, so protection starts with the first packet):
 *   mode=<mode alias>            (default ask)
 *   profile=desktop|strict       (default desktop)
 *   nodaemon=allow|block         (default from profile)
 *   timeout=allow|block          (default from profile)
 *   unparsed=allow|block         (default from profile)
 *   hold_timeout_ms=N            (default E7_HOLD_TIMEOUT_MS)
 * The running values are read and changed with E7_CMD_GET/SET_CONFIG.
 */

/* ---------------------------------------------------------------------
 * Limits
 * ---------------------------------------------------------------------
 */
#define E7_PATH_MAX 4096	  /* program path incl. NUL (PATH_MAX) */
#define E7_CMDLINE_MAX 256	  /* first bytes of /proc/PID/cmdline */
#define E7_RULES_MAX 131072	  /* default bound of the rule table */
#define E7_HOLD_FLOWS_MAX 4096	  /* default bound of held flows */
#define E7_HOLD_PKTS_PER_FLOW 8	  /* default packets kept per held flow */
#define E7_HOLD_PKTS_MAX 8192	  /* default packets kept in total */
#define E7_HOLD_TIMEOUT_MS 30000  /* default hold timeout */
#define E7_HOLD_TIMEOUT_MAX_MS 600000
#define E7_EXPIRE_MAX 31536000	  /* longest rule expiry: one year (s) */
#define E7_EVENTS_MAX 1024	  /* queued, not yet sent events */

/* Kernel-assigned rule ids have this bit set; daemon-chosen ids must not. */
#define E7_RULE_ID_KERNEL (1ULL << 63)

/* ---------------------------------------------------------------------
 * Constants.  Each list is an x-macro X(NAME, value, "alias") so that
 * userspace can map aliases to values without a second table.
 * ---------------------------------------------------------------------
 */

/* Firewall mode (E7_A_MODE). */
#define E7_MODES(X)                                                         \
	X(ASK, 0, "ask")                   /* hold unknown flows, ask */      \
	X(ALLOW_UNKNOWN, 1, "allow-unknown") /* learning: allow + report */   \
	X(DENY_UNKNOWN, 2, "deny-unknown") /* block unknown, no prompt */     \
	X(DISABLED, 3, "disabled")         /* pass everything, counted */     \
	X(BLOCK_ALL, 4, "block-all")       /* drop everything */

enum e7_mode {
#define E7_X_ENUM(n, v, s) E7_MODE_##n = v,
	E7_MODES(E7_X_ENUM)
#undef E7_X_ENUM
	__E7_MODE_MAX
};
#define E7_MODE_MAX (__E7_MODE_MAX - 1)

/* Rule action, verdict and policy value (E7_A_ACTION, E7_RULE_A_ACTION, E7_A_POLICY_*). */
#define E7_ACTIONS(X)            \
	X(ALLOW, 1, "allow")     \
	X(BLOCK, 2, "block")

enum e7_action {
	E7_ACTION_NONE = 0,
#define E7_X_ENUM(n, v, s) E7_ACTION_##n = v,
	E7_ACTIONS(E7_X_ENUM)
#undef E7_X_ENUM
	__E7_ACTION_MAX
};
#define E7_ACTION_MAX (__E7_ACTION_MAX - 1)

/*
 * Profile (E7_A_PROFILE, module parameter "profile"): a preset of the
 * policies below.
 *   desktop: nodaemon=allow timeout=block overflow=block unidentified=allow
 *            unparsed=allow
 *   strict:  every policy block (fail closed from boot)
 */
#define E7_PROFILES(X)               \
	X(DESKTOP, 0, "desktop")     \
	X(STRICT, 1, "strict")

enum e7_profile {
#define E7_X_ENUM(n, v, s) E7_PROFILE_##n = v,
	E7_PROFILES(E7_X_ENUM)
#undef E7_X_ENUM
	__E7_PROFILE_MAX
};
#define E7_PROFILE_MAX (__E7_PROFILE_MAX - 1)

/* Protocol of a rule or flow: IP protocol numbers; 0 means any. */
#define E7_PROTOS(X)                   \
	X(ANY, 0, "any")               \
	X(ICMP, 1, "icmp")             \
	X(TCP, 6, "tcp")               \
	X(UDP, 17, "udp")              \
	X(ICMPV6, 58, "icmpv6")        \
	X(SCTP, 132, "sctp")           \
	X(UDPLITE, 136, "udplite")

enum e7_proto {
#define E7_X_ENUM(n, v, s) E7_PROTO_##n = v,
	E7_PROTOS(E7_X_ENUM)
#undef E7_X_ENUM
};
/*
 * A rule with E7_PROTO_ICMP matches ICMP and ICMPv6.  Any other IP protocol
 * number (1..255) is accepted in rules and matches that protocol only.
 */

/* Direction of a rule or flow. */
#define E7_DIRS(X)             \
	X(ANY, 0, "any")       \
	X(OUT, 1, "out")       \
	X(IN, 2, "in")

enum e7_dir {
#define E7_X_ENUM(n, v, s) E7_DIR_##n = v,
	E7_DIRS(E7_X_ENUM)
#undef E7_X_ENUM
	__E7_DIR_MAX
};
#define E7_DIR_MAX (__E7_DIR_MAX - 1)

/* How a rule matches the program (E7_RULE_A_PROG_MATCH). */
#define E7_PROG_MATCHES(X)            \
	X(ANY, 0, "any")              \
	X(EXACT, 1, "exact")          \
	X(PREFIX, 2, "prefix")

enum e7_prog_match {
#define E7_X_ENUM(n, v, s) E7_PROG_##n = v,
	E7_PROG_MATCHES(E7_X_ENUM)
#undef E7_X_ENUM
	__E7_PROG_MAX
};
#define E7_PROG_MAX (__E7_PROG_MAX - 1)

/*
 * Rule lifetime (E7_RULE_A_LIFETIME).  The kernel enforces SECONDS (with
 * E7_RULE_A_EXPIRE) and ONCE (the rule is removed after its first match);
 * PROCESS, LOGOUT and REBOOT are kept and reported for the daemon, which
 * removes such rules when the event happens.  FOREVER is the default.
 */
#define E7_LIFETIMES(X)               \
	X(FOREVER, 0, "forever")      \
	X(ONCE, 1, "once")            \
	X(PROCESS, 2, "process")      \
	X(LOGOUT, 3, "logout")        \
	X(REBOOT, 4, "reboot")        \
	X(SECONDS, 5, "seconds")

enum e7_lifetime {
#define E7_X_ENUM(n, v, s) E7_LIFETIME_##n = v,
	E7_LIFETIMES(E7_X_ENUM)
#undef E7_X_ENUM
	__E7_LIFETIME_MAX
};
#define E7_LIFETIME_MAX (__E7_LIFETIME_MAX - 1)

/*
 * Why a flow got its verdict (E7_FLOW_A_REASON).  The policy cases are the
 * "nobody decided" situations of DESIGN.md, each with its own counter.
 */
#define E7_REASONS(X)                          \
	X(NONE, 0, "none")                     \
	X(RULE, 1, "rule")                     \
	X(VERDICT, 2, "verdict")               \
	X(MODE, 3, "mode")                     \
	X(NODAEMON, 4, "nodaemon")             \
	X(TIMEOUT, 5, "timeout")               \
	X(OVERFLOW, 6, "overflow")             \
	X(UNIDENTIFIED, 7, "unidentified")     \
	X(NOSOCKET, 8, "nosocket")             \
	X(UNLOAD, 9, "unload")                 \
	X(UNPARSED, 10, "unparsed")

enum e7_reason {
#define E7_X_ENUM(n, v, s) E7_REASON_##n = v,
	E7_REASONS(E7_X_ENUM)
#undef E7_X_ENUM
	__E7_REASON_MAX
};
#define E7_REASON_MAX (__E7_REASON_MAX - 1)

/*
 * Flags (E7_A_FLAGS, u32 bit mask).  X(NAME, bit, "alias", default).
 *   LOG_ALLOWED:   emit E7_CMD_EV_FLOW for each new flow that is allowed
 *   LOG_BLOCKED:   emit E7_CMD_EV_FLOW for each new flow that is blocked
 *   LOG_KERNEL:    also print policy decisions to the kernel log (ratelimited)
 *   INCOMING:      filter incoming new connections (LOCAL_IN hooks)
 */
#define E7_FLAGS(X)                                      \
	X(LOG_ALLOWED, 0, "log-allowed", 0)              \
	X(LOG_BLOCKED, 1, "log-blocked", 1)              \
	X(LOG_KERNEL, 2, "log-kernel", 1)                \
	X(INCOMING, 3, "incoming", 1)

enum e7_flag {
#define E7_X_ENUM(n, b, s, d) E7_FLAG_##n = (1U << (b)),
	E7_FLAGS(E7_X_ENUM)
#undef E7_X_ENUM
};
/* Aliases accepted by userspace tools for groups of flags. */
#define E7_FLAG_ALIASES(X)                                        \
	X("log", E7_FLAG_LOG_ALLOWED | E7_FLAG_LOG_BLOCKED)       \
	X("quiet", 0)
#define E7_FLAGS_ALL (E7_FLAG_LOG_ALLOWED | E7_FLAG_LOG_BLOCKED | \
		      E7_FLAG_LOG_KERNEL | E7_FLAG_INCOMING)

/* Flow flags (E7_FLOW_A_FLAGS). */
enum e7_flow_flag {
	E7_FLOW_F_EXE_DELETED = (1U << 0), /* program was unlinked/replaced */
	E7_FLOW_F_UNIDENTIFIED = (1U << 1), /* no owning process found */
	E7_FLOW_F_CACHED_OWNER = (1U << 2), /* owner from socket cache (KSC/ASC) */
	E7_FLOW_F_UNCONNECTED = (1U << 3), /* unconnected datagram (sendto) */
	E7_FLOW_F_PATH_TRUNCATED = (1U << 4), /* path longer than E7_PATH_MAX */
};

/*
 * Global counters (E7_A_STATS nested attributes), X(NAME, "alias").
 * The attribute type of counter NAME is E7_STAT_A_NAME, a u64.
 */
#define E7_STATS(X)                              \
	X(PACKETS, "packets")                    \
	X(ALLOWED, "allowed")                    \
	X(BLOCKED, "blocked")                    \
	X(CACHE_HITS, "cache-hits")              \
	X(RULE_LOOKUPS, "rule-lookups")          \
	X(HELD_FLOWS, "held-flows")              \
	X(HELD_PACKETS, "held-packets")          \
	X(RELEASED, "released")                  \
	X(VERDICT_DROPPED, "verdict-dropped")    \
	X(TIMED_OUT, "timed-out")                \
	X(NODAEMON, "nodaemon")                  \
	X(OVERFLOW, "overflow")                  \
	X(UNIDENTIFIED, "unidentified")          \
	X(NOSOCKET, "nosocket")                  \
	X(DISABLED_PASS, "disabled-pass")        \
	X(BLOCK_ALL_DROP, "block-all-drop")      \
	X(EVENTS_SENT, "events-sent")            \
	X(EVENTS_LOST, "events-lost")            \
	X(RULES_EXPIRED, "rules-expired")        \
	X(CONN_ABORTED, "conn-aborted")          \
	X(INCOMING, "incoming")                  \
	X(FLOWS_ACTIVE, "flows-active")          \
	X(RULES_ACTIVE, "rules-active")          \
	X(HELD_NOW, "held-now")                  \
	X(OWNER_WALKS, "owner-walks")
/*
 * Counters added after 0.1.0, numbered after E7_STAT_A_PAD so that no
 * attribute is renumbered:
 *   UNPARSED: packets of user sockets whose headers could not be parsed
 *             (decided by the owner's port-less rules or the unparsed
 *             policy)
 */
#define E7_STATS_LATER(X)                        \
	X(UNPARSED, "unparsed")

enum e7_stat_attr {
	E7_STAT_A_UNSPEC,
#define E7_X_ENUM(n, s) E7_STAT_A_##n,
	E7_STATS(E7_X_ENUM)
	E7_STAT_A_PAD,
	E7_STATS_LATER(E7_X_ENUM)
#undef E7_X_ENUM
	__E7_STAT_A_MAX
};
#define E7_STAT_A_MAX (__E7_STAT_A_MAX - 1)

/* Kind of a per-key statistics entry (E7_ENTRY_A_KIND). */
#define E7_ENTRY_KINDS(X)               \
	X(PROGRAM, 1, "program")        \
	X(PROTO, 2, "protocol")         \
	X(USER, 3, "user")              \
	X(REMOTE, 4, "remote")

enum e7_entry_kind {
	E7_ENTRY_NONE = 0,
#define E7_X_ENUM(n, v, s) E7_ENTRY_##n = v,
	E7_ENTRY_KINDS(E7_X_ENUM)
#undef E7_X_ENUM
	__E7_ENTRY_MAX
};
#define E7_ENTRY_MAX (__E7_ENTRY_MAX - 1)
#define E7_ENTRY_TOPN 64	/* entries kept per kind */

/* ---------------------------------------------------------------------
 * Commands
 * ---------------------------------------------------------------------
 *
 * E7_CMD_GET_MODE (open)
 *	takes:   nothing
 *	returns: E7_A_MODE
 *
 * E7_CMD_SET_MODE (admin)
 *	takes:   E7_A_MODE (required)
 *	returns: ack; emits E7_CMD_EV_MODE
 *
 * E7_CMD_GET_CONFIG (open)
 *	takes:   nothing
 *	returns: E7_A_VERSION, E7_A_MODE, E7_A_PROFILE, E7_A_FLAGS,
 *		 E7_A_POLICY_NODAEMON, E7_A_POLICY_TIMEOUT,
 *		 E7_A_POLICY_OVERFLOW, E7_A_POLICY_UNIDENTIFIED,
 *		 E7_A_POLICY_UNPARSED,
 *		 E7_A_HOLD_TIMEOUT_MS, E7_A_RULES_MAX, E7_A_HOLD_FLOWS_MAX,
 *		 E7_A_HOLD_PKTS_PER_FLOW, E7_A_HOLD_PKTS_MAX, E7_A_GENERATION,
 *		 E7_A_DAEMON (u8: 1 while a listener is subscribed)
 *
 * E7_CMD_SET_CONFIG (admin)
 *	takes:   any subset of E7_A_MODE, E7_A_PROFILE (applies the preset
 *		 first, then the other attributes), E7_A_FLAGS,
 *		 E7_A_POLICY_NODAEMON, E7_A_POLICY_TIMEOUT,
 *		 E7_A_POLICY_OVERFLOW, E7_A_POLICY_UNIDENTIFIED,
 *		 E7_A_POLICY_UNPARSED, E7_A_HOLD_TIMEOUT_MS
 *	returns: ack
 *
 * E7_CMD_GET_FLAGS (open)
 *	takes:   nothing
 *	returns: E7_A_FLAGS
 *
 * E7_CMD_SET_FLAGS (admin)
 *	takes:   E7_A_FLAGS (required; the new mask, unknown bits: EINVAL)
 *	returns: ack
 *
 * E7_CMD_NEW_RULE (admin)
 *	takes:   E7_A_RULE (nested, E7_RULE_A_*; ACTION required).  Rule ids:
 *		 if E7_RULE_A_ID is given it is used (it must not have
 *		 E7_RULE_ID_KERNEL set and must be unused: EEXIST); otherwise
 *		 the kernel assigns E7_RULE_ID_KERNEL | counter.
 *		 Program: E7_RULE_A_PATH absent = any program, ending in '/'
 *		 = directory prefix, otherwise exact path (absolute).
 *		 E7_RULE_A_PROG_MATCH is optional and must agree with the path.
 *		 Remote CIDR: at most one of E7_RULE_A_ADDR4/ADDR6 with
 *		 E7_RULE_A_PREFIX_LEN (default: full length).
 *		 Port: E7_RULE_A_PORT_MIN [E7_RULE_A_PORT_MAX >= min]: the
 *		 remote port of outgoing flows, the local (service) port of
 *		 incoming ones; the address is always the remote end.
 *		 E7_RULE_A_EXPIRE (seconds, 1..E7_EXPIRE_MAX) implies
 *		 lifetime SECONDS.  E7_RULE_A_EXE_DEV/INO/CTIME or
 *		 E7_RULE_A_EXE_BIND bind an exact-path rule to one program
 *		 identity.  Full table: ENOSPC.
 *	returns: E7_A_RULE with the complete rule (incl. its id); bumps the
 *		 ruleset generation.
 *
 * E7_CMD_DEL_RULE (admin)
 *	takes:   E7_A_RULE_ID (required)
 *	returns: ack (ENOENT if no such rule)
 *
 * E7_CMD_GET_RULE (open)
 *	doit:    E7_A_RULE_ID -> E7_A_RULE
 *	dumpit:  every rule, one message each with E7_A_RULE; resumes after
 *		 the last rule id sent (ids are dumped in ascending order).
 *
 * E7_CMD_FLUSH_RULES (admin)
 *	takes:   nothing
 *	returns: ack
 *
 * E7_CMD_GET_FLOW (admin: it exposes command lines)
 *	dumpit:  every held (pending) flow, one message each with E7_A_FLOW;
 *		 resumes after the last flow id sent.
 *
 * E7_CMD_VERDICT (admin)
 *	takes:   E7_A_FLOW_ID (required), E7_A_ACTION (required),
 *		 E7_A_RULE (optional: rule to install first, as NEW_RULE)
 *	returns: E7_A_RULE_ID if a rule was installed; ENOENT if the flow is
 *		 no longer held (timed out or already decided).
 *		 ALLOW re-injects the held packets at once; BLOCK drops them and
 *		 aborts the owning TCP socket with EPERM.
 *
 * E7_CMD_GET_STATS (open)
 *	doit:    E7_A_STATS (nested E7_STAT_A_*, all u64)
 *	dumpit:  per-key entries, one message each with E7_A_ENTRY (nested
 *		 E7_ENTRY_A_*), up to E7_ENTRY_TOPN per kind; and per-rule
 *		 counters are in E7_CMD_GET_RULE (E7_RULE_A_HITS/LAST_HIT).
 *
 * E7_CMD_RESET_STATS (admin)
 *	takes:   nothing
 *	returns: ack
 *
 * Events (multicast group E7_MCGRP_EVENTS; every event also carries
 * E7_A_EVENTS_LOST, the total number of events dropped so far, so that the
 * daemon can resync with dumps when it grows):
 *
 * E7_CMD_EV_PENDING:      E7_A_FLOW (a new held flow awaiting E7_CMD_VERDICT)
 * E7_CMD_EV_FLOW:         E7_A_FLOW (a new flow allowed/blocked, per flags;
 *			   E7_FLOW_A_ACTION, E7_FLOW_A_REASON, E7_FLOW_A_RULE_ID)
 * E7_CMD_EV_RULE_EXPIRED: E7_A_RULE_ID (rule removed by its lifetime)
 * E7_CMD_EV_MODE:         E7_A_MODE (mode changed)
 * E7_CMD_EV_RESOLVED:     E7_A_FLOW_ID, E7_A_ACTION, E7_A_REASON (a held
 *			   flow was resolved without a verdict: timeout,
 *			   overflow, mode change, unload)
 */
enum e7_cmd {
	E7_CMD_UNSPEC,
	E7_CMD_GET_MODE,
	E7_CMD_SET_MODE,
	E7_CMD_GET_CONFIG,
	E7_CMD_SET_CONFIG,
	E7_CMD_GET_FLAGS,
	E7_CMD_SET_FLAGS,
	E7_CMD_NEW_RULE,
	E7_CMD_DEL_RULE,
	E7_CMD_GET_RULE,
	E7_CMD_FLUSH_RULES,
	E7_CMD_GET_FLOW,
	E7_CMD_VERDICT,
	E7_CMD_GET_STATS,
	E7_CMD_RESET_STATS,
	E7_CMD_EV_PENDING,
	E7_CMD_EV_FLOW,
	E7_CMD_EV_RULE_EXPIRED,
	E7_CMD_EV_MODE,
	E7_CMD_EV_RESOLVED,
	__E7_CMD_MAX
};
#define E7_CMD_MAX (__E7_CMD_MAX - 1)

/* ---------------------------------------------------------------------
 * Top-level attributes
 * ---------------------------------------------------------------------
 */
enum e7_attr {
	E7_A_UNSPEC,
	E7_A_VERSION,		  /* u32: E7_GENL_VERSION */
	E7_A_MODE,		  /* u8: enum e7_mode */
	E7_A_PROFILE,		  /* u8: enum e7_profile */
	E7_A_FLAGS,		  /* u32: enum e7_flag mask */
	E7_A_POLICY_NODAEMON,	  /* u8: E7_ACTION_ALLOW/BLOCK */
	E7_A_POLICY_TIMEOUT,	  /* u8: E7_ACTION_ALLOW/BLOCK */
	E7_A_POLICY_OVERFLOW,	  /* u8: E7_ACTION_ALLOW/BLOCK */
	E7_A_POLICY_UNIDENTIFIED, /* u8: E7_ACTION_ALLOW/BLOCK */
	E7_A_HOLD_TIMEOUT_MS,	  /* u32: 100..E7_HOLD_TIMEOUT_MAX_MS */
	E7_A_RULES_MAX,		  /* u32 (read-only) */
	E7_A_HOLD_FLOWS_MAX,	  /* u32 (read-only) */
	E7_A_HOLD_PKTS_PER_FLOW,  /* u32 (read-only) */
	E7_A_HOLD_PKTS_MAX,	  /* u32 (read-only) */
	E7_A_GENERATION,	  /* u64: ruleset generation (read-only) */
	E7_A_DAEMON,		  /* u8: a listener is subscribed (read-only) */
	E7_A_RULE,		  /* nested: E7_RULE_A_* */
	E7_A_RULE_ID,		  /* u64 */
	E7_A_FLOW,		  /* nested: E7_FLOW_A_* */
	E7_A_FLOW_ID,		  /* u64 */
	E7_A_ACTION,		  /* u8: enum e7_action */
	E7_A_REASON,		  /* u8: enum e7_reason */
	E7_A_STATS,		  /* nested: E7_STAT_A_* */
	E7_A_ENTRY,		  /* nested: E7_ENTRY_A_* */
	E7_A_EVENTS_LOST,	  /* u64 */
	E7_A_PAD,
	E7_A_POLICY_UNPARSED,	  /* u8: E7_ACTION_ALLOW/BLOCK */
	__E7_A_MAX
};
#define E7_A_MAX (__E7_A_MAX - 1)

/* Rule attributes, nested in E7_A_RULE. */
enum e7_rule_attr {
	E7_RULE_A_UNSPEC,
	E7_RULE_A_ID,		/* u64 */
	E7_RULE_A_ACTION,	/* u8: E7_ACTION_ALLOW/BLOCK (required) */
	E7_RULE_A_PROG_MATCH,	/* u8: enum e7_prog_match */
	E7_RULE_A_PATH,		/* string, absolute, < E7_PATH_MAX */
	E7_RULE_A_PROTO,	/* u8: enum e7_proto / IP protocol, 0 = any */
	E7_RULE_A_DIR,		/* u8: enum e7_dir (default OUT) */
	E7_RULE_A_ADDR4,	/* 4 bytes, network order */
	E7_RULE_A_ADDR6,	/* 16 bytes, network order */
	E7_RULE_A_PREFIX_LEN,	/* u8: 0..32 / 0..128 */
	E7_RULE_A_PORT_MIN,	/* u16: remote port, 1..65535 */
	E7_RULE_A_PORT_MAX,	/* u16: >= PORT_MIN */
	E7_RULE_A_UID,		/* u32: absent = any user */
	E7_RULE_A_LIFETIME,	/* u8: enum e7_lifetime */
	E7_RULE_A_EXPIRE,	/* u32: seconds (input: from now; dump: left) */
	E7_RULE_A_HITS,		/* u64 (dump only) */
	E7_RULE_A_LAST_HIT,	/* u64: seconds since the last hit (dump only) */
	E7_RULE_A_SPECIFICITY,	/* u32: rank used to order matches (dump only) */
	E7_RULE_A_PAD,
	/*
	 * The program identity an exact-path rule is bound to: the rule
	 * matches only a flow whose executable has this device, inode and
	 * change time (E7_FLOW_A_EXE_*).  All three or none.  With
	 * E7_RULE_A_EXE_BIND the module binds the rule to the file at its
	 * path when the rule is added (no file there: the rule stays
	 * unbound).  A dump gives the identity a rule is bound to.
	 */
	E7_RULE_A_EXE_DEV,	/* u32 */
	E7_RULE_A_EXE_INO,	/* u64 */
	E7_RULE_A_EXE_CTIME,	/* u64: ns */
	E7_RULE_A_EXE_BIND,	/* flag (input only) */
	__E7_RULE_A_MAX
};
#define E7_RULE_A_MAX (__E7_RULE_A_MAX - 1)

/* Flow attributes, nested in E7_A_FLOW (events and flow dumps). */
enum e7_flow_attr {
	E7_FLOW_A_UNSPEC,
	E7_FLOW_A_ID,		/* u64 */
	E7_FLOW_A_PID,		/* u32: thread id of the owner (0 if unknown) */
	E7_FLOW_A_TGID,		/* u32: process id of the owner */
	E7_FLOW_A_UID,		/* u32: socket owner uid (in init_user_ns) */
	E7_FLOW_A_PATH,		/* string: program path */
	E7_FLOW_A_CMDLINE,	/* binary: NUL-separated argv, <= E7_CMDLINE_MAX */
	E7_FLOW_A_PROTO,	/* u8: IP protocol */
	E7_FLOW_A_DIR,		/* u8: enum e7_dir */
	E7_FLOW_A_FAMILY,	/* u8: AF_INET / AF_INET6 */
	E7_FLOW_A_LOCAL_ADDR,	/* 4 or 16 bytes */
	E7_FLOW_A_REMOTE_ADDR,	/* 4 or 16 bytes */
	E7_FLOW_A_LOCAL_PORT,	/* u16 (ICMP: echo id) */
	E7_FLOW_A_REMOTE_PORT,	/* u16 (ICMP: type << 8 | code) */
	E7_FLOW_A_NETNS_COOKIE,	/* u64 */
	E7_FLOW_A_NETNS_INO,	/* u32: inode of the network namespace */
	E7_FLOW_A_EXE_DEV,	/* u32: device of the executable (new encoding) */
	E7_FLOW_A_EXE_INO,	/* u64: inode of the executable */
	E7_FLOW_A_EXE_CTIME,	/* u64: change time of the executable (ns) */
	E7_FLOW_A_FLAGS,	/* u32: enum e7_flow_flag */
	E7_FLOW_A_ACTION,	/* u8: enum e7_action (EV_FLOW) */
	E7_FLOW_A_REASON,	/* u8: enum e7_reason (EV_FLOW) */
	E7_FLOW_A_RULE_ID,	/* u64: matching rule (EV_FLOW) */
	E7_FLOW_A_HELD_PKTS,	/* u32: packets currently held */
	E7_FLOW_A_AGE_MS,	/* u32: time since the flow was held */
	E7_FLOW_A_PAD,
	__E7_FLOW_A_MAX
};
#define E7_FLOW_A_MAX (__E7_FLOW_A_MAX - 1)

/* Per-key statistics entry, nested in E7_A_ENTRY. */
enum e7_entry_attr {
	E7_ENTRY_A_UNSPEC,
	E7_ENTRY_A_KIND,	/* u8: enum e7_entry_kind */
	E7_ENTRY_A_PATH,	/* string (PROGRAM) */
	E7_ENTRY_A_PROTO,	/* u8 (PROTO) */
	E7_ENTRY_A_UID,		/* u32 (USER) */
	E7_ENTRY_A_ADDR,	/* 4 or 16 bytes (REMOTE) */
	E7_ENTRY_A_FLOWS,	/* u64: new flows counted for this key */
	E7_ENTRY_A_ALLOWED,	/* u64 */
	E7_ENTRY_A_BLOCKED,	/* u64 */
	E7_ENTRY_A_LAST_SEEN,	/* u64: seconds since the last flow */
	E7_ENTRY_A_PAD,
	__E7_ENTRY_A_MAX
};
#define E7_ENTRY_A_MAX (__E7_ENTRY_A_MAX - 1)

/* clang-format on */

#endif /* _UAPI_LINUX_EFTIRLIT7_H */
