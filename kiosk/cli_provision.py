"""``kiosk provision``, ``kiosk selftest`` and ``kiosk pin``: the technician's commands.

Registered by :mod:`kiosk.cli` through :func:`add_provision_commands`; the work itself
is in :mod:`kiosk.provisioning` (shared with the app's wizard), imported only when one
of these commands runs: it brings OpenCV, numpy and httpx, which would add about 0.3 s
to the start of every other ``kiosk`` command (measured with ``python -X importtime``).
"""

from __future__ import annotations

import argparse
import getpass
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kiosk.config import Settings
from kiosk.demo import builtin_document
from kiosk.errors import TrustError, UsageError
from kiosk.paths import Paths
from kiosk.policy import categories_from_json

if TYPE_CHECKING:
    from kiosk import provisioning

#: kiosk.scanner.decoders.NAMES, spelled out so that registering imports no decoder.
DECODERS = ("auto", "zxing", "pyzbar")
#: The cameras ``provision --camera`` takes (hardware scanners need no setting).
CAMERA_FORMS = (
    "N (a camera index, e.g. 0), /dev/videoN, video:FILE, folder:DIR, or synthetic "
    "(the demo camera: only on a kiosk that is not provisioned)"
)
RESTART_NOTE = "If the kiosk app is running, it applies these settings within a few seconds."


def builtin_categories() -> list[str]:
    """The built-in venue categories (a trust bundle may bring others), for ``--help``."""
    return sorted(categories_from_json(builtin_document("venues.json")))


def category_help() -> str:
    known = ", ".join(builtin_categories())
    return f"venue category, one the trust data knows (built in: {known})"


def ask_new_pin(stdin: TextIO) -> str:
    """The new manager PIN, typed twice without echo; refused when they differ."""
    if not stdin.isatty():
        raise UsageError("no terminal to type the PIN on: give --pin-file FILE (its first line)")
    from kiosk.pin import PIN_RULE  # noqa: PLC0415 - light, but only when asked

    first = getpass.getpass(f"New manager PIN ({PIN_RULE.removeprefix('a PIN is ')}): ")
    second = getpass.getpass("The same PIN again: ")
    if first != second:
        raise UsageError("the manager PIN was typed differently the second time")
    return first


def _new_pin(args: argparse.Namespace, stdin: TextIO) -> str | None:
    """The PIN from ``--pin-file`` or ``--set-pin`` (typed twice), checked; or None."""
    from kiosk.pin import PIN_RULE, PinProblem, new_pin_problem, read_pin_file  # noqa: PLC0415

    if args.pin_file is not None:
        pin = read_pin_file(args.pin_file)
    elif getattr(args, "set_pin", True):
        pin = ask_new_pin(stdin)
    else:
        return None
    if new_pin_problem(pin) is PinProblem.FORMAT:
        where = f" in {args.pin_file}" if args.pin_file is not None else ""
        raise UsageError(f"the manager PIN{where} is refused: {PIN_RULE}")
    return pin


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
    categories), venue, manager PIN, platform enrollment (it fetches the platform's
    bundle), camera, decoder.
    """
    from kiosk import provisioning  # noqa: PLC0415 - see the module docstring

    current = Settings.load(paths)
    venue_given = any(v is not None for v in (args.venue_id, args.venue_name, args.category))
    if (args.platform is None) != (args.token is None):
        raise UsageError("--platform and --token go together")
    if args.replace_root and args.root is None:
        raise UsageError("--replace-root needs --root PUB")
    others = (args.root, args.bundle, args.platform, args.camera, args.decoder, args.pin_file)
    if not venue_given and not args.set_pin and all(value is None for value in others):
        raise UsageError(
            "nothing to provision: give --venue-id/--venue-name/--category, --root, --bundle, "
            "--platform with --token, --camera, --decoder, --pin-file or --set-pin "
            "(kiosk provision --help)"
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
    from kiosk.verify.installed import InstalledTrust  # noqa: PLC0415

    if (
        args.platform is not None
        and args.root is None
        and InstalledTrust(paths.trust).root() is None
    ):
        raise UsageError("enrolling needs the city root key pinned first: give --root PUB")
    # The camera and the decoder too: before the one-time token is spent on enrolling.
    if args.camera is not None:
        provisioning.check_camera_spec(args.camera)
    camera = args.camera.strip() if args.camera is not None else current.camera
    will_be_provisioned = (
        args.root is not None or args.platform is not None or provisioning.is_provisioned(paths)
    )
    if camera == provisioning.SYNTHETIC and will_be_provisioned:
        problem = provisioning.demo_camera_problem(paths, provisioned=True)
        if problem is not None:
            given = "" if args.camera is not None else "the configured camera is synthetic; "
            raise UsageError(f"--camera: {given}{problem}")
    if args.decoder is not None:
        provisioning.check_decoder(args.decoder)
    new_pin = _new_pin(args, stdin)

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
    if new_pin is not None:
        provisioning.set_manager_pin(paths, new_pin)
        out.write("✔ manager PIN: set\n")
    if args.platform is not None:
        result = provisioning.enroll(
            paths,
            args.platform,
            args.token,
            venue_id or "",
            args.kiosk_name or "",
            allow_http=args.allow_http,
        )
        # Enrolled, but without the platform's bundle the kiosk cannot judge city cards:
        # that stops here, with the reason (exit status 2).
        print_enrollment(result, out)
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
    if not provisioning.manager_pin_is_set(paths):
        out.write("  note: no manager PIN set: the manager view stays closed (kiosk pin set)\n")
    out.write(f"Check the kiosk with: kiosk selftest\n{RESTART_NOTE}\n")
    return 0


def print_enrollment(result: provisioning.EnrollResult, out: TextIO) -> None:
    """What ``provision --platform`` and ``enroll`` say after enrolling."""
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
    if result.bundle_problem is not None:
        raise TrustError(f"no trust bundle from the platform: {result.bundle_problem}")


def format_report(report: provisioning.SelfTestReport) -> str:
    """The self-test as a pass/warn/fail table, one line per check, and a summary line."""
    width = max(len(check.name) for check in report.checks)
    lines = [f"{'check':{width}}  result  detail"]
    for check in report.checks:
        mark = {"pass": "PASS", "warn": "WARN", "fail": "FAIL"}[check.status]
        lines.append(f"{check.name:{width}}  {mark:6}  {check.detail}")
    failed = sum(not check.ok for check in report.checks)
    warned = sum(check.status == "warn" for check in report.checks)
    total = len(report.checks)
    summary = f"all {total} checks passed" if not failed else f"{failed} of {total} checks FAILED"
    if warned:
        summary += f", {warned} warning{'s' if warned > 1 else ''}"
    lines.append(summary)
    return "\n".join(lines) + "\n"


def cmd_selftest(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
    from kiosk import provisioning  # noqa: PLC0415 - see the module docstring
    from kiosk.ui.sound import PlayerSound  # noqa: PLC0415 - Qt-free; makes the sound files

    timeout = provisioning.CHECK_TIMEOUT if args.timeout is None else args.timeout
    sound = PlayerSound(provisioning.sound_dir(paths))
    report = provisioning.self_test(paths, demo=args.demo, timeout=timeout, sound=sound)
    if args.json:
        out.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")
    else:
        out.write(format_report(report))
    return 0 if report.ok else 1


def cmd_pin_set(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
    from kiosk import provisioning  # noqa: PLC0415 - see the module docstring

    pin = _new_pin(args, stdin)
    assert pin is not None  # --pin-file, or asked on the terminal
    provisioning.set_manager_pin(paths, pin)
    out.write("manager PIN set (any lockout cleared)\n")
    return 0


def cmd_pin_reset(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
    from kiosk import provisioning  # noqa: PLC0415 - see the module docstring

    removed = provisioning.reset_manager_pin(paths)
    out.write(
        ("manager PIN removed" if removed else "no manager PIN was set")
        + ": the manager view stays closed until a new one is set (kiosk pin set)\n"
    )
    return 0


def add_provision_commands(
    subparsers: argparse._SubParsersAction[Any],
    parser_class: type[argparse.ArgumentParser],
) -> None:
    """Add ``provision``, ``selftest`` and ``pin`` to the ``kiosk`` command's subcommands.

    ``parser_class`` is the kiosk's parser (usage errors raise :class:`UsageError`);
    ``subparsers.add_parser`` already makes parsers of the class given to
    ``add_subparsers``, so it is only needed for nested subcommands (``pin set|reset``)."""

    provision = subparsers.add_parser(
        "provision",
        help="provision this kiosk: venue, root key, bundle, PIN, platform, camera, decoder",
        description="Apply the steps given, in this order: --root, --bundle, the venue, "
        "the manager PIN, --platform/--token (which fetches the platform's trust bundle: "
        "exit status 2 when it cannot), --camera, --decoder. Steps before a failing one "
        "stay applied; every option is checked before the first step.",
    )
    venue = provision.add_argument_group("venue")
    venue.add_argument("--venue-id", help="the venue id the city issued, e.g. HCM-Q1-000123")
    venue.add_argument("--venue-name", help="the venue's name, as the screen shows it")
    venue.add_argument("--category", metavar="CATEGORY", help=category_help())
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
    platform.add_argument(
        "--allow-http",
        action="store_true",
        help="allow a plain http:// platform on another machine (loopback always is)",
    )
    manager = provision.add_argument_group("manager PIN (4 to 8 digits)")
    pin_source = manager.add_mutually_exclusive_group()
    pin_source.add_argument(
        "--pin-file", type=Path, metavar="FILE", help="set the manager PIN from FILE's first line"
    )
    pin_source.add_argument(
        "--set-pin",
        action="store_true",
        help="set the manager PIN: asks for it twice on the terminal, without echo",
    )
    camera = provision.add_argument_group("camera and decoder")
    camera.add_argument(
        "--camera",
        metavar="SPEC",
        help=f"the camera: {CAMERA_FORMS}. Hardware scanners need no setting",
    )
    camera.add_argument("--width", type=int, help="camera width in pixels")
    camera.add_argument("--height", type=int, help="camera height in pixels")
    camera.add_argument("--decoder", choices=DECODERS, help="QR decoder")
    provision.set_defaults(run=cmd_provision)

    selftest = subparsers.add_parser(
        "selftest",
        help="check camera, decoder, trust data, clock, database, platform, sound, manager PIN "
        "(exit 1 on a failure; warnings do not fail)",
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

    pin = subparsers.add_parser(
        "pin",
        help="set or reset the manager PIN (needs this machine's shell)",
        description="The manager PIN (4 to 8 digits) opens the manager view. Whoever can run "
        "these commands has the kiosk's shell, which is the authorisation: no old PIN is "
        "asked for. A forgotten PIN: kiosk pin reset, then kiosk pin set.",
    ).add_subparsers(dest="pin_command", required=True, parser_class=parser_class)
    pin_set = pin.add_parser("set", help="set a new manager PIN (clears a lockout)")
    pin_set.add_argument(
        "--pin-file",
        type=Path,
        metavar="FILE",
        help="the PIN from FILE's first line (default: asked twice on the terminal)",
    )
    pin_set.set_defaults(run=cmd_pin_set)
    pin.add_parser(
        "reset", help="remove a forgotten PIN and its lockout; then set a new one"
    ).set_defaults(run=cmd_pin_reset)
