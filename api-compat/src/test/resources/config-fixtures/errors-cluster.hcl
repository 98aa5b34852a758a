storage "file" { path = "/var/lib/latchkey" }
listener "tcp" { tls_disable = true }

cluster {
  name         = "east side"
  address      = "0.0.0.0:5701"
  members      = ["10.0.0.5:5701", "10.0.0.6", 5702]
  backup_count = 9
  quorum       = 4
  colour       = "blue"
}
