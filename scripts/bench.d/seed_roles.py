"""Writes 1,000 OTP roles on one mount, each with an IPv4 and an IPv6 range and an exclusion, so
that `lookup` has a realistic table to scan.

    seed_roles.py ADDR TOKEN MOUNT
"""
import http.client
import json
import sys

host, token, mount = sys.argv[1].replace("http://", ""), sys.argv[2], sys.argv[3]
conn = http.client.HTTPConnection(host)
for i in range(1000):
    body = json.dumps({"key_type": "otp", "default_user": "ubuntu",
                       "cidr_list": f"10.{i // 256}.{i % 256}.0/24,2001:db8:{i:x}::/48",
                       "exclude_cidr_list": f"10.{i // 256}.{i % 256}.128/25"})
    conn.request("POST", f"/v1/{mount}/roles/r{i:04d}", body, {"X-Vault-Token": token})
    response = conn.getresponse()
    response.read()
    if response.status != 204:
        sys.exit(f"role write failed: {response.status}")
