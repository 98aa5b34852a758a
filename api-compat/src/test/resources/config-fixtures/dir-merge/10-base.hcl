storage "file" { path = "/var/lib/first" }
listener "tcp" {
  address = "127.0.0.1:8200"
  tls_disable = true
}
api_addr = "http://127.0.0.1:8200"
default_lease_ttl = "2h"
max_lease_ttl = "48h"
log_level = "debug"
