# A production-looking file: every key Latchkey reads.
listener "tcp" {
  address                            = "0.0.0.0:8443"
  tls_cert_file                      = "@DIR@/server.pem"
  tls_key_file                       = "@DIR@/server.key"
  tls_min_version                    = "tls13"
  tls_client_ca_file                 = "@DIR@/ca.pem"
  tls_require_and_verify_client_cert = "true"
  max_request_size                   = 1048576
  max_request_duration               = "30s"
  http_read_header_timeout           = 5
  http_read_timeout                  = "1m"
  http_idle_timeout                  = "10m"
  max_json_depth                     = 100
  max_json_string_value_length       = 65536
  max_json_object_entry_count        = 1000
  max_json_array_element_count       = 2000
}
listener "tcp" {
  address     = "[::1]:8200"   // a second, cleartext, on loopback
  tls_disable = 1
}
/* Vault's form of the URL */
storage "postgresql" {
  connection_url = "postgres://vault:s%40cret@db.internal:5432/vault?sslmode=verify-full"
  table          = "latchkey_kv"
}
seal "static" {
  current_key_id = "20250606-1"
  current_key    = "file:///etc/latchkey/unseal.key"
}
api_addr          = "https://vault.example.com:8443"
default_lease_ttl = "24h"
max_lease_ttl     = "30d"
default_max_request_duration = "60s"
log_level         = "warning"
log_format        = "json"
pid_file          = "/run/latchkey.pid"
