storage "file" {
  path = "/var/lib/latchkey"
}
listener "tcp" {
  address         = "localhost"
  tls_cert_file   = "/nonexistent/server.pem"
  tls_key_file    = "/nonexistent/server.key"
  tls_min_version = "tls9"
  max_request_size = "big"
  tls_disabel     = true
}
default_lease_ttl = "forever"
colour = "blue"
