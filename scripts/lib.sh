# Shell helpers the scripts share; sourced, never run. Callers set -euo pipefail themselves.

# The calling script's name for messages, e.g. "scripts/test".
lib_caller="scripts/$(basename "$0")"
lib_apt_updated=""

# install_if_missing COMMAND PACKAGE: installs PACKAGE from Debian's archive when COMMAND (a name
# on PATH or an absolute path) is absent. Needs root and apt-get; otherwise says what to install.
install_if_missing() {
  local cmd="$1" pkg="$2"
  if [ "${cmd#/}" != "$cmd" ]; then [ -x "$cmd" ] && return 0; else command -v "$cmd" >/dev/null 2>&1 && return 0; fi
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "$lib_caller: '$cmd' is missing and cannot be installed here (need root and apt-get): install $pkg" >&2
    exit 1
  fi
  if [ -z "$lib_apt_updated" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    lib_apt_updated=1
  fi
  echo "$lib_caller: installing $pkg" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
}

# free_ports N: prints N distinct TCP ports on 127.0.0.1 (one per line) that nothing listens on
# right now, chosen below the kernel's ephemeral range: a port the kernel picked there can be taken
# by any outgoing connection (a cluster member dialling its peers) before the server that is to
# listen on it binds it. free_port: one of them.
free_ports() {
  python3 - "$1" <<'PY'
import random, socket, sys
try:
    low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
except OSError:
    low = 49152
low = max(low, 11000)
wanted, chosen = int(sys.argv[1]), []
for _ in range(1000 * wanted):
    if len(chosen) == wanted:
        break
    port = random.randrange(10000, low)
    if port in chosen:
        continue
    try:
        for host in ("127.0.0.1", "0.0.0.0"):
            with socket.socket() as s:
                s.bind((host, port))
    except OSError:
        continue
    chosen.append(port)
if len(chosen) < wanted:
    raise SystemExit("free_ports: not enough free ports below the ephemeral range")
print("\n".join(map(str, chosen)))
PY
}
free_port() { free_ports 1; }
