"""The domain model: the inventory of the city's network and what collectors observe."""

from noc.model.credentials import (
    AuthProtocol,
    CredentialSet,
    PrivProtocol,
    SnmpCredentials,
    SnmpV1Credentials,
    SnmpV2cCredentials,
    SnmpV3Credentials,
    SshCredentials,
)
from noc.model.devices import (
    POWER_ROLES,
    Device,
    DeviceRole,
    Interface,
    PollIntervals,
    PollOverrides,
    SnmpAccess,
    SshAccess,
)
from noc.model.inventory import CollectorKind, Inventory, InventorySettings
from noc.model.links import Endpoint, Link, LinkKind, Media
from noc.model.neighbors import Neighbor, NeighborProtocol
from noc.model.observations import (
    DeviceState,
    LinkState,
    ObjectKind,
    ObjectRef,
    Sample,
    StateChange,
    series_key,
)
from noc.model.policy import DEFAULT_POLICY, BusinessHours, MaintenanceTreatment, Policy
from noc.model.power import Power, PowerFeed, PowerSource
from noc.model.secrets import SecretRef
from noc.model.services import Service, ServiceRule
from noc.model.sites import Location, Site, SiteKind

__all__ = [
    "DEFAULT_POLICY",
    "POWER_ROLES",
    "AuthProtocol",
    "BusinessHours",
    "CollectorKind",
    "CredentialSet",
    "Device",
    "DeviceRole",
    "DeviceState",
    "Endpoint",
    "Interface",
    "Inventory",
    "InventorySettings",
    "Link",
    "LinkKind",
    "LinkState",
    "Location",
    "MaintenanceTreatment",
    "Media",
    "Neighbor",
    "NeighborProtocol",
    "ObjectKind",
    "ObjectRef",
    "Policy",
    "PollIntervals",
    "PollOverrides",
    "Power",
    "PowerFeed",
    "PowerSource",
    "PrivProtocol",
    "Sample",
    "SecretRef",
    "Service",
    "ServiceRule",
    "Site",
    "SiteKind",
    "SnmpAccess",
    "SnmpCredentials",
    "SnmpV1Credentials",
    "SnmpV2cCredentials",
    "SnmpV3Credentials",
    "SshAccess",
    "SshCredentials",
    "StateChange",
    "series_key",
]
