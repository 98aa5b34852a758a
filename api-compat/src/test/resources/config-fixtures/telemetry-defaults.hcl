storage "inmem" {}

listener "tcp" {
  address     = "127.0.0.1:8200"
  tls_disable = true
}

# an empty block turns Prometheus on with Vault's 24h retention
telemetry {}
