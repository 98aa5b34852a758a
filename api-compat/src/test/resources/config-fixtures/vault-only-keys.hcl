ui            = true
disable_mlock = true
cluster_addr  = "https://127.0.0.1:8201"
plugin_directory = "/opt/plugins"
telemetry {
  disable_hostname = true
}
storage "file" {
  path = "/var/lib/latchkey"
  redirect_addr = "http://x"
}
listener "tcp" {
  tls_disable       = true
  tls_cipher_suites = "TLS_AES_128_GCM_SHA256"
}
