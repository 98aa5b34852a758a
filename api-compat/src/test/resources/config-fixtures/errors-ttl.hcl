storage "inmem" {}
listener "tcp" { tls_disable = true }
max_lease_ttl = "1h"
log_level = "loud"
