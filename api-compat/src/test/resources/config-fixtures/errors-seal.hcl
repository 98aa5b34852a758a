storage "inmem" {}
listener "tcp" { tls_disable = true }
seal "awskms" {
  region = "us-east-1"
}
