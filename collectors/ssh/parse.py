"""Parse a saved device output the way the collector does: platform + command -> Parsed."""

from __future__ import annotations

from collectors.ssh.models import Parsed
from collectors.ssh.profile import SshProfile, profile_for
from collectors.ssh.typed import parse_output
from noc.errors import ConfigError


def parse_command(
    profiles: dict[str, SshProfile], platform: str, command: str, text: str
) -> Parsed:
    """Parse ``text`` as the output of ``command`` on ``platform``; ConfigError if unknown."""
    profile = profile_for(profiles, platform, None)
    spec = profile.command(command)
    if spec is None:
        known = "; ".join(c.command for c in profile.commands)
        raise ConfigError(
            f"the {platform} SSH profile has no command '{command}'", hint=f"known: {known}"
        )
    return parse_output(profile.platform, spec, text)
