"""``python -m cityplatform``: serve the platform, issue tokens, publish bundles.

::

    python -m cityplatform serve [--host 127.0.0.1] [--port 8470] [--data DIR] [--demo-kit DIR]
    python -m cityplatform token --venue V [--ttl-hours 72] [--data DIR]
    python -m cityplatform publish BUNDLE_FILE [--data DIR]
    python -m cityplatform publish --issuer PUB [--issuer PUB ...] [--data DIR]
    python -m cityplatform root-key [--data DIR]
    python -m cityplatform stats [--data DIR]
    python -m cityplatform disable KIOSK_ID [--data DIR]   (and enable)

Usage errors exit with status 2, refused operations with 1. Nothing here logs a name or
a card id: the platform's logs carry counts, kiosk ids and venue ids only.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

import platformdirs
import uvicorn
from pydantic import TypeAdapter, ValidationError

from cityplatform.app import PARSER_HEADER_LIMIT, create_app
from cityplatform.errors import PlatformError, PlatformUsageError
from cityplatform.models import VenueId
from cityplatform.store import PlatformStore
from kiosk.demo import DEMO_ISSUER, REVOKED_CARD_ID, builtin_document
from kiosk.domain import CardKind
from kiosk.errors import KeyFileError, KioskError
from kiosk.fileio import write_atomic
from kiosk.formats import hcm1
from kiosk.issuing import DEFAULT_ISSUER
from kiosk.verify.bundle import make_bundle
from kiosk.verify.keys import SigningKey, load_public_key, load_signing_key, write_key_pair
from kiosk.verify.revocation import RevocationList
from kiosk.verify.truststore import IssuerKey

logger = logging.getLogger(__name__)

APP: Final = "kiosk-platform"
DEFAULT_PORT: Final = 8470
DATABASE: Final = "platform.db"
#: Seconds to wait for a root key another command is writing at the same moment.
ROOT_KEY_WAIT: Final = 5.0
#: What ``serve`` says when it starts with no bundle published (kiosks then get 404).
NO_BUNDLE_YET: Final = (
    "no trust bundle is published yet: kiosks get none until one is. Publish one with "
    "'cityplatform publish --issuer ISSUER.pub' (an issuer key made with "
    "kiosk keys new-issuer), or 'cityplatform publish BUNDLE_FILE'"
)


def _say(text: object) -> None:
    sys.stdout.write(f"{text}\n")


def _complain(text: object) -> None:
    sys.stderr.write(f"error: {text}\n")


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP))


def ensure_root_key(data_dir: Path) -> SigningKey:
    """The city root key in ``DIR/root.key`` (mode 0600), made on first use.

    Safe when two commands start on an empty directory at once (``serve &`` and then
    ``publish``): the key file is created exclusively, the loser uses the winner's key."""
    path = data_dir / "root.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = SigningKey.generate()
        try:
            write_key_pair(key, data_dir / "root")
        except KeyFileError:
            logger.debug("another command made the root key just now; using it")
        else:
            logger.info("created the city root key %s", path)
            return key
    key = _written_key(path)
    public = data_dir / "root.pub"
    if not public.exists() or public.read_bytes() != key.public.pem():
        write_atomic(public, key.public.pem())
    return key


def _written_key(path: Path, wait: float = ROOT_KEY_WAIT) -> SigningKey:
    """The key in ``path``, waiting a moment for a command that is still writing it."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return load_signing_key(path)
        except KeyFileError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def existing_root_key(data_dir: Path) -> SigningKey:
    path = data_dir / "root.key"
    if not path.exists():
        raise PlatformUsageError(
            f"no root key in {data_dir}; start the platform once (serve) or check --data"
        )
    return load_signing_key(path)


def open_store(data_dir: Path, root: SigningKey | None = None) -> PlatformStore:
    return PlatformStore(data_dir / DATABASE, root=None if root is None else root.public)


def demo_bundle(root: SigningKey, kit: Path, now: datetime) -> bytes:
    """Bundle version 1 for the kiosk demo: the kit's issuer keys, the built-in rules and
    venue categories, the demo's revoked card (as ``kiosk.demo.DemoKit.bundle``, but from
    the issuers' public keys and signed with this platform's root)."""
    try:
        city = load_public_key(kit / "issuer-city.pub")
        lab = load_public_key(kit / "issuer-lab.pub")
    except KioskError as exc:
        raise PlatformUsageError(f"--demo-kit {kit}: {exc}") from exc
    issuers = [
        IssuerKey(
            city,
            DEMO_ISSUER,
            kinds=frozenset(CardKind),
            formats=frozenset({hcm1.NAME}),
            label="Demo: HCMC Department of Health",
        ),
        IssuerKey(
            lab,
            DEMO_ISSUER,
            kinds=frozenset({CardKind.TEST}),
            formats=frozenset({hcm1.NAME}),
            label="Demo: testing laboratory",
        ),
    ]
    return make_bundle(
        root,
        version=1,
        issued_at=now,
        issuers=issuers,
        rules=builtin_document("rules.json"),
        venues=builtin_document("venues.json"),
        revocations=RevocationList.from_ids([REVOKED_CARD_ID]),
    )


def _serve(args: argparse.Namespace) -> int:
    data_dir: Path = args.data
    root = ensure_root_key(data_dir)
    store = open_store(data_dir, root)
    try:
        if args.demo_kit is not None:
            if store.latest_bundle_version() is None:
                bundle = demo_bundle(root, args.demo_kit, datetime.now(UTC))
                version = store.publish_bundle(bundle)
                logger.info("published the demo trust bundle version %s", version)
            else:
                logger.info("a trust bundle is already published; --demo-kit is not used")
        if store.latest_bundle_version() is None:
            logger.warning("%s", NO_BUNDLE_YET)
        app = create_app(store, root_key=root)
        logger.info(
            "city platform on http://%s:%s, data in %s; kiosks pin %s",
            args.host,
            args.port,
            data_dir,
            data_dir / "root.pub",
        )
        # h11 whatever else is installed: its header limits are the documented ones.
        config = uvicorn.Config(
            app,
            host=args.host,
            port=args.port,
            log_config=None,
            lifespan="off",
            http="h11",
            h11_max_incomplete_event_size=PARSER_HEADER_LIMIT,
        )
        uvicorn.Server(config).run()
    finally:
        store.close()
    return 0


def _venue(text: str) -> str:
    try:
        return TypeAdapter(VenueId).validate_python(text, strict=True)
    except ValidationError as exc:
        raise PlatformUsageError(
            f"--venue {text!r:.80} is not a venue id (1 to 64 characters, no controls)"
        ) from exc


def _token(args: argparse.Namespace) -> int:
    venue = _venue(args.venue)
    if not 0 < args.ttl_hours <= 24 * 365:
        raise PlatformUsageError("--ttl-hours must be between 1 and 8760")
    with open_store(args.data) as store:
        token = store.issue_token(venue, timedelta(hours=args.ttl_hours))
    _say(token)
    return 0


def issuer_bundle(
    root: SigningKey, issuers: Sequence[Path], *, version: int, now: datetime
) -> bytes:
    """A trust bundle for city issuers: each key may sign every kind of ``HCM1`` card for
    the city's issuer (``VN-HCM``), with the built-in rules and venue categories and no
    revoked card. For anything else (scopes, validity, revocations, visitors' passes):
    ``kiosk bundle make`` and ``publish BUNDLE_FILE``."""
    keys = []
    for path in issuers:
        try:
            key = load_public_key(path)
        except KioskError as exc:
            raise PlatformUsageError(f"--issuer {path}: {exc}") from exc
        keys.append(
            IssuerKey(
                key,
                DEFAULT_ISSUER,
                kinds=frozenset(CardKind),
                formats=frozenset({hcm1.NAME}),
                label=path.stem,
            )
        )
    return make_bundle(
        root,
        version=version,
        issued_at=now,
        issuers=keys,
        rules=builtin_document("rules.json"),
        venues=builtin_document("venues.json"),
        revocations=RevocationList(),
    )


def _publish(args: argparse.Namespace) -> int:
    if (args.bundle is None) == (not args.issuer):
        raise PlatformUsageError("give a BUNDLE_FILE or --issuer PUB (one or more), not both")
    if args.bundle is None:
        # The root key is made here if need be: publishing may run before serve does.
        root = ensure_root_key(args.data)
        with open_store(args.data, root) as store:
            version = (store.latest_bundle_version() or 0) + 1
            data = issuer_bundle(root, args.issuer, version=version, now=datetime.now(UTC))
            store.publish_bundle(data)
        _say(f"published trust bundle version {version} with {len(args.issuer)} issuer key(s)")
        return 0
    root = existing_root_key(args.data)
    try:
        data = Path(args.bundle).read_bytes()
    except OSError as exc:
        raise PlatformUsageError(f"cannot read {args.bundle}: {exc.strerror}") from exc
    with open_store(args.data, root) as store:
        version = store.publish_bundle(data)
    _say(f"published trust bundle version {version}")
    return 0


def _root_key(args: argparse.Namespace) -> int:
    ensure_root_key(args.data)
    _say(args.data / "root.pub")
    return 0


def _stats(args: argparse.Namespace) -> int:
    with open_store(args.data) as store:
        for name, value in store.stats().items():
            _say(f"{name}: {value}")
    return 0


def _set_enabled(args: argparse.Namespace) -> int:
    enabled = args.command == "enable"
    with open_store(args.data) as store:
        if not store.set_kiosk_enabled(args.kiosk_id, enabled):
            raise PlatformUsageError(f"no kiosk has the id {args.kiosk_id!r:.60}")
    _say(f"kiosk {args.kiosk_id} {'enabled' if enabled else 'disabled'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cityplatform", description="The reference city platform kiosks sync to."
    )
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"data directory (default: {default_data_dir()})",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", parents=[data], help="run the HTTP server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument(
        "--demo-kit",
        type=Path,
        default=None,
        metavar="DIR",
        help="a kiosk demo directory (issuer-city.pub, issuer-lab.pub): on first start,"
        " publish demo bundle version 1 for its issuers",
    )
    serve.set_defaults(run=_serve)

    token = commands.add_parser("token", parents=[data], help="print a one-time enrollment token")
    token.add_argument("--venue", required=True, metavar="VENUE_ID")
    token.add_argument("--ttl-hours", type=int, default=72, metavar="HOURS")
    token.set_defaults(run=_token)

    publish = commands.add_parser(
        "publish",
        parents=[data],
        help="publish a trust bundle: a signed file, or the next version for --issuer keys",
        description="Publish BUNDLE_FILE (made with kiosk bundle make --root-key DIR/root.key"
        " and checked against DIR/root.pub), or sign and publish the next version for the"
        " --issuer keys given: each may sign every HCM1 card kind; the built-in rules and"
        " venue categories; no revoked card.",
    )
    publish.add_argument("bundle", metavar="BUNDLE_FILE", nargs="?", default=None)
    publish.add_argument(
        "--issuer",
        type=Path,
        action="append",
        default=[],
        metavar="PUB",
        help="a city issuer's public key (kiosk keys new-issuer); may be repeated",
    )
    publish.set_defaults(run=_publish)

    root_key = commands.add_parser(
        "root-key", parents=[data], help="print the path of the root public key kiosks pin"
    )
    root_key.set_defaults(run=_root_key)

    stats = commands.add_parser("stats", parents=[data], help="print counts")
    stats.set_defaults(run=_stats)

    for name, words in (("disable", "refuse a kiosk's requests"), ("enable", "undo disable")):
        command = commands.add_parser(name, parents=[data], help=words)
        command.add_argument("kiosk_id", metavar="KIOSK_ID")
        command.set_defaults(run=_set_enabled)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data is None:
        args.data = default_data_dir()
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.run(args))
    except PlatformUsageError as exc:
        _complain(exc)
        return 2
    except (PlatformError, KioskError) as exc:
        _complain(exc)
        return 1
    except OSError as exc:
        _complain(exc)
        return 1
