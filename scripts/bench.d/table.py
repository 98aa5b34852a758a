"""Turns one bench run's wrk and JMH output into the table, results.json and table.md."""
import json
import os
import sys

from gcpauses import pauses_by_load
from machine import describe as describe_machine

out, connections, duration, blocked = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
# "dev" for the full run on a dev server; inmem, file or postgresql for a --storage run
storage = sys.argv[5] if len(sys.argv) > 5 else "dev"


def optional_json(name, default):
    path = os.path.join(out, name)
    return json.load(open(path)) if os.path.exists(path) else default


wrk = [json.loads(line) for line in open(os.path.join(out, "wrk.jsonl"))]
memory = optional_json("memory.json", None)  # a --storage run measures neither the heap nor JMH
inventory_path = os.path.join(out, "inventory.jsonl")
inventory = ([json.loads(line) for line in open(inventory_path) if line.strip()]
             if os.path.exists(inventory_path) else [])
jmh = optional_json("jmh.json", [])


def jmh_rate(name, ca=None):
    for b in jmh:
        if b["benchmark"].endswith(name) and (ca is None or b.get("params", {}).get("ca") == ca):
            return b["primaryMetric"]["score"]
    return None


raw = {
    "sign-ed25519": jmh_rate("SigningBenchmark.signOnly", "ed25519"),
    "sign-rsa4096": jmh_rate("SigningBenchmark.signOnly", "rsa-4096"),
    "issue-ed25519": jmh_rate("SigningBenchmark.signOnly", "ed25519"),
}
health = next(r["rps"] for r in wrk if r["name"] == "sys/health")
gc = pauses_by_load(out)
rows = []
for r in wrk:
    row = {"endpoint": r["name"], "rps": round(r["rps"]), "p50_ms": r["p50_ms"], "p99_ms": r["p99_ms"],
           "vs_health": round(r["rps"] / health, 3), "non2xx": r["non2xx"], "socket_errors": r["socket_errors"]}
    if r["name"] in gc:
        row["gc"] = gc[r["name"]]
    if r["name"] in raw and raw[r["name"]]:
        row["raw_rate"] = round(raw[r["name"]])
        row["vs_raw"] = round(r["rps"] / raw[r["name"]], 3)
    rows.append(row)
in_process = [{"benchmark": b["benchmark"].split(".")[-2] + "." + b["benchmark"].split(".")[-1]
               + "".join(f"[{v}]" for v in b.get("params", {}).values()),
               "ops_per_s": round(b["primaryMetric"]["score"]), "threads": b["threads"]} for b in jmh]

machine = describe_machine()
dynamic_path = os.path.join(out, "dynamic.json")
dynamic = json.load(open(dynamic_path)) if os.path.exists(dynamic_path) else None
# The goals this run can judge, each with the figure it was judged on. The p99 limits and ratios
# are per load at the run's connection count; sign-ed25519 is held to the ratio it had to its raw
# (in-process, JMH) rate before the OTP hot path was reworked, 0.347 on commit 4acfeb0, less 10 %
# for run-to-run noise on a shared machine.
by_name = {r["endpoint"]: r for r in rows}
goals = []


def goal(text, met, figure):
    goals.append({"goal": text, "met": bool(met), "figure": figure})


if storage in ("dev", "inmem"):
    for name in ("creds", "verify"):
        if name in by_name:
            r = by_name[name]
            goal(f"{name} at least 0.5 × sys/health", r["vs_health"] >= 0.5, f"{r['vs_health']:.2f}")
            goal(f"{name} p99 under 10 ms", r["p99_ms"] < 10, f"{r['p99_ms']:.1f} ms")
    # a token whose access comes from a policy of a dozen rules, against the root token's loads
    # just before and just after it
    for name in ("creds", "sign-ed25519"):
        if name + "-policy" in by_name:
            before = name + "-before" if name + "-before" in by_name else name
            roots = [by_name[n]["rps"] for n in (before, name + "-again") if n in by_name]
            ratio = by_name[name + "-policy"]["rps"] / (sum(roots) / len(roots))
            goal(f"{name} with a policy token at least 0.9 × with the root token (before and after)", ratio >= 0.9,
                 f"{ratio:.2f}")
    # one file audit device: creds in interleaved rounds (off, on, off, on, ...), the requests
    # served with it over those served without; verify against a verify load just before it
    rounds = sorted(n[len("creds-audit-"):] for n in by_name if n.startswith("creds-audit-"))
    pairs = [(by_name["creds-audit-" + k], by_name["creds-noaudit-" + k]) for k in rounds
             if "creds-noaudit-" + k in by_name]
    if pairs:
        ratio = sum(a["rps"] for a, _ in pairs) / sum(n["rps"] for _, n in pairs)
        each = ", ".join(f"{a['rps'] / n['rps']:.2f}" for a, n in pairs)
        goal("creds with one file audit device at least 0.75 × without", ratio >= 0.75,
             f"{ratio:.2f} (rounds: {each})")
    if "verify-audit" in by_name and "verify-noaudit" in by_name:
        ratio = by_name["verify-audit"]["rps"] / by_name["verify-noaudit"]["rps"]
        goal("verify with one file audit device at least 0.75 × without", ratio >= 0.75, f"{ratio:.2f}")
    # one issuer (the mount's CA) against fifty, the role naming the last: the issuer is resolved on
    # every sign, so their number must not show
    if "sign-ed25519-50-issuers" in by_name:
        ones = [by_name[n]["rps"] for n in ("sign-ed25519", "sign-ed25519-again") if n in by_name]
        ratio = by_name["sign-ed25519-50-issuers"]["rps"] / (sum(ones) / len(ones))
        goal("sign-ed25519 with 50 issuers at least 0.9 × with one (before and after)", ratio >= 0.9, f"{ratio:.2f}")
    # every certificate recorded in the inventory, against the same CA with the inventory off,
    # measured between the two loads with it on
    if "sign-ed25519-no-inventory" in by_name:
        ons = [by_name[n]["rps"] for n in ("sign-ed25519", "sign-ed25519-again") if n in by_name]
        ratio = (sum(ons) / len(ons)) / by_name["sign-ed25519-no-inventory"]["rps"]
        goal("sign-ed25519 with the inventory at least 0.6 × without", ratio >= 0.6, f"{ratio:.2f}")
    if "sign-ed25519" in by_name and "vs_raw" in by_name["sign-ed25519"]:
        v = by_name["sign-ed25519"]["vs_raw"]
        goal("sign-ed25519 no slower than before (÷ raw ≥ 0.347, less 10 %)", v >= 0.347 * 0.9, f"{v:.3f} of raw")
elif storage == "file":
    for name, floor in (("creds", 2000), ("verify", 5000)):
        if name in by_name:
            r = by_name[name]
            goal(f"{name} at least {floor:,} req/s", r["rps"] >= floor, f"{r['rps']:,} req/s")
            goal(f"{name} p99 under 20 ms", r["p99_ms"] < 20, f"{r['p99_ms']:.1f} ms")
if memory is not None:
    fits = not memory.get("failed") and memory["heap_after"] - memory["heap_before"] <= 2**30
    goal("1,000,000 live OTPs with their leases in 1 GiB of heap", fits,
         "did not fit" if memory.get("failed") else f"{(memory['heap_after'] - memory['heap_before']) / 2**20:,.0f} MiB")
for inv in inventory:
    if inv.get("failed"):
        goal(f"a million inventory records list in pages ({inv['storage']})", False, "did not run (see inventory-*.txt)")
        continue
    # a page of LIST certs must not read the whole inventory: a first or middle page of 100 out of a
    # million within 100 ms, where reading every record takes seconds
    worst = max(inv["list_first_ms"], inv["list_middle_ms"])
    goal(f"LIST certs, a page of 100 of {inv['records']:,} records, under 100 ms ({inv['storage']})", worst < 100,
         f"{worst:.1f} ms")
goal("no Vert.x blocked-thread warnings", not blocked, "YES (see server.log)" if blocked else "none")

result = {"storage": storage, "dynamic_keys": dynamic, "connections": connections, "seconds_per_load": duration, "machine": machine, "endpoints": rows,
          "in_process": in_process, "memory": memory, "inventory": inventory, "blocked_thread_warnings": blocked, "goals": goals}
json.dump(result, open(os.path.join(out, "results.json"), "w"), indent=2)

lines = ["| endpoint | req/s | p50 ms | p99 ms | ÷ sys/health | raw in-process/s | ÷ raw | non-2xx "
         "| GC pauses (max ms, share of the load) |",
         "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
for r in rows:
    raw_rate = f"{r['raw_rate']:,}" if "raw_rate" in r else ""
    vs_raw = f"{r['vs_raw']:.3f}" if "vs_raw" in r else ""
    pauses = f"{r['gc']['pauses']} ({r['gc']['max_ms']:.1f}, {r['gc']['share'] * 100:.0f} %)" if "gc" in r else ""
    lines.append(f"| {r['endpoint']} | {r['rps']:,} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['vs_health']:.2f} "
                 f"| {raw_rate} | {vs_raw} | {r['non2xx'] + r['socket_errors']} | {pauses} |")
if in_process:
    lines += ["", "| in-process (JMH) | ops/s | threads |", "|---|---:|---:|"]
    lines += [f"| {b['benchmark']} | {b['ops_per_s']:,} | {b['threads']} |" for b in in_process]
lines += ["", ("A dev server (memory)." if storage == "dev" else
               f"A server from a configuration file on storage \"{storage}\", initialised and unsealed."),
          f"{connections} connections, {duration} s per load (verify {duration // 2} s), wrk with 2 threads on the "
          f"same machine; {machine['cores']} cores, {machine['cpu']}; {machine['java']}.",
          "Vert.x blocked-thread warnings during the run: " + ("YES (see server.log)" if blocked else "none") + "."]
if memory is not None:
    lines += [("Heap for 1,000,000 live OTPs with their leases (-Xmx1g): DID NOT FIT (see memory.txt)."
           if memory.get("failed") else
           f"Heap for {memory['otps']:,} live OTPs with their leases (-Xmx1g): "
           f"{(memory['heap_after'] - memory['heap_before']) / 2**20:,.0f} MiB, {memory['bytes_per_otp']:.0f} bytes per OTP "
           f"(minted in-process in {memory['seconds']:.0f} s).")]
if inventory:
    lines += ["", "| inventory at scale (in-process) | records | stored in | LIST first page | LIST middle page "
              "| LIST filtered page | revoked | KRL bytes | KRL build, check, publish |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for inv in inventory:
        if inv.get("failed"):
            lines.append(f"| {inv['storage']} | did not run | | | | | | | |")
            continue
        lines.append(f"| {inv['storage']} | {inv['records']:,} | {inv['store_seconds']:.0f} s | {inv['list_first_ms']:.1f} ms "
                     f"| {inv['list_middle_ms']:.1f} ms | {inv['list_filtered_ms']:.0f} ms ({inv['list_filtered_keys']} "
                     f"keys, 1 record in 1,000 matches) | {inv['revoked']:,} | {inv['krl_bytes']:,} | {inv['krl_build_ms']:.0f} ms |")
if dynamic:
    lines += ["", f"| dynamic keys (RSA-{dynamic['key_bits']}, real sshd) | pairs/s | creds p50 ms | creds p90 ms "
              "| revoke p50 ms | revoke p90 ms |", "|---|---:|---:|---:|---:|---:|"]
    for c in ("c1", "c8"):
        d = dynamic[c]
        lines.append(f"| {c[1:]} at a time, {d['pairs']} creds + revoke | {d['pairs_per_s']:.2f} | {d['creds_p50_ms']:.0f} "
                     f"| {d['creds_p90_ms']:.0f} | {d['revoke_p50_ms']:.0f} | {d['revoke_p90_ms']:.0f} |")
    lines.append("")
    lines.append(f"One OpenSSH login as the admin running `sudo -n true` (the floor for any install): "
                 f"{dynamic['openssh_login_sudo_p50_ms']:.0f} ms p50; revoke p50 ÷ that: {dynamic['revoke_p50_vs_openssh']:.2f}.")
lines += ["", "| goal | figure | |", "|---|---:|---|"]
lines += [f"| {g['goal']} | {g['figure']} | {'met' if g['met'] else '**NOT met**'} |" for g in goals]
table = "\n".join(lines) + "\n"
open(os.path.join(out, "table.md"), "w").write(table)
print(table)
