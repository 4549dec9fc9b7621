"""Services: what citizens and agencies use, made of devices, links and other services."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer, ValidationInfo, field_validator

from noc.model.base import Identifier, InventoryModel
from noc.model.observations import ObjectKind, ObjectRef
from noc.model.policy import DEFAULT_POLICY

COMPONENT_KINDS = (ObjectKind.device, ObjectKind.link, ObjectKind.service)


def _component(value: Any) -> ObjectRef:
    if isinstance(value, ObjectRef):
        ref = value
    elif isinstance(value, str):
        kind, sep, ident = value.partition(":")
        if not sep or not ident or kind not in {k.value for k in COMPONENT_KINDS}:
            raise ValueError("a component is written device:ID, link:ID or service:ID")
        ref = ObjectRef(kind=ObjectKind(kind), id=ident)
    else:
        raise ValueError("a component is written device:ID, link:ID or service:ID")
    if ref.kind not in COMPONENT_KINDS:
        raise ValueError("a component is a device, a link or a service")
    return ref


Component = Annotated[ObjectRef, BeforeValidator(_component), PlainSerializer(str)]
"""A service component: ``device:ID``, ``link:ID`` or ``service:ID`` as an ObjectRef."""


class ServiceRule(StrEnum):
    all = "all"  # up when every component is up
    any = "any"  # up when at least one component is up
    n_of_m = "n_of_m"  # up when at least n components are up


class Service(InventoryModel):
    id: Identifier
    name: str = Field(min_length=1)
    owner: str = ""  # the agency that owns it
    site: str | None = None  # where it is hosted
    policy: str = DEFAULT_POLICY
    components: list[Component] = Field(min_length=1)
    rule: ServiceRule = ServiceRule.all
    n: int | None = Field(default=None, validate_default=True)

    @field_validator("components")
    @classmethod
    def _distinct(cls, value: list[ObjectRef]) -> list[ObjectRef]:
        if len(set(value)) != len(value):
            raise ValueError("a component is listed twice")
        return value

    @field_validator("n")
    @classmethod
    def _rule(cls, n: int | None, info: ValidationInfo) -> int | None:
        rule, components = info.data.get("rule"), info.data.get("components")
        if rule is ServiceRule.n_of_m:
            if n is None:
                raise ValueError("rule n_of_m needs n, the number of components that must be up")
            if components is not None and not 1 <= n <= len(components):
                raise ValueError(
                    f"n must be between 1 and the number of components ({len(components)})"
                )
        elif n is not None and rule is not None:
            raise ValueError("n is only used with rule n_of_m")
        return n

    def needed(self) -> int:
        """How many components must be up for the service to be up."""
        if self.rule is ServiceRule.all:
            return len(self.components)
        if self.rule is ServiceRule.any:
            return 1
        return self.n or 1
