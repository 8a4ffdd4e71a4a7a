/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests of module/match.c, the rule matcher of eftirlit7.ko, compiled
 * in userspace.  The index test checks that the kernel's bucket lookup
 * (exact path, each directory prefix, any-program list) finds the same rule
 * as a linear scan over every rule.
 */
#include <glib.h>
#include <string.h>
#include <arpa/inet.h>

#include "module/match.h"
#include "test-module-index.h"

static struct e7_rule_spec spec_new(u8 action, const char *path)
{
	struct e7_rule_spec r = { 0 };

	r.action = action;
	r.dir = E7_DIR_OUT;
	if (path) {
		r.path = path;
		r.path_len = strlen(path);
	}
	return r;
}

static struct e7_flow_key key_new(const char *path, u8 proto, const char *addr,
				  u16 port)
{
	struct e7_flow_key k = { 0 };

	k.path = path;
	k.path_len = path ? strlen(path) : 0;
	k.proto = proto;
	k.dir = E7_DIR_OUT;
	k.rport = port;
	if (strchr(addr, ':')) {
		k.family = E7_FAMILY_V6;
		g_assert_cmpint(inet_pton(AF_INET6, addr, k.raddr), ==, 1);
	} else {
		k.family = E7_FAMILY_V4;
		g_assert_cmpint(inet_pton(AF_INET, addr, k.raddr), ==, 1);
	}
	return k;
}

static void set_addr(struct e7_rule_spec *r, const char *addr, u8 plen)
{
	if (strchr(addr, ':')) {
		r->family = E7_FAMILY_V6;
		g_assert_cmpint(inet_pton(AF_INET6, addr, r->addr), ==, 1);
	} else {
		r->family = E7_FAMILY_V4;
		g_assert_cmpint(inet_pton(AF_INET, addr, r->addr), ==, 1);
	}
	r->prefix_len = plen;
}

static void test_prefix_iter(void)
{
	const char *path = "/usr/bin/curl";
	const char *want[] = { "/", "/usr/", "/usr/bin/" };
	struct e7_prefix_iter it;
	u32 plen, phash, n = 0;

	e7_prefix_iter_init(&it, path, strlen(path));
	while (e7_prefix_iter_next(&it, &plen, &phash)) {
		g_assert_cmpuint(n, <, G_N_ELEMENTS(want));
		g_assert_cmpuint(plen, ==, strlen(want[n]));
		g_assert_cmpmem(path, plen, want[n], strlen(want[n]));
		g_assert_cmpuint(phash, ==,
				 e7_path_hash(want[n], strlen(want[n])));
		n++;
	}
	g_assert_cmpuint(n, ==, 3);
	g_assert_cmpuint(e7_path_hash("/a", 2), !=, e7_path_hash("/b", 2));
}

static void test_normalize_rejects(void)
{
	struct e7_rule_spec r;
	const char *why;

	r = spec_new(0, NULL);
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, -EINVAL);
	g_assert_nonnull(why);
	r = spec_new(E7_ACTION_ALLOW, "usr/bin/x");
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, -EINVAL);
	r = spec_new(E7_ACTION_ALLOW, "/usr/bin/");
	r.prog_match = E7_PROG_EXACT;
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, -EINVAL);
	r = spec_new(E7_ACTION_ALLOW, NULL);
	r.prog_match = E7_PROG_EXACT;
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, -EINVAL);
	r = spec_new(E7_ACTION_ALLOW, NULL);
	r.port_min = 90;
	r.port_max = 80;
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, -EINVAL);
	r = spec_new(E7_ACTION_ALLOW, NULL);
	r.port_max = 80;
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, -EINVAL);
	r = spec_new(E7_ACTION_BLOCK, NULL);
	r.proto = E7_PROTO_ICMP;
	r.port_min = 5;
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, -EINVAL);
	r = spec_new(E7_ACTION_BLOCK, NULL);
	set_addr(&r, "198.18.0.0", 33);
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, -EINVAL);
	r = spec_new(E7_ACTION_BLOCK, NULL);
	r.prefix_len = 8;
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, -EINVAL);
	r = spec_new(E7_ACTION_BLOCK, NULL);
	r.dir = 7;
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, -EINVAL);
}

static void test_normalize_derives(void)
{
	struct e7_rule_spec r = spec_new(E7_ACTION_ALLOW, "/usr/lib/");
	const char *why;

	set_addr(&r, "198.18.7.200", 21);
	r.port_min = 53;
	r.proto = E7_PROTO_ICMPV6;
	r.port_min = 0;
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, 0);
	g_assert_cmpuint(r.prog_match, ==, E7_PROG_PREFIX);
	g_assert_cmpuint(r.proto, ==, E7_PROTO_ICMP);
	g_assert_cmpuint(r.addr[2], ==, 0);
	g_assert_cmpuint(r.addr[1], ==, 18);
	g_assert_cmpuint(r.path_hash, ==, e7_path_hash("/usr/lib/", 9));
	r = spec_new(E7_ACTION_ALLOW, "/usr/bin/x");
	r.port_min = 80;
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, 0);
	g_assert_cmpuint(r.port_max, ==, 80);
	g_assert_cmpuint(r.prog_match, ==, E7_PROG_EXACT);
}

static void test_matches(void)
{
	struct e7_rule_spec r;
	struct e7_flow_key k =
		key_new("/usr/bin/curl", E7_PROTO_TCP, "198.18.1.2", 443);
	const char *why;

	r = spec_new(E7_ACTION_BLOCK, "/usr/bin/curl");
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, 0);
	g_assert_true(e7_rule_matches(&r, &k));
	r = spec_new(E7_ACTION_BLOCK, "/usr/bin/cur");
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, 0);
	g_assert_false(e7_rule_matches(&r, &k));
	r = spec_new(E7_ACTION_BLOCK, "/usr/");
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, 0);
	g_assert_true(e7_rule_matches(&r, &k));
	r = spec_new(E7_ACTION_BLOCK, "/usr/bin/curl/");
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, 0);
	g_assert_false(e7_rule_matches(&r, &k));

	r = spec_new(E7_ACTION_BLOCK, NULL);
	set_addr(&r, "198.18.0.0", 15);
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, 0);
	g_assert_true(e7_rule_matches(&r, &k));
	set_addr(&r, "198.20.0.0", 15);
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, 0);
	g_assert_false(e7_rule_matches(&r, &k));
	set_addr(&r, "2001:2::", 48);
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, 0);
	g_assert_false(e7_rule_matches(&r, &k));
	k = key_new("/usr/bin/curl", E7_PROTO_ICMPV6, "2001:2:0:5::9", 0);
	g_assert_true(e7_rule_matches(&r, &k));

	r = spec_new(E7_ACTION_BLOCK, NULL);
	r.proto = E7_PROTO_ICMP;
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, 0);
	g_assert_true(e7_rule_matches(&r, &k));
	r.proto = E7_PROTO_TCP;
	g_assert_false(e7_rule_matches(&r, &k));

	k = key_new(NULL, E7_PROTO_UDP, "198.18.1.2", 53);
	r = spec_new(E7_ACTION_ALLOW, NULL);
	r.port_min = 50;
	r.port_max = 60;
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, 0);
	g_assert_true(e7_rule_matches(&r, &k));
	k.rport = 61;
	g_assert_false(e7_rule_matches(&r, &k));
	r = spec_new(E7_ACTION_ALLOW, "/usr/bin/dig");
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, 0);
	g_assert_false(e7_rule_matches(&r, &k)); /* unidentified owner */

	k = key_new("/x", E7_PROTO_UDP, "198.18.1.2", 53);
	r = spec_new(E7_ACTION_ALLOW, NULL);
	r.has_uid = true;
	r.uid = 1000;
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, 0);
	g_assert_false(e7_rule_matches(&r, &k));
	k.uid = 1000;
	g_assert_true(e7_rule_matches(&r, &k));
	k.dir = E7_DIR_IN;
	g_assert_false(e7_rule_matches(&r, &k));
	r.dir = E7_DIR_ANY;
	g_assert_true(e7_rule_matches(&r, &k));
}

/* A rule bound to a program identity applies to that program only: a
 * replaced file at the same path (new inode, or new change time) is not
 * matched. */
static void test_exe_identity(void)
{
	struct e7_rule_spec r = spec_new(E7_ACTION_ALLOW, "/srv/e7test/prog");
	struct e7_flow_key k =
		key_new("/srv/e7test/prog", E7_PROTO_TCP, "198.18.1.2", 7001);
	const char *why;

	r.has_exe = true;
	r.exe.dev = 0x801;
	r.exe.ino = 4242;
	r.exe.ctime_ns = 1700000000123456789ull;
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, 0);
	k.exe = r.exe;
	g_assert_true(e7_rule_matches(&r, &k));
	k.exe.ino = 4243; /* replaced by rename */
	g_assert_false(e7_rule_matches(&r, &k));
	k.exe.ino = 4242;
	k.exe.ctime_ns++; /* overwritten in place */
	g_assert_false(e7_rule_matches(&r, &k));
	k.exe.ctime_ns--;
	k.exe.dev = 0x802;
	g_assert_false(e7_rule_matches(&r, &k));
	/* An identity needs an exact path: a directory names many programs. */
	r = spec_new(E7_ACTION_ALLOW, "/srv/e7test/");
	r.has_exe = true;
	g_assert_cmpint(e7_rule_normalize(&r, &why), ==, -EINVAL);
	g_assert_nonnull(strstr(why, "exact"));
}

static void test_specificity(void)
{
	struct e7_rule_spec exact = spec_new(E7_ACTION_ALLOW, "/usr/bin/curl");
	struct e7_rule_spec deep = spec_new(E7_ACTION_BLOCK, "/usr/bin/");
	struct e7_rule_spec shallow = spec_new(E7_ACTION_BLOCK, "/usr/");
	struct e7_rule_spec any = spec_new(E7_ACTION_BLOCK, NULL);
	struct e7_rule_spec any_uid = spec_new(E7_ACTION_ALLOW, NULL);
	struct e7_rule_spec tie_block, tie_allow;
	const char *why;

	any_uid.has_uid = true;
	g_assert_cmpint(e7_rule_normalize(&exact, &why), ==, 0);
	g_assert_cmpint(e7_rule_normalize(&deep, &why), ==, 0);
	g_assert_cmpint(e7_rule_normalize(&shallow, &why), ==, 0);
	g_assert_cmpint(e7_rule_normalize(&any, &why), ==, 0);
	g_assert_cmpint(e7_rule_normalize(&any_uid, &why), ==, 0);
	g_assert_true(e7_rule_beats(&exact, &deep));
	g_assert_false(e7_rule_beats(&deep, &exact));
	g_assert_true(e7_rule_beats(&deep, &shallow));
	g_assert_true(e7_rule_beats(&shallow, &any_uid));
	g_assert_true(e7_rule_beats(&any_uid, &any));
	g_assert_true(e7_rule_beats(&any, NULL));

	tie_block = exact;
	tie_block.action = E7_ACTION_BLOCK;
	tie_block.id = 9;
	tie_allow = exact;
	tie_allow.id = 1;
	g_assert_true(e7_rule_beats(&tie_block, &tie_allow));
	g_assert_false(e7_rule_beats(&tie_allow, &tie_block));
}

/* Random rules and flows: the indexed lookup equals the linear scan. */
static void test_index_equals_scan(void)
{
	static const char *const paths[] = { "/usr/bin/curl",
					     "/usr/bin/",
					     "/usr/",
					     "/",
					     "/opt/app/bin/app",
					     "/opt/app/",
					     "/usr/bin/wget",
					     "/usr/lib/firefox/firefox",
					     "/usr/lib/" };
	static const char *const flows[] = {
		"/usr/bin/curl",    "/usr/bin/wget",
		"/opt/app/bin/app", "/usr/lib/firefox/firefox",
		"/sbin/init",	    "/usr/bin/curlx"
	};
	g_autoptr(GRand) rand = g_rand_new_with_seed(7);
	unsigned int round;

	for (round = 0; round < 200; round++) {
		struct e7_index *idx = e7_index_new();
		unsigned int i, n = g_rand_int_range(rand, 1, 60);

		for (i = 0; i < n; i++) {
			struct e7_rule_spec r =
				spec_new(g_rand_int_range(rand, 1, 3), NULL);
			int p = g_rand_int_range(rand, -2, G_N_ELEMENTS(paths));
			const char *why;

			if (p >= 0) {
				r.path = paths[p];
				r.path_len = strlen(paths[p]);
			}
			r.id = i + 1;
			r.proto = g_rand_boolean(rand) ? E7_PROTO_TCP :
							 E7_PROTO_ANY;
			if (g_rand_int_range(rand, 0, 4) == 0) {
				r.port_min = g_rand_int_range(rand, 1, 100);
				r.port_max = r.port_min +
					     g_rand_int_range(rand, 0, 50);
			}
			if (g_rand_int_range(rand, 0, 4) == 0)
				set_addr(&r, "198.18.0.0",
					 g_rand_int_range(rand, 8, 33));
			if (e7_rule_normalize(&r, &why) == 0)
				e7_index_add(idx, &r);
		}
		for (i = 0; i < G_N_ELEMENTS(flows); i++) {
			struct e7_flow_key k =
				key_new(flows[i], E7_PROTO_TCP, "198.18.3.4",
					g_rand_int_range(rand, 1, 160));
			const struct e7_rule_spec *a = e7_index_lookup(idx, &k);
			const struct e7_rule_spec *b = e7_index_scan(idx, &k);

			g_assert_true(a == b);
		}
		e7_index_free(idx);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/module/match/prefix-iter", test_prefix_iter);
	g_test_add_func("/module/match/normalize-rejects",
			test_normalize_rejects);
	g_test_add_func("/module/match/normalize-derives",
			test_normalize_derives);
	g_test_add_func("/module/match/matches", test_matches);
	g_test_add_func("/module/match/exe-identity", test_exe_identity);
	g_test_add_func("/module/match/specificity", test_specificity);
	g_test_add_func("/module/match/index-equals-scan",
			test_index_equals_scan);
	return g_test_run();
}
