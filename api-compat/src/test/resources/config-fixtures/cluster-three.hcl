# A member of a three-node cluster: the defaults, and one given.
storage "inmem" {}
listener "tcp" {
  address     = "10.0.0.5:8200"
  tls_disable = true
}
api_addr = "http://10.0.0.5:8200"
cluster {
  name    = "east"
  address = "10.0.0.5"
  members = ["10.0.0.5:5701", "10.0.0.6:5701", "[fd00::7]:5701"]
}
