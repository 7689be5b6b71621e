# A client agent (the tutorial's agent-two): no replicated state, every catalog, health and KV
# call is forwarded to a server over RPC.
#   conclave agent -config-file=conf/client.hcl -bind=10.4.7.14 -node=agent-two
data_dir    = "/var/lib/conclave"
datacenter  = "dc1"
client_addr = "127.0.0.1"

# Join a server at start, retrying every 30s until it answers (-retry-join on the command line).
retry_join     = ["10.11.0.31"]
retry_interval = "30s"

# encrypt = "pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s="
