"""Network: VPC flow logs, gateway endpoints, NAT gateways, the optional load balancer and bastion host."""
