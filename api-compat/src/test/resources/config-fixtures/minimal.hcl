storage "inmem" {}
listener "tcp" {
  tls_disable = true
}
