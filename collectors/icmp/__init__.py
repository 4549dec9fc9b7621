"""ICMP echo reachability: the cheapest "does it answer" for every device with an address."""

from collectors.icmp.collector import IcmpCollector, IcmpConfig
from collectors.icmp.pinger import Pinger, PingResult

__all__ = ["IcmpCollector", "IcmpConfig", "PingResult", "Pinger"]
