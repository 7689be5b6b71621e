# A single server that leads itself (the tutorial's agent-one):
#   conclave agent -config-file=conf/server.hcl -bind=10.11.0.31 -node=agent-one
# Raft across several servers comes later: bootstrap_expect is 0 or 1 for now.
server           = true
bootstrap_expect = 1
data_dir         = "/var/lib/conclave"
datacenter       = "dc1"
client_addr      = "127.0.0.1"

# bind_addr defaults to 0.0.0.0, advertising the machine's one private IPv4 address;
# set it when the machine has several.
# bind_addr = "10.11.0.31"

# Gossip encryption: a key from `conclave keygen`, the same on every agent.
# encrypt = "pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s="
