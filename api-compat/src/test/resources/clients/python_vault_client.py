"""A Vault API client on Python's ssl module, verifying as hvac does (requests with verify=CA file):
the server's chain against the CA and its address against the certificate. One request; prints the
status, the TLS version and the body.

    python3 python_vault_client.py METHOD PATH [JSON]
"""
import http.client
import os
import ssl
import sys
import urllib.parse


def main():
    method, path = sys.argv[1], sys.argv[2]
    body = sys.argv[3] if len(sys.argv) > 3 else None
    address = urllib.parse.urlsplit(os.environ["VAULT_ADDR"])
    context = ssl.create_default_context(cafile=os.environ.get("VAULT_CACERT"))
    if os.environ.get("VAULT_CLIENT_CERT"):
        context.load_cert_chain(os.environ["VAULT_CLIENT_CERT"], os.environ.get("VAULT_CLIENT_KEY"))
    headers = {"Content-Type": "application/json"}
    if os.environ.get("VAULT_TOKEN"):
        headers["X-Vault-Token"] = os.environ["VAULT_TOKEN"]
    connection = http.client.HTTPSConnection(address.hostname, address.port, context=context, timeout=30)
    try:
        connection.request(method, "/v1/" + path, body=body, headers=headers)
        response = connection.getresponse()
        print(response.status, connection.sock.version().replace("v", ""), response.read().decode().strip())
    except (ssl.SSLError, OSError) as e:
        print(e, file=sys.stderr)
        sys.exit(1)
    finally:
        connection.close()


if __name__ == "__main__":
    main()
