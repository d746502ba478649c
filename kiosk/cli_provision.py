"""``kiosk provision`` and ``kiosk selftest``: technician provisioning on the command line.

Registered by :mod:`kiosk.cli` through :func:`add_provision_commands`; the work itself
is in :mod:`kiosk.provisioning` (shared with the app's wizard), imported only when one
of these commands runs: it brings OpenCV, numpy and httpx, which would add about 0.3 s
to the start of every other ``kiosk`` command (measured with ``python -X importtime``).
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kiosk.config import Settings
from kiosk.errors import UsageError
from kiosk.paths import Paths

if TYPE_CHECKING:
    from kiosk import provisioning

#: kiosk.scanner.decoders.NAMES, spelled out so that registering imports no decoder.
DECODERS = ("auto", "zxing", "pyzbar")


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _bundle_line(result: provisioning.BundleImport) -> str:
    return (
        f"trust bundle version {result.version} {result.outcome.value} "
        f"(issued {_when(result.issued_at)}, {result.issuers} issuer key(s), "
        f"venue categories {', '.join(result.venues)})"
    )


def cmd_provision(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
    """Apply the steps given, in the order that lets each build on the one before:
    root key (bundles are checked against it), bundle file (it brings the venue
    categories), venue, platform enrollment (it may fetch a newer bundle), camera, decoder.
    """
    from kiosk import provisioning  # noqa: PLC0415 - see the module docstring

    current = Settings.load(paths)
    venue_given = any(v is not None for v in (args.venue_id, args.venue_name, args.category))
    if (args.platform is None) != (args.token is None):
        raise UsageError("--platform and --token go together")
    if args.replace_root and args.root is None:
        raise UsageError("--replace-root needs --root PUB")
    others = (args.root, args.bundle, args.platform, args.camera, args.decoder)
    if not venue_given and all(value is None for value in others):
        raise UsageError(
            "nothing to provision: give --venue-id/--venue-name/--category, --root, --bundle, "
            "--platform with --token, --camera or --decoder (kiosk provision --help)"
        )
    # Checked before any step, so that a typo does not leave a half-provisioned kiosk.
    venue_id = args.venue_id or current.venue_id
    venue_name = args.venue_name or current.venue_name
    category = args.category or current.venue_category
    if venue_given:
        wanted = (("--venue-id", venue_id), ("--venue-name", venue_name), ("--category", category))
        missing = [option for option, value in wanted if not value]
        if missing:
            raise UsageError(f"no venue set yet: give {', '.join(missing)}")
    if args.platform is not None and not venue_id:
        raise UsageError("enrolling needs the venue id: give --venue-id")
    # The camera and the decoder too: before the one-time token is spent on enrolling.
    if args.camera is not None:
        provisioning.check_camera_spec(args.camera)
    if args.decoder is not None:
        provisioning.check_decoder(args.decoder)

    if args.root is not None:
        key = provisioning.pin_root(paths, args.root, replace_pinned=args.replace_root)
        out.write(f"✔ root key: pinned city root key {key.kid.hex()}\n")
    if args.bundle is not None:
        out.write(f"✔ bundle: {_bundle_line(provisioning.import_bundle(paths, args.bundle))}\n")
    if venue_given:
        settings = provisioning.set_venue(paths, venue_id or "", venue_name or "", category or "")
        out.write(
            f"✔ venue: {settings.venue_id} “{settings.venue_name}”, "
            f"category {settings.venue_category}\n"
        )
    if args.platform is not None:
        result = provisioning.enroll(
            paths, args.platform, args.token, venue_id or "", args.kiosk_name or ""
        )
        out.write(
            f"✔ platform: enrolled as kiosk {result.kiosk_id} at venue {result.venue_id} "
            f"with {result.platform_url}\n"
        )
        if result.drift_ms is not None:
            out.write(f"  clock drift: {result.drift_ms / 1000:+.1f} s\n")
        if result.bundle is not None:
            out.write(f"  {_bundle_line(result.bundle)}\n")
        for note in result.notes:
            out.write(f"  {note}\n")
    if args.camera is not None:
        width = args.width or current.camera_width
        height = args.height or current.camera_height
        settings = provisioning.set_camera(paths, args.camera, width, height)
        out.write(
            f"✔ camera: {settings.camera} at {settings.camera_width}x{settings.camera_height}\n"
        )
    if args.decoder is not None:
        settings = provisioning.set_decoder(paths, args.decoder)
        out.write(f"✔ decoder: {settings.decoder}\n")
    out.write("Check the kiosk with: kiosk selftest\n")
    return 0


def format_report(report: provisioning.SelfTestReport) -> str:
    """The self-test as a pass/fail table, one line per check, and a summary line."""
    width = max(len(check.name) for check in report.checks)
    lines = [f"{'check':{width}}  result  detail"]
    for check in report.checks:
        mark = "PASS" if check.ok else "FAIL"
        lines.append(f"{check.name:{width}}  {mark:6}  {check.detail}")
    failed = sum(not check.ok for check in report.checks)
    total = len(report.checks)
    lines.append(
        f"all {total} checks passed" if not failed else f"{failed} of {total} checks FAILED"
    )
    return "\n".join(lines) + "\n"


def cmd_selftest(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
    from kiosk import provisioning  # noqa: PLC0415 - see the module docstring

    timeout = provisioning.CHECK_TIMEOUT if args.timeout is None else args.timeout
    report = provisioning.self_test(paths, demo=args.demo, timeout=timeout)
    if args.json:
        out.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")
    else:
        out.write(format_report(report))
    return 0 if report.ok else 1


def add_provision_commands(
    subparsers: argparse._SubParsersAction[Any],
    parser_class: type[argparse.ArgumentParser],
) -> None:
    """Add ``provision`` and ``selftest`` to the ``kiosk`` command's subcommands.

    ``parser_class`` is the kiosk's parser (usage errors raise :class:`UsageError`);
    ``subparsers.add_parser`` already makes parsers of the class given to
    ``add_subparsers``, so it is only needed for nested subcommands (none yet)."""

    provision = subparsers.add_parser(
        "provision",
        help="provision this kiosk: venue, root key, bundle, platform, camera, decoder",
        description="Apply the steps given, in this order: --root, --bundle, the venue, "
        "--platform/--token, --camera, --decoder. Steps before a failing one stay applied.",
    )
    venue = provision.add_argument_group("venue")
    venue.add_argument("--venue-id", help="the venue id the city issued, e.g. HCM-Q1-000123")
    venue.add_argument("--venue-name", help="the venue's name, as the screen shows it")
    venue.add_argument("--category", help="venue category, e.g. dine-in or supermarket")
    trust = provision.add_argument_group("trust data")
    trust.add_argument("--root", type=Path, metavar="PUB", help="city root public key to pin")
    trust.add_argument(
        "--replace-root", action="store_true", help="replace a different pinned root key"
    )
    trust.add_argument(
        "--bundle", type=Path, metavar="FILE", help="install a signed trust bundle file (USB)"
    )
    platform = provision.add_argument_group("city platform")
    platform.add_argument("--platform", metavar="URL", help="platform URL, e.g. https://…")
    platform.add_argument("--token", help="the one-time enrollment token for the venue")
    platform.add_argument("--kiosk-name", help="a name for this kiosk, e.g. Entrance A")
    camera = provision.add_argument_group("camera and decoder")
    camera.add_argument(
        "--camera",
        metavar="SPEC",
        help="0, /dev/video0, video:FILE, folder:DIR, synthetic, stdin or serial:PORT[@BAUD]",
    )
    camera.add_argument("--width", type=int, help="camera width in pixels")
    camera.add_argument("--height", type=int, help="camera height in pixels")
    camera.add_argument("--decoder", choices=DECODERS, help="QR decoder")
    provision.set_defaults(run=cmd_provision)

    selftest = subparsers.add_parser(
        "selftest",
        help="check camera, decoder, trust data, clock, database, platform (exit 1 on failure)",
    )
    selftest.add_argument("--json", action="store_true", help="print the report as JSON")
    selftest.add_argument(
        "--demo", action="store_true", help="a demo kiosk: no platform or root key expected"
    )
    selftest.add_argument(
        "--timeout",
        type=float,
        help="seconds each check may wait for a device or the network (default 5)",
    )
    selftest.set_defaults(run=cmd_selftest)
