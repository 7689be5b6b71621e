# The same example as dev.json, in HCL:
#   conclave agent -dev -config-file=conf/dev.hcl
datacenter  = "dc1"
client_addr = "127.0.0.1"
log_level   = "info"

ports {
  http = 8500
  dns  = 8600
}
