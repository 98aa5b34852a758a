#!/bin/bash
# Latchkey's built-in install script for dynamic SSH keys, with Vault 1.12's contract:
#   $1  install | uninstall
#   $2  name of the uploaded file (in the working directory) holding the public key line
#   $3  absolute path of the target user's authorized_keys
# The admin user needs password-less sudo. Any failure exits non-zero.
set -euo pipefail

action="${1:-}"
key_file="${2:-}"
auth_keys="${3:-}"

cleanup() { rm -f -- "$key_file" "temp_$key_file"; }
trap cleanup EXIT

case "$action" in
  install|uninstall) ;;
  *) echo "usage: $0 install|uninstall PUBLIC_KEY_FILE AUTHORIZED_KEYS_PATH" >&2; exit 1 ;;
esac
if [ -z "$key_file" ] || [ -z "$auth_keys" ] || [ ! -f "$key_file" ]; then
  echo "$0: missing public key file or authorized_keys path" >&2
  exit 1
fi

sudo mkdir -p -- "$(dirname -- "$auth_keys")"
sudo touch -- "$auth_keys"

# One change at a time per authorized_keys (10 s to get the lock). Every line that contains the
# key is removed (a grep that selects nothing is not an error: removing too much fails safe),
# then, for install, the key is appended once.
sudo flock --timeout 10 "$auth_keys.lock" sh -c '
  set -e
  grep -vFf "$1" "$2" > "$3" || true
  cat "$3" > "$2"
  if [ "$4" = install ]; then cat "$1" >> "$2"; fi
' latchkey-install "$PWD/$key_file" "$auth_keys" "$PWD/temp_$key_file" "$action"
