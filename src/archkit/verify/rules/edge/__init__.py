"""Layer 1, edge security: CloudFront and its WAF web ACL."""
