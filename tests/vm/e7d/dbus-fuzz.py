#!/usr/bin/python3
# D-Bus fuzzer for org.eftirlit7.Firewall1 (run by dbus-fuzz.sh).
# Usage: dbus-fuzz.py XML MODE [SEED [RANDOM_CALLS]]
#   MODE root: malformed calls (wrong types and arity, 1 MB strings, bad
#              enum values, unknown rule ids, bad a{sv} keys and types,
#              random signatures); none of them may succeed.
#   MODE user: well-formed calls that need authorization, by a user who
#              does not have it.
# Every call must fail with a named org.eftirlit7.Firewall1.Error.* or
# org.freedesktop.DBus.Error.* error. Prints "calls N" and exits 1 on any
# other outcome.
import random
import sys

from gi.repository import Gio, GLib

DEST = "org.eftirlit7.Firewall1"
PATH = "/org/eftirlit7/Firewall1"
IFACE = "org.eftirlit7.Firewall1"
BIG = "x" * (1024 * 1024)
RULE_KEYS = ["text", "action", "protocol", "direction", "lifetime", "program",
             "remote-address", "remote-port", "remote-port-end", "uid",
             "duration", "comment", "id"]


def V(fmt, *args):
    return GLib.Variant(fmt, args if len(args) != 1 else args[0])


class Fuzzer:
    def __init__(self, xml):
        self.bus = Gio.bus_get_sync(Gio.BusType.SYSTEM, None)
        node = Gio.DBusNodeInfo.new_for_xml(open(xml).read())
        iface = node.lookup_interface(IFACE)
        self.methods = {m.name: "".join(a.signature for a in m.in_args)
                        for m in iface.methods}
        self.calls = 0
        self.failures = []

    def call(self, method, params, what):
        """params: a GLib.Variant tuple or None."""
        self.calls += 1
        try:
            ret = self.bus.call_sync(DEST, PATH, IFACE, method, params, None,
                                     Gio.DBusCallFlags.NONE, 60000, None)
        except GLib.Error as e:
            name = Gio.DBusError.get_remote_error(e)
            if not name or not (name.startswith(IFACE + ".Error.") or
                                name.startswith("org.freedesktop.DBus.Error.")):
                self.failures.append("%s (%s): unnamed error %s: %s" %
                                     (method, what, name, e.message))
            elif name in ("org.freedesktop.DBus.Error.NoReply",
                          "org.freedesktop.DBus.Error.ServiceUnknown",
                          "org.freedesktop.DBus.Error.NameHasNoOwner"):
                self.failures.append("%s (%s): daemon not answering: %s" %
                                     (method, what, name))
            return
        self.failures.append("%s (%s) succeeded: %s" % (method, what, ret))

    def tuple(self, items):
        return GLib.Variant.new_tuple(*items) if items else None


def wrong_value(sig, rnd):
    """A value whose type is not @sig."""
    pool = [V("s", "x"), V("u", 7), V("t", 2**64 - 1), V("b", True),
            V("i", -1), V("d", 1.5), V("as", ["a"]), V("a{sv}", {}),
            V("o", "/x"), V("(su)", ("a", 1)), V("ay", b"\xff\x00"),
            V("v", V("s", "y"))]
    while True:
        v = rnd.choice(pool)
        if v.get_type_string() != sig:
            return v


def random_value(rnd, depth=0):
    kind = rnd.randrange(12 if depth < 2 else 9)
    if kind == 0:
        return V("s", rnd.choice(["", "x", BIG[:rnd.randrange(1, 70000)],
                                  "\u00e9\u2603", "%s%n", "../../etc"]))
    if kind == 1:
        return V("u", rnd.choice([0, 1, 65535, 65536, 2**32 - 1]))
    if kind == 2:
        return V("t", rnd.choice([0, 1, 2**63, 2**64 - 1]))
    if kind == 3:
        return V("q", rnd.choice([0, 1, 65535]))
    if kind == 4:
        return V("b", rnd.random() < 0.5)
    if kind == 5:
        return V("y", rnd.randrange(256))
    if kind == 6:
        return V("x", rnd.choice([-2**63, -1, 0]))
    if kind == 7:
        return V("d", rnd.choice([0.0, -1e308, float("nan")]))
    if kind == 8:
        return V("o", rnd.choice(["/", "/a/b", "/org/eftirlit7/Firewall1"]))
    if kind == 9:
        return GLib.Variant("v", random_value(rnd, depth + 1))
    if kind == 10:
        return GLib.Variant.new_tuple(*[random_value(rnd, depth + 1)
                                        for _ in range(rnd.randrange(1, 4))])
    return GLib.Variant("a{sv}", {rnd.choice(RULE_KEYS + ["k%d" % rnd.randrange(9)]):
                                  random_value(rnd, depth + 1)
                                  for _ in range(rnd.randrange(0, 4))})


def bad_rule_dicts(rnd):
    """a{sv} rules that are wrong: unknown keys, wrong value types, bad enum
    values, huge strings, missing fields."""
    out = [
        {"bogus": V("s", "x")},
        {"text": V("u", 1)},
        {"text": V("s", BIG)},
        {"text": V("s", "allow tcp " + BIG)},
        {"text": V("s", "allow tcp /x port 99999")},
        {"text": V("s", "maybe tcp /x")},
        {"text": V("s", "")},
        {"action": V("s", "maybe"), "program": V("s", "/x")},
        {"action": V("s", "allow"), "program": V("s", "/" + BIG)},
        {"action": V("s", "allow"), "program": V("s", "relative")},
        {"action": V("s", "allow"), "program": V("s", "/x"),
         "protocol": V("s", "carrier-pigeon")},
        {"action": V("s", "allow"), "program": V("s", "/x"),
         "direction": V("s", "sideways")},
        {"action": V("s", "allow"), "program": V("s", "/x"),
         "lifetime": V("s", "sometimes")},
        {"action": V("s", "allow"), "program": V("s", "/x"),
         "lifetime": V("s", "seconds")},
        {"action": V("s", "allow"), "program": V("s", "/x"),
         "remote-address": V("s", "300.1.2.3/40")},
        {"action": V("s", "allow"), "program": V("s", "/x"),
         "remote-port": V("u", 80)},
        {"action": V("s", "allow"), "program": V("s", "/x"),
         "remote-port": V("q", 90), "remote-port-end": V("q", 80)},
        {"action": V("s", "allow"), "program": V("s", "/x"),
         "uid": V("s", "root")},
        {"action": V("s", "allow")},
        {"program": V("s", "/x")},
    ]
    for _ in range(20):
        d = {rnd.choice(RULE_KEYS): wrong_value("s", rnd)}
        out.append(d)
    return [GLib.Variant("a{sv}", d) for d in out]


def fuzz_root(f, rnd, random_calls):
    # Wrong arity and wrong types, for every method.
    for name, sig in f.methods.items():
        args = list(GLib.Variant.split_signature("(" + sig + ")")) if sig else []
        f.call(name, GLib.Variant.new_tuple(V("s", "extra"), V("u", 1), V("b", 0)),
               "three extra args")
        if args:
            f.call(name, None, "no args")
            for i, a in enumerate(args):
                vals = [wrong_value("", rnd) for _ in args]
                vals[i] = wrong_value(a, rnd)
                f.call(name, f.tuple(vals), "wrong type of arg %d" % i)
                vals = [V("s", BIG) if x == "s" else wrong_value(x, rnd) for x in args]
                f.call(name, f.tuple(vals), "1 MB string with wrong types")
        else:
            f.call(name, GLib.Variant.new_tuple(V("s", BIG)), "1 MB extra arg")
    # Bad values with the right signature.
    for d in bad_rule_dicts(rnd):
        f.call("AddRule", GLib.Variant.new_tuple(d), "bad rule")
        f.call("UpdateRule", GLib.Variant.new_tuple(V("t", 2**64 - 1), d),
               "bad rule, unknown id")
    for rid in (0, 1 << 40, 2**63, 2**64 - 1):
        f.call("RemoveRule", V("(t)", (rid,)), "unknown id %d" % rid)
        f.call("UpdateRule",
               GLib.Variant("(ta{sv})", (rid, {"action": V("s", "block")})),
               "unknown id %d" % rid)
    for d in ({"bogus": V("s", "x")}, {"text": V("s", "allow tcp /x")},
              {"uid": V("s", "0")}, {"program": V("u", 1)},
              {BIG[:65536]: V("s", "x")}):
        f.call("ListRules", GLib.Variant.new_tuple(GLib.Variant("a{sv}", d)), "bad filter")
        f.call("ClearRules", GLib.Variant.new_tuple(GLib.Variant("a{sv}", d)), "bad filter")
    for d in ({"since": V("s", "x")}, {"max": V("t", 1)}, {"bogus": V("u", 1)}):
        f.call("GetEvents", GLib.Variant.new_tuple(GLib.Variant("a{sv}", d)), "bad option")
    for mode in ("", "nope", "ASK", BIG, "ask\n", "block-all "):
        f.call("SetMode", V("(s)", (mode,)), "bad mode")
    for flag, value in (("nope", V("b", True)), (BIG, V("b", True)),
                        ("log-allowed", V("s", "on")),
                        ("log-allowed", V("u", 1)),
                        ("policy-no-agent", V("s", "maybe")),
                        ("policy-timeout", V("b", True)),
                        ("default-answer", V("s", BIG)),
                        ("prompt-timeout", V("u", 0)),
                        ("prompt-timeout", V("u", 2**32 - 1)),
                        ("prompt-timeout", V("s", "30")),
                        ("profile", V("s", "strict"))):
        f.call("SetFlag", GLib.Variant("(sv)", (flag, value)), "bad flag value")
    for flag in ("nope", "", BIG):
        f.call("GetFlag", V("(s)", (flag,)), "unknown flag")
    for path in ("/not/registered", "/"):
        f.call("UnregisterAgent", V("(o)", (path,)), "unknown agent")
    f.call("NoSuchMethod", None, "unknown method")
    # Random signatures (never the right one) and random a{sv} contents with
    # a key that is not a rule key.
    names = sorted(f.methods)
    for _ in range(random_calls):
        name = rnd.choice(names)
        sig = f.methods[name]
        while True:
            vals = [random_value(rnd) for _ in range(rnd.randrange(0, 4))]
            got = "".join(v.get_type_string() for v in vals)
            if got != sig:
                break
        f.call(name, f.tuple(vals), "random signature " + got)
        if "a{sv}" in sig:
            d = {"k%d" % rnd.randrange(1000): random_value(rnd)}
            d.update({rnd.choice(RULE_KEYS): random_value(rnd)
                      for _ in range(rnd.randrange(3))})
            vals = [GLib.Variant("a{sv}", d) if a == "a{sv}" else
                    V("t", 2**64 - 2) if a == "t" else V("s", "x")
                    for a in GLib.Variant.split_signature("(" + sig + ")")]
            f.call(name, f.tuple(vals), "random a{sv} with an unknown key")


def fuzz_user(f, existing_id):
    rule = {"text": V("s", "allow tcp /usr/bin/fuzz-unauthorized")}
    f.call("AddRule", GLib.Variant.new_tuple(GLib.Variant("a{sv}", rule)), "system rule")
    f.call("UpdateRule", GLib.Variant("(ta{sv})", (existing_id, {"action": V("s", "block")})),
           "change a system rule")
    f.call("RemoveRule", V("(t)", (existing_id,)), "remove a system rule")
    f.call("ClearRules", GLib.Variant.new_tuple(GLib.Variant("a{sv}", {})), "clear all")
    f.call("Reload", None, "reload")
    f.call("SetMode", V("(s)", ("disabled",)), "set the mode")
    f.call("SetFlag", GLib.Variant("(sv)", ("log-allowed", V("b", True))), "set a flag")
    f.call("SetFlag", GLib.Variant("(sv)", ("policy-no-agent", V("s", "block"))),
           "set a policy")
    f.call("SetFlag", GLib.Variant("(sv)", ("prompt-timeout", V("u", 5))),
           "set the prompt timeout")
    # A rule for another uid is a system rule.
    rule = {"action": V("s", "allow"), "program": V("s", "/usr/bin/x"), "uid": V("u", 0)}
    f.call("AddRule", GLib.Variant.new_tuple(GLib.Variant("a{sv}", rule)),
           "rule for uid 0")


def main():
    xml, mode = sys.argv[1], sys.argv[2]
    f = Fuzzer(xml)
    if mode == "root":
        seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
        fuzz_root(f, random.Random(seed), int(sys.argv[4]) if len(sys.argv) > 4 else 500)
    else:
        fuzz_user(f, int(sys.argv[3]))
    print("calls %d" % f.calls)
    for msg in f.failures[:20]:
        print("FAIL " + msg[:300])
    sys.exit(1 if f.failures else 0)


main()
