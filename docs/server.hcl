# Latchkey server configuration: the same language and keys as Vault's.
#
#   latchkey server -config=/etc/latchkey/server.hcl
#
# -config may be repeated, and may name a directory (its .hcl and .json files are read in name
# order and merged). Vault keys that mean nothing to Latchkey (ui, disable_mlock, cluster_addr,
# ...) are ignored with one warning; a key Latchkey does not know at all stops startup.

listener "tcp" {
  address       = "127.0.0.1:8200"
  tls_cert_file = "/etc/latchkey/tls/latchkey.pem"      # certificate, then its chain
  tls_key_file  = "/etc/latchkey/tls/latchkey-key.pem"  # RSA or ECDSA, unencrypted
  # tls_min_version = "tls12"                           # the default; tls10/tls11 are refused unless named
  # tls_client_ca_file = "/etc/latchkey/tls/clients-ca.pem"
  # tls_require_and_verify_client_cert = true

  max_request_size     = 33554432   # bytes
  max_request_duration = "90s"

  # serve sys/metrics to Prometheus without a token (otherwise it needs read on sys/metrics)
  # telemetry {
  #   unauthenticated_metrics_access = true
  # }
}

# Data on local disk. Alternatives: storage "inmem" {} (lost on exit), or
# storage "postgresql" { connection_url = "postgres://latchkey:PASSWORD@db:5432/latchkey?sslmode=verify-full" }
storage "file" {
  path = "/var/lib/latchkey"
}

# Without a seal block the server starts sealed and is unsealed with Shamir key shares
# (vault operator init / vault operator unseal). OpenBao's static seal unseals by itself
# from a 32-byte key (openssl rand -out /etc/latchkey/unseal.key 32):
#
# seal "static" {
#   current_key_id = "2026-11-1"
#   current_key    = "file:///etc/latchkey/unseal.key"
# }

api_addr = "https://latchkey.example.com:8200"

default_lease_ttl = "24h"
max_lease_ttl     = "768h"

# sys/metrics?format=prometheus; docs/grafana has a dashboard and a scrape configuration
telemetry {
  prometheus_retention_time = "24h"   # 0 turns the Prometheus form off
  disable_hostname          = true    # what dashboards expect
}

log_level  = "info"        # trace, debug, info, warn, error; -log-level and VAULT_LOG_LEVEL win
log_format = "standard"    # or "json"
pid_file   = "/run/latchkey/latchkey.pid"
