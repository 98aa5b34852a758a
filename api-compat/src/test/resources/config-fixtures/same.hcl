listener "tcp" {
  address = "127.0.0.1:8201"
  tls_disable = true
  max_request_size = 2048
}
listener "tcp" {
  address = "127.0.0.1:8202"
  tls_disable = "1"
}
storage "file" {
  path = <<EOT
/var/lib/latchkey
EOT
}
default_lease_ttl = 3600
max_lease_ttl = "2h"
