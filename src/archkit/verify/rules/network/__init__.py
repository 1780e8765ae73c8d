"""Network: VPC flow logs, gateway endpoints and NAT gateways."""
