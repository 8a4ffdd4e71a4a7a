#!/usr/bin/python3
"""Turn bench/compare.sh's raw numbers into a Markdown section.

usage: summarize.py RAW.tsv FIGURES.tsv E7-CHECKS.tsv --kernel K --secs S --pairs N

RAW.tsv: round arm workload ops secs rate busy_us self_us errors
  arms: none (no firewall), e7, osn (OpenSnitch), ctl (A/A control: no
  firewall scheduled like an arm), rules10/rules100k (E7 with 10 / 100,010 rules).
Each arm's ratio is taken per round against that round's "none" run and the
median of those ratios is reported; the control's median ratio beside it
says whether the run can judge that workload (0.97..1.03).
"""
import argparse
import collections
import os
import statistics
import sys

WORKLOADS = [
    ("bulk", "bulk TCP throughput, one stream (iperf3)", "Mbit/s", 0.98),
    ("connect", "new TCP connections/s, one process, sequential connect/close", "conn/s", 0.90),
    ("udp", "UDP datagrams/s, connected socket", "dgram/s", 0.95),
    ("sendto", "UDP datagrams/s, unconnected sendto over 1,000 destinations", "dgram/s", 0.90),
    ("procs", "short-lived processes (fork+exec), one connection each", "proc/s", 0.90),
    ("storm", "connection storm, 200 processes x 50 connections", "conn/s", 0.85),
]
ARMS = [("e7", "E7"), ("osn", "OpenSnitch")]
QUIET = (0.97, 1.03)


def load(path):
    rows = []
    if not os.path.exists(path):
        return rows
    with open(path) as f:
        for line in f:
            if line.strip():
                rows.append(line.rstrip("\n").split("\t"))
    return rows


def med(v):
    return statistics.median(v) if v else None


def fmt(v, digits=3):
    if v is None:
        return "-"
    if abs(v) >= 100:
        return f"{v:.0f}"
    return f"{v:.{digits}g}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("raw")
    ap.add_argument("figures")
    ap.add_argument("checks")
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--secs", required=True)
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--bigrules", type=int, default=100000)
    ap.add_argument("--icount", default="",
                    help="QEMU -icount shift of the guest (tests/vm/run E7_VM_ICOUNT)")
    a = ap.parse_args()

    raw = collections.defaultdict(dict)  # (arm, wl) -> round -> row
    for r in load(a.raw):
        rnd, arm, wl = r[0], r[1], r[2]
        raw[(arm, wl)][rnd] = {"ops": int(float(r[3])), "secs": float(r[4]),
                               "rate": float(r[5]), "busy": float(r[6]),
                               "self": float(r[7]), "errors": int(float(r[8]))}

    def ratios(arm, wl, key, base="none", invert=False):
        out = []
        for rnd, row in raw.get((arm, wl), {}).items():
            b = raw.get((base, wl), {}).get(rnd)
            if not b or not row[key] or not b[key]:
                continue
            out.append(b[key] / row[key] if invert else row[key] / b[key])
        return out

    def rates(arm, wl, key="rate"):
        return [row[key] for row in raw.get((arm, wl), {}).values()]

    def noisy(c):
        return c is None or not QUIET[0] <= c <= QUIET[1]

    def judge(value, c, n, target, need=3):
        """A verdict needs NEED rounds and a quiet control."""
        if value is None:
            return "not measured"
        if n < need:
            return f"not judged ({n} round{'s' if n != 1 else ''})"
        if noisy(c):
            return "too noisy to judge"
        return "met" if value >= target else "NOT met"

    print(f"## Kernel {a.kernel}\n")
    where = ("one guest CPU" if a.icount else
             "load pinned to guest CPU 1, servers to CPU 0")
    print(f"{a.pairs} round(s), {a.secs} s per measurement; {where}, "
          "in a network namespace (198.18.5.2). Ratios are medians of "
          "per-round ratios to that round's no-firewall run; \"control\" is the A/A "
          "control's (no firewall scheduled like an arm). A workload whose control is "
          "outside 0.97..1.03 is \"too noisy to judge\"; fewer than 3 rounds are not judged.\n")
    if a.icount:
        ns = 2 ** int(a.icount)
        print(f"Clock: QEMU `-icount shift={a.icount}`, one vCPU: while it runs, the guest's "
              f"clock advances {ns} ns per guest instruction, so for a CPU-bound workload a "
              "rate is operations per guest instruction and a ratio is a ratio of guest "
              "instructions per operation, whatever the host's load. Idle waits (9p I/O, "
              "fork+exec) pass at the host's pace. Instructions are not cycles: the cost "
              "of cache misses and atomics on real hardware is not weighed.\n")
        clock = "guest clock: instructions"
    else:
        print("Clock: the guest's, under plain TCG (it follows the host's load).\n")
        clock = "wall time"

    print(f"### Rate ({clock})\n")
    print("| workload | unit | no firewall | E7 | E7 ratio | OpenSnitch | OpenSnitch ratio "
          "| control ratio | target (E7) | E7 verdict | errors E7/OSN |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for wl, title, unit, target in WORKLOADS:
        c = med(ratios("ctl", wl, "rate"))
        e = med(ratios("e7", wl, "rate"))
        o = med(ratios("osn", wl, "rate"))
        verdict = judge(e, c, len(ratios("ctl", wl, "rate")), target)
        errs = "/".join(str(sum(r["errors"] for r in raw.get((arm, wl), {}).values()))
                        for arm in ("e7", "osn"))
        print(f"| {title} | {unit} | {fmt(med(rates('none', wl)))} | {fmt(med(rates('e7', wl)))} "
              f"| {fmt(e)} | {fmt(med(rates('osn', wl)))} | {fmt(o)} | {fmt(c)} | >= {target} "
              f"| {verdict} | {errs} |")

    print("\n### Guest CPU per operation (all guest CPUs, /proc/stat)\n")
    print("Ratio = no-firewall CPU per op / arm CPU per op (1.0 = free, 0.5 = twice the "
          "CPU). It leaves out idle waits; OpenSnitch's daemon runs on the guest's CPUs "
          "too, so it is included.\n")
    print("| workload | unit | no firewall us/op | E7 us/op | E7 ratio | OpenSnitch us/op "
          "| OpenSnitch ratio | control ratio | E7 verdict |")
    print("|---|---|---|---|---|---|---|---|---|")
    for wl, title, unit, target in WORKLOADS:
        c = med(ratios("ctl", wl, "busy", invert=True))
        e = med(ratios("e7", wl, "busy", invert=True))
        o = med(ratios("osn", wl, "busy", invert=True))
        verdict = judge(e, c, len(ratios("ctl", wl, "busy", invert=True)), target)
        per = "us per MB" if wl == "bulk" else "us per op"
        print(f"| {title} | {per} | {fmt(med(rates('none', wl, 'busy')))} "
              f"| {fmt(med(rates('e7', wl, 'busy')))} | {fmt(e)} "
              f"| {fmt(med(rates('osn', wl, 'busy')))} | {fmt(o)} | {fmt(c)} | {verdict} |")

    print("\n### The load's own CPU per operation (getrusage: e7load and its children)\n")
    print("Ratio = no-firewall / arm. It counts only the load's processes (user and "
          "system time, including the hooks that run in their context), not the servers "
          "or softirq work elsewhere; it needs no idle wait to be short, so it is the "
          "steadiest figure for fork+exec.\n")
    print("| workload | no firewall us/op | E7 us/op | E7 ratio | control ratio | E7 verdict |")
    print("|---|---|---|---|---|---|")
    for wl, title, unit, target in WORKLOADS:
        if wl == "bulk":
            continue
        c = med(ratios("ctl", wl, "self", invert=True))
        e = med(ratios("e7", wl, "self", invert=True))
        verdict = judge(e, c, len(ratios("ctl", wl, "self", invert=True)), target)
        print(f"| {title} | {fmt(med(rates('none', wl, 'self')))} "
              f"| {fmt(med(rates('e7', wl, 'self')))} | {fmt(e)} | {fmt(c)} | {verdict} |")

    print("\n### E7 against the targets\n")
    print("Each workload is judged by the first of its three figures whose A/A control is "
          "within 0.97..1.03: rate, guest CPU per operation, the load's own CPU per "
          "operation.\n")
    print("| workload | target | E7 ratio | by | control | verdict |")
    print("|---|---|---|---|---|---|")
    for wl, title, unit, target in WORKLOADS:
        pick = None
        for key, name, inv in (("rate", "rate", False), ("busy", "guest CPU", True),
                               ("self", "own CPU", True)):
            if wl == "bulk" and key == "self":
                continue
            cs = ratios("ctl", wl, key, invert=inv)
            e = med(ratios("e7", wl, key, invert=inv))
            if e is not None and len(cs) >= 3 and not noisy(med(cs)):
                pick = (e, name, med(cs))
                break
        if pick:
            e, name, c = pick
            print(f"| {title} | >= {target} | {fmt(e)} | {name} | {fmt(c)} "
                  f"| {'met' if e >= target else 'NOT met'} |")
        else:
            print(f"| {title} | >= {target} | - | - | - | too noisy to judge |")

    big = f"{a.bigrules + 10:,}"
    print(f"\n### {a.bigrules:,} rules vs 10 rules (E7 module, new TCP connections/s)\n")
    r10, r100 = rates("rules10", "connect"), rates("rules100k", "connect")
    ratio = med(ratios("rules100k", "connect", "rate", base="rules10"))
    cpu = med(ratios("rules100k", "connect", "busy", base="rules10", invert=True))
    c = med(ratios("ctl", "connect", "rate"))
    # Each pair needs a 100,000-rule load (slow in the guest): 2 pairs suffice
    # here, the control is the main rounds' connect control.
    verdict = judge(ratio, c, len(r10), 0.97, need=2)
    print(f"| 10 rules conn/s | {big} rules conn/s | ratio (wall) | ratio (guest CPU) "
          "| control ratio (connect) | target | verdict |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {fmt(med(r10))} | {fmt(med(r100))} | {fmt(ratio)} | {fmt(cpu)} | {fmt(c)} "
          f"| >= 0.97 | {verdict} |")

    print("\n### E7 checks per round (module counters after the arm's workloads)\n")
    print("Every flow of the workload must be decided by the allow rules (a misattributed "
          "flow would match none and become a prompt for e7d): \"held\" counts flows the "
          "module held, to look up their owner in its workqueue or to wait for e7d; the "
          "events sent to e7d and e7d's CPU show whether any reached the daemon. e7d's "
          "CPU is read in clock ticks (10 ms).\n")
    print("| round | packets | held flows | unidentified | rule lookups | cache hits "
          "| events to e7d | e7d CPU s over the TCP workloads | new TCP connections "
          "| e7d CPU s per 10,000 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    per10k = []
    for r in load(a.checks):
        rnd = r[0]
        conns = sum(raw.get(("e7", wl), {}).get(rnd, {}).get("ops", 0)
                    for wl in ("connect", "procs", "storm"))
        cpu_s = float(r[8])
        events = r[9] if len(r) > 9 else "-"
        # Below one clock tick, say so rather than print zero.
        p = max(cpu_s, 0.01) / conns * 10000 if conns else None
        if p is not None:
            per10k.append((p, cpu_s < 0.01))
        shown = "-" if p is None else (f"< {fmt(p)}" if cpu_s < 0.01 else fmt(p))
        print(f"| {rnd} | {r[3]} | {r[4]} | {r[5]} | {r[6]} | {r[7]} | {events} | {cpu_s:.2f} "
              f"| {conns} | {shown} |")

    print("\n### Figures\n")
    print("| figure | value | unit | note |")
    print("|---|---|---|---|")
    if per10k:
        m = med([p for p, _ in per10k])
        bound = all(b for _, b in per10k)
        print(f"| e7d CPU per 10,000 new connections (median of rounds) "
              f"| {'< ' if bound else ''}{fmt(m)} "
              "| s | e7d utime+stime over the connect, procs and storm workloads of the E7 arm |")
    for r in load(a.figures):
        r += [""] * (4 - len(r))
        print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} |")

    print("\n### Raw numbers\n")
    print("round, arm, workload, ops, seconds, rate, guest busy us/op, load's own us/op, errors\n")
    print("```")
    with open(a.raw) as f:
        sys.stdout.write(f.read())
    print("```")


if __name__ == "__main__":
    main()
