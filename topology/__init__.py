"""Topology: the city network as a graph; reachability and root cause over depends_on."""
