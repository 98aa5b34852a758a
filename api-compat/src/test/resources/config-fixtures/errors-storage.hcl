listener "tcp" { tls_disable = true }
storage "raft" {
  path = "/var/raft"
}
