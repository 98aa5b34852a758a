"""An operator's access-control workflow through hvac, the Python Vault client, as its users write
it: two policies (a team that signs with one CA role and reads the CA key; host automation that
gets OTPs on one role for one network), a token role that mints tokens of those policies, a minter
token allowed to use only that role, and the tokens it mints, each tried where it may go and where
it may not. Prints the tokens and what they obtained as one JSON object; exits non-zero with a
message on the first surprise.

    VAULT_ADDR=... VAULT_TOKEN=<root> python3 hvac_workflow.py MOUNT SUFFIX 'ssh-ed25519 AAAA...'
"""
import json
import os
import sys

import hvac
import requests


def expect_forbidden(what, call):
    try:
        call()
    except hvac.exceptions.Forbidden:
        return
    sys.exit("expected 403 for " + what)


def main():
    mount, suffix, public_key = sys.argv[1], sys.argv[2], sys.argv[3]
    address = os.environ["VAULT_ADDR"]
    root = hvac.Client(url=address, token=os.environ["VAULT_TOKEN"])

    sign_policy = "team-sign-" + suffix
    host_policy = "host-otp-" + suffix
    minter_policy = "minter-" + suffix
    role = "ssh-" + suffix
    # hvac writes a dict as pretty-printed JSON, a string as it is (HCL here)
    root.sys.create_or_update_policy(sign_policy, {"path": {
        mount + "/sign/dev": {"capabilities": ["update"]},
        mount + "/public_key": {"capabilities": ["read"]},
    }})
    root.sys.create_or_update_policy(host_policy, (
        'path "%s/creds/hosts" {\n'
        '  capabilities = ["update"]\n'
        '  allowed_parameters = {\n'
        '    "ip" = ["10.1.*"]\n'
        '    "username" = []\n'
        '  }\n'
        '}\n') % mount)
    root.sys.create_or_update_policy(minter_policy, 'path "auth/token/create/%s" { capabilities = ["update"] }' % role)
    listed = root.sys.list_policies()["data"]["policies"]
    for p in (sign_policy, host_policy, minter_policy, "default", "root"):
        if p not in listed:
            sys.exit("policy %s not listed: %s" % (p, listed))
    if "10.1.*" not in root.sys.read_policy(host_policy)["data"]["rules"]:
        sys.exit("host policy did not read back as written")

    root.auth.token.create_or_update_role(role, allowed_policies=[sign_policy, host_policy], orphan=True)
    if root.auth.token.read_role(role)["data"]["allowed_policies"] != sorted([sign_policy, host_policy]):
        sys.exit("token role did not read back")

    minter_token = root.auth.token.create(policies=[minter_policy])["auth"]["client_token"]
    minter = hvac.Client(url=address, token=minter_token)
    team_token = minter.auth.token.create(role_name=role, policies=[sign_policy])["auth"]["client_token"]
    host_token = minter.auth.token.create(role_name=role, policies=[host_policy])["auth"]["client_token"]
    expect_forbidden("the minter on auth/token/create", lambda: minter.auth.token.create(policies=[sign_policy]))

    team = hvac.Client(url=address, token=team_token)
    host = hvac.Client(url=address, token=host_token)
    if team.auth.token.lookup_self()["data"]["orphan"] is not True:
        sys.exit("a token of an orphan role has a parent")

    signed = team.write(mount + "/sign/dev", public_key=public_key, valid_principals="alice")["data"]["signed_key"]
    ca = requests.get(address + "/v1/" + mount + "/public_key", headers={"X-Vault-Token": team_token}, timeout=30)
    if ca.status_code != 200 or not ca.text.startswith("ssh-"):
        sys.exit("public_key: %d %s" % (ca.status_code, ca.text))
    caps = team.sys.get_capabilities(paths=[mount + "/sign/dev", mount + "/creds/hosts"])["data"]
    if caps[mount + "/sign/dev"] != ["update"] or caps[mount + "/creds/hosts"] != ["deny"]:
        sys.exit("team capabilities: %s" % caps)

    otp = host.write(mount + "/creds/hosts", ip="10.1.2.3")["data"]["key"]

    expect_forbidden("team on creds", lambda: team.write(mount + "/creds/hosts", ip="10.1.2.3"))
    expect_forbidden("team on another CA role", lambda: team.write(mount + "/sign/ops", public_key=public_key))
    expect_forbidden("team reading the role", lambda: team.read(mount + "/roles/dev"))
    expect_forbidden("team on sys/mounts", lambda: team.sys.list_mounted_secrets_engines())
    expect_forbidden("team on policies", lambda: team.sys.list_policies())
    expect_forbidden("team writing a policy", lambda: team.sys.create_or_update_policy("x" + suffix, 'path "a" {}'))
    expect_forbidden("host on sign", lambda: host.write(mount + "/sign/dev", public_key=public_key))
    expect_forbidden("host outside its network", lambda: host.write(mount + "/creds/hosts", ip="10.2.0.1"))
    expect_forbidden("host on another OTP role", lambda: host.write(mount + "/creds/other", ip="10.1.2.3"))
    expect_forbidden("host on sys/mounts", lambda: host.sys.list_mounted_secrets_engines())
    expect_forbidden("host on policies", lambda: host.sys.read_policy(host_policy))

    print(json.dumps({"team": team_token, "host": host_token, "minter": minter_token, "signed_key": signed,
                      "otp": otp}))


if __name__ == "__main__":
    main()
