"""Logins through hvac, the Python Vault client, as its users write them: enable userpass and
approle, make a user and a role, log in with each, and use the token. Prints one JSON object with
what the logins answered; exits non-zero with a message on the first surprise.

    VAULT_ADDR=... VAULT_TOKEN=<root> python3 hvac_logins.py SUFFIX [JWT_MOUNT JWT]
"""
import json
import os
import sys

import hvac


def main():
    suffix = sys.argv[1]
    address = os.environ["VAULT_ADDR"]
    root = hvac.Client(url=address, token=os.environ["VAULT_TOKEN"])
    people, machines = "people-" + suffix, "machines-" + suffix
    root.sys.enable_auth_method("userpass", path=people, description="people")
    root.sys.enable_auth_method("approle", path=machines)
    methods = root.sys.list_auth_methods()["data"]
    if methods[people + "/"]["type"] != "userpass" or methods[machines + "/"]["type"] != "approle":
        sys.exit("auth methods not listed: %s" % sorted(methods))

    root.auth.userpass.create_or_update_user("jdoe", "s3cret-pass", policies=["dev"], mount_point=people)
    if root.auth.userpass.read_user("jdoe", mount_point=people)["data"]["token_policies"] != ["dev"]:
        sys.exit("user did not read back")
    user = hvac.Client(url=address)
    answer = user.auth.userpass.login("jdoe", "s3cret-pass", mount_point=people)
    if not user.is_authenticated() or user.token != answer["auth"]["client_token"]:
        sys.exit("userpass login did not authenticate the client")
    me = user.auth.token.lookup_self()["data"]
    try:
        hvac.Client(url=address).auth.userpass.login("jdoe", "wrong", mount_point=people)
        sys.exit("a wrong password logged in")
    except hvac.exceptions.InvalidRequest:
        pass

    root.auth.approle.create_or_update_approle("ci", token_policies=["deploy"], token_ttl="15m", mount_point=machines)
    role_id = root.auth.approle.read_role_id("ci", mount_point=machines)["data"]["role_id"]
    secret = root.auth.approle.generate_secret_id("ci", metadata={"pipeline": "build-7"}, mount_point=machines)["data"]
    machine = hvac.Client(url=address)
    login = machine.auth.approle.login(role_id, secret["secret_id"], mount_point=machines)
    if not machine.is_authenticated():
        sys.exit("approle login did not authenticate the client")
    looked = root.auth.approle.read_secret_id("ci", secret["secret_id"], mount_point=machines)["data"]
    if looked["secret_id_accessor"] != secret["secret_id_accessor"]:
        sys.exit("secret ID lookup: %s" % looked)

    out = {"user": answer["auth"], "user_lookup": me, "machine": login["auth"]}
    if len(sys.argv) > 3:
        service = hvac.Client(url=address)
        out["service"] = service.auth.jwt.jwt_login(role="people", jwt=sys.argv[3], path=sys.argv[2])["auth"]
        if not service.is_authenticated():
            sys.exit("jwt login did not authenticate the client")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
