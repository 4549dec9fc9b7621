"""SSH collection: netmiko/napalm sessions, declarative profiles and typed parsers."""
