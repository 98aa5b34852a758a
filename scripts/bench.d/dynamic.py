"""scripts/bench --dynamic: creds and revoke on a dynamic role against a real sshd, beside the
irreducible cost of the same work done by hand (one OpenSSH login as the admin running sudo),
measured in the same run. Prints one JSON object."""
import concurrent.futures
import json
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

addr, token, host_dir, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
H = {"X-Vault-Token": token, "Content-Type": "application/json"}


def call(method, path, body):
    req = urllib.request.Request(f"{addr}/v1/{path}", data=json.dumps(body).encode(), headers=H, method=method)
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            raw = resp.read()
            return json.loads(raw) if raw else {}
    except urllib.error.HTTPError as e:
        sys.exit(f"{method} {path} answered {e.code}: {e.read().decode(errors='replace')}")


def pct(values, p):
    values = sorted(values)
    return values[max(0, int(round(p / 100 * len(values))) - 1)]


call("POST", "sys/mounts/dynamic", {"type": "ssh"})
call("POST", "dynamic/keys/admin", {"key": open(f"{host_dir}/admin_key").read()})
call("POST", "dynamic/roles/bench", {"key_type": "dynamic", "key": "admin", "admin_user": "latchkey-admin",
                                      "default_user": "latchkey-bob", "cidr_list": "127.0.0.0/8", "port": port})


def pair(_):
    t = time.perf_counter()
    lease = call("POST", "dynamic/creds/bench", {"ip": "127.0.0.1"})
    creds = time.perf_counter() - t
    t = time.perf_counter()
    call("PUT", "sys/leases/revoke", {"lease_id": lease["lease_id"]})
    return creds, time.perf_counter() - t


def baseline(_):
    t = time.perf_counter()
    subprocess.run(["ssh", "-F", "/dev/null", "-i", f"{host_dir}/admin_key", "-o", "IdentitiesOnly=yes",
                    "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                    "-p", str(port), "latchkey-admin@127.0.0.1", "sudo -n true"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    return time.perf_counter() - t


list(map(pair, range(3)))  # warm-up: JIT, TOFU record, first sudo
result = {"key_bits": 2048}
base = [baseline(i) for i in range(20)]
result["openssh_login_sudo_p50_ms"] = round(statistics.median(base) * 1000, 1)
for concurrency, n in ((1, 20), (8, 48)):
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        runs = list(pool.map(pair, range(n)))
    elapsed = time.perf_counter() - start
    creds = [r[0] for r in runs]
    revoke = [r[1] for r in runs]
    result[f"c{concurrency}"] = {
        "pairs": n, "pairs_per_s": round(n / elapsed, 2),
        "creds_p50_ms": round(statistics.median(creds) * 1000, 1), "creds_p90_ms": round(pct(creds, 90) * 1000, 1),
        "revoke_p50_ms": round(statistics.median(revoke) * 1000, 1), "revoke_p90_ms": round(pct(revoke, 90) * 1000, 1)}
result["revoke_p50_vs_openssh"] = round(result["c1"]["revoke_p50_ms"] / result["openssh_login_sudo_p50_ms"], 2)
print(json.dumps(result))
