storage "inmem" {}

listener "tcp" {
  address     = "127.0.0.1:8200"
  tls_disable = true
  telemetry {
    unauthenticated_metrics_access = "maybe"
    scrape_everything              = true
  }
}

telemetry {
  prometheus_retention_time = "soon"
  disable_hostname          = "yes please"
  usage_gauge_period        = -5
  promethus_retention_time  = "24h"
}
