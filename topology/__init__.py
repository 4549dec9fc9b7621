"""Topology: the city network as a graph; rings and redundancy, root cause, impact, SPOF.

Public entry points (import from the modules; nothing is done at import time):

- ``graph.TopologyGraph.from_inventory(inv)``: the indexed graph (devices, links, depends_on,
  power feeds, rings in cycle order, the data-center roots).
- ``elements.resolve(graph, names)``: ``device:ID`` / ``link:ID`` / ``source:ID`` -> Failures.
- ``impact.impact(graph, failures)``: sites, agencies, services cut off or degraded; ring
  states; power (unpowered, UPS on battery, and what happens once the batteries are empty).
- ``spof.spof_report(graph)``: single points of failure (dominator tree) and power single points.
- ``rootcause.classify(graph, answered, maintenance, links_down)``: up/down/unreachable with
  root causes over redundant paths.
- ``live.LiveTopology``: live state fed by state changes; ``tracker.GraphReachabilityTracker``:
  drop-in for ``reachability.ReachabilityTracker``; ``view.GraphTopologyView``: what alerting
  asks of topology.
- ``lldp.reconcile(inv, neighbors)``: inventory cabling against LLDP/CDP.
- ``svg.render_svg(graph, states, links_down, rings, title)``: the wall picture.
"""
