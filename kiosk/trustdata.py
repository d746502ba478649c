"""Which trust data a kiosk judges with, and where it came from.

A provisioned kiosk (city root key pinned) trusts only the installed bundle, and with no
bundle yet trusts nobody (every card is red, and the screen says why). A kiosk that is
not provisioned runs the built-in demo: demo keys made on this machine.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from kiosk.demo import builtin_document, demo_kit
from kiosk.errors import TrustError
from kiosk.paths import Paths
from kiosk.policy import VenueCategory, categories_from_json
from kiosk.rules.ruleset import RuleBook
from kiosk.verify.bundle import TrustBundle, open_bundle
from kiosk.verify.installed import InstalledTrust
from kiosk.verify.revocation import RevocationList
from kiosk.verify.truststore import TrustStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TrustData:
    trust: TrustStore
    rules: RuleBook
    revocations: RevocationList
    venues: Mapping[str, VenueCategory]
    #: For the status strip and logs: "installed bundle version 7", "demo", …
    source: str
    bundle: TrustBundle | None = field(default=None, compare=False)
    demo: bool = False
    provisioned: bool = False

    @property
    def issued_at(self) -> datetime | None:
        return self.bundle.issued_at if self.bundle else None

    @classmethod
    def from_bundle(cls, bundle: TrustBundle, source: str, **flags: bool) -> TrustData:
        return cls(
            bundle.trust, bundle.rules, bundle.revocations, bundle.venues, source, bundle, **flags
        )

    @classmethod
    def nothing(cls, source: str, *, provisioned: bool) -> TrustData:
        """No trusted issuer (every card red), the built-in rules and venue categories."""
        return cls(
            TrustStore(),
            RuleBook.from_json(builtin_document("rules.json")),
            RevocationList(),
            categories_from_json(builtin_document("venues.json")),
            source,
            provisioned=provisioned,
        )


def load_trust(paths: Paths, now: datetime) -> TrustData:
    """This kiosk's trust data: installed (provisioned) or the demo's (not provisioned)."""
    installed = InstalledTrust(paths.trust)
    try:
        root = installed.root()
        bundle = installed.load() if root is not None else None
    except TrustError as exc:
        # Damaged or unsafe trust data is not used: every card is red, and the strip and
        # the self-test say why (never a silent fall back to older or to the demo's).
        logger.error("trust data refused: %s", exc)
        return TrustData.nothing(f"trust data refused: {exc}", provisioned=True)
    if root is not None:
        if bundle is None:
            return TrustData.nothing(
                "NO trust bundle installed yet: every card is red until one is "
                "(kiosk sync, or kiosk trust install FILE)",
                provisioned=True,
            )
        return TrustData.from_bundle(
            bundle, f"installed bundle version {bundle.version}", provisioned=True
        )
    kit = demo_kit(paths)
    bundle = open_bundle(kit.bundle(now), kit.root.public)
    return TrustData.from_bundle(
        bundle, "built-in demo trust data (this kiosk is not provisioned)", demo=True
    )
