storage "file" {
  path = "/var/lib/latchkey"
}
listener "tcp" { tls_disable = true }
cluster {
  name    = "east"
  address = "10.0.0.5:5701"
  members = ["10.0.0.5:5701", "10.0.0.6:5701"]
}
