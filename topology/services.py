"""Service state from component state: rules all / any / n_of_m, services nested in services."""

from __future__ import annotations

from collections.abc import Callable

from noc.model import ObjectKind, ObjectRef, Service, ServiceRule
from topology.models import ServiceStatus


class ServiceEvaluator:
    """Evaluates every service once per query; ``component_up`` says if a device/link is up."""

    def __init__(self, services: list[Service], component_up: Callable[[ObjectRef], bool]) -> None:
        self._by_id = {s.id: s for s in services}
        self._up = component_up
        self._memo: dict[str, tuple[ServiceStatus, list[str]]] = {}
        self._visiting: set[str] = set()

    def status(self, service_id: str) -> tuple[ServiceStatus, list[str]]:
        """(status, components that are down or degraded)."""
        if service_id in self._memo:
            return self._memo[service_id]
        service = self._by_id.get(service_id)
        if service is None or service_id in self._visiting:  # dangling or cyclic: not ours
            return ServiceStatus.down, []
        self._visiting.add(service_id)
        up = 0
        bad: list[str] = []
        degraded = False
        for ref in service.components:
            if ref.kind is ObjectKind.service:
                sub, _ = self.status(ref.id)
                ok = sub is not ServiceStatus.down
                degraded = degraded or sub is ServiceStatus.degraded
                if sub is not ServiceStatus.up:
                    bad.append(str(ref))
            else:
                ok = self._up(ref)
                if not ok:
                    bad.append(str(ref))
            up += ok
        self._visiting.discard(service_id)
        if up < _needed(service):
            result = (ServiceStatus.down, bad)
        elif bad or degraded:
            result = (ServiceStatus.degraded, bad)
        else:
            result = (ServiceStatus.up, bad)
        self._memo[service_id] = result
        return result


def _needed(service: Service) -> int:
    if service.rule is ServiceRule.all:
        return len(service.components)
    return service.needed()
