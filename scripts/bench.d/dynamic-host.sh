#!/usr/bin/env bash
# A dynamic-key target host for scripts/bench --dynamic, on this machine: the accounts the tests
# use (latchkey-admin with password-less sudo, latchkey-bob), a fresh admin key, and a private
# sshd on a free 127.0.0.1 port. Needs root (it creates accounts). Prints "PORT SSHD_PID".
#
#   dynamic-host.sh DIR
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
dir="$1"
[ "$(id -u)" -eq 0 ] || { echo "scripts/bench --dynamic needs root: it creates the target host's accounts" >&2; exit 1; }
for tool in /usr/sbin/sshd sudo flock useradd; do
  command -v "$tool" >/dev/null || { echo "scripts/bench --dynamic: $tool is missing (scripts/test installs it)" >&2; exit 1; }
done
mkdir -p "$dir" /run/sshd
for user in latchkey-admin latchkey-bob; do
  id -u "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash --password '*' "$user"
done
printf 'latchkey-admin ALL=(ALL) NOPASSWD: ALL\n' > /etc/sudoers.d/latchkey-tests
chmod 0440 /etc/sudoers.d/latchkey-tests
ssh-keygen -q -t ed25519 -N '' -C '' -f "$dir/admin_key"
ssh-keygen -q -t ed25519 -N '' -C '' -f "$dir/host_key"
install -d -o latchkey-admin -m 700 /home/latchkey-admin/.ssh
install -o latchkey-admin -m 600 "$dir/admin_key.pub" /home/latchkey-admin/.ssh/authorized_keys
rm -rf /home/latchkey-bob/.ssh
port="$(free_port)"
cat > "$dir/sshd_config" <<CONF
ListenAddress 127.0.0.1:$port
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxStartups 100
LogLevel ERROR
CONF
/usr/sbin/sshd -D -f "$dir/sshd_config" -E "$dir/sshd.log" </dev/null >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 50); do
  python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null && break
  sleep 0.1
done
echo "$port $pid"
