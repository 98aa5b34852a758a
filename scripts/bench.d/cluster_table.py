"""Turns a --cluster run's wrk output into the single-against-cluster table, results.json and table.md.

wrk.jsonl holds the single node's loads (one line each); cluster.jsonl one line per load and node.
A cluster load's req/s is the sum over its nodes, its p50 and p99 the worst node's (wrk's
percentiles cannot be merged, and the worst node is what a client of that node sees).
"""
import json
import os
import sys

from machine import describe as describe_machine

out, connections, duration, nodes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
blocked_single, blocked_cluster = sys.argv[5] == "1", sys.argv[6] == "1"
LOADS = ("sys/health", "creds", "verify")


def lines(name):
    return [json.loads(line) for line in open(os.path.join(out, name)) if line.strip()]


def exhausted(requests, available):
    """verify.lua sends "exhausted" once its OTPs run out: that many 400s are expected, not errors."""
    return max(0, requests - available) if available is not None else 0


single_runs = {r["name"]: r for r in lines("wrk.jsonl")}
cluster_runs = lines("cluster.jsonl")

# The single node's verify: wrk's two threads each read their own file of OTPs; a thread that ran
# out sends "exhausted". Which thread sent how many is not reported, so this counts the OTPs only.
single_otps = 0
otp_dir = os.path.join(out, "otps")
if os.path.isdir(otp_dir):
    for f in os.listdir(otp_dir):
        single_otps += sum(1 for _ in open(os.path.join(otp_dir, f)))

rows = []
for name in LOADS:
    s = single_runs[name]
    per_node = sorted((r for r in cluster_runs if r["name"] == name), key=lambda r: r["node"])
    single = {"rps": round(s["rps"]), "p50_ms": s["p50_ms"], "p99_ms": s["p99_ms"], "requests": s["requests"],
              "non2xx": s["non2xx"], "socket_errors": s["socket_errors"]}
    if name == "verify":
        single["otps_available"] = single_otps
        single["exhausted"] = exhausted(s["requests"], single_otps)
    nodes_out = []
    for r in per_node:
        n = {"node": r["node"], "addr": r["addr"], "connections": r["connections"], "rps": round(r["rps"]),
             "p50_ms": r["p50_ms"], "p99_ms": r["p99_ms"], "max_ms": r["max_ms"], "requests": r["requests"],
             "non2xx": r["non2xx"], "socket_errors": r["socket_errors"]}
        if "otps_available" in r:
            n["otps_available"] = r["otps_available"]
            n["otps_minted_on_node"] = r["node"] % nodes + 1
            n["exhausted"] = exhausted(r["requests"], r["otps_available"])
        nodes_out.append(n)
    cluster = {"rps": round(sum(r["rps"] for r in per_node)),
               "p50_ms": max(r["p50_ms"] for r in per_node), "p99_ms": max(r["p99_ms"] for r in per_node),
               "requests": sum(r["requests"] for r in per_node),
               "non2xx": sum(r["non2xx"] for r in per_node),
               "socket_errors": sum(r["socket_errors"] for r in per_node),
               "exhausted": sum(n.get("exhausted", 0) for n in nodes_out),
               "nodes": nodes_out}
    for side in (single, cluster):
        # unexpected: every non-2xx and socket error, less the "exhausted" 400s verify may end with
        side["errors"] = side["non2xx"] + side["socket_errors"] - side.get("exhausted", 0)
    rows.append({"endpoint": name, "single": single, "cluster": cluster,
                 "rps_ratio": round(cluster["rps"] / single["rps"], 3) if single["rps"] else None,
                 "p99_ratio": round(cluster["p99_ms"] / single["p99_ms"], 3) if single["p99_ms"] else None})

machine = describe_machine()

by_name = {r["endpoint"]: r for r in rows}
goals = {
    "total_rps_at_least_single": all(r["rps_ratio"] is not None and r["rps_ratio"] >= 1 for r in rows),
    "verify_p99_at_most_twice_single": by_name["verify"]["p99_ratio"] is not None
    and by_name["verify"]["p99_ratio"] <= 2,
}
result = {"mode": "cluster", "storage": "inmem", "nodes": nodes, "connections": connections,
          "seconds_per_load": duration, "machine": machine, "endpoints": rows, "goals": goals,
          "blocked_thread_warnings": {"single": blocked_single, "cluster": blocked_cluster}}
json.dump(result, open(os.path.join(out, "results.json"), "w"), indent=2)


def errors(side):
    text = f"{side['errors']:,}"
    return text + (f" (+{side['exhausted']:,} exhausted)" if side.get("exhausted") else "")


out_lines = [f"| endpoint | single req/s | {nodes} nodes req/s | ÷ single | single p50 ms | {nodes} nodes p50 ms "
             f"| single p99 ms | {nodes} nodes p99 ms | ÷ single | single errors | {nodes} nodes errors |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
for r in rows:
    s, c = r["single"], r["cluster"]
    out_lines.append(f"| {r['endpoint']} | {s['rps']:,} | {c['rps']:,} | {r['rps_ratio']:.2f} | {s['p50_ms']:.2f} "
                     f"| {c['p50_ms']:.2f} | {s['p99_ms']:.2f} | {c['p99_ms']:.2f} | {r['p99_ratio']:.2f} "
                     f"| {errors(s)} | {errors(c)} |")
out_lines += ["", "| endpoint | node | connections | req/s | p50 ms | p99 ms | non-2xx | socket errors |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
for r in rows:
    for n in r["cluster"]["nodes"]:
        out_lines.append(f"| {r['endpoint']} | {n['node']} | {n['connections']} | {n['rps']:,} | {n['p50_ms']:.2f} "
                         f"| {n['p99_ms']:.2f} | {n['non2xx']:,} | {n['socket_errors']:,} |")
out_lines += ["",
              f"Single: one node from a configuration file on storage \"inmem\", wrk with 2 threads. {nodes} nodes: "
              f"a cluster on loopback, one wrk per node at the same time (1 thread each, the {connections} "
              f"connections split between them); req/s summed over the nodes, p50 and p99 the worst node's; "
              f"verify on each node redeems the OTPs minted on the next node.",
              f"{connections} connections in all, {duration} s per load (verify {duration // 2} s); "
              f"{machine['cores']} cores, {machine['cpu']}; {machine['java']}; the nodes, wrk and this script share "
              f"the cores.",
              "Errors: non-2xx answers and socket errors, less the \"exhausted\" 400s verify sends once out of OTPs.",
              f"Cluster in total at least as fast as one node on every load: "
              f"{'met' if goals['total_rps_at_least_single'] else 'NOT met'}; "
              f"verify p99 at most twice the single node's: "
              f"{'met' if goals['verify_p99_at_most_twice_single'] else 'NOT met'}.",
              "Vert.x blocked-thread warnings: single " + ("YES (see server.log)" if blocked_single else "none")
              + f"; {nodes} nodes " + ("YES (see cluster/node*.log)" if blocked_cluster else "none") + "."]
table = "\n".join(out_lines) + "\n"
open(os.path.join(out, "table.md"), "w").write(table)
print(table)
