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

# free_port: prints a TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
