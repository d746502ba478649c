"""The ``kiosk`` command line: verify, issue, keys, bundles, trust data and the demo.

Exit status: 0 when the command did its work (for ``verify``: a decision was made,
whatever its verdict); 2 when it could not (bad arguments, unreadable or invalid
files); 1 for an internal error, which is also logged.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from kiosk import pipeline
from kiosk.decision import Decision
from kiosk.demo import builtin_document, demo_cards, demo_kit
from kiosk.domain import CITY_TZ
from kiosk.errors import ClaimsError, KioskError, UsageError
from kiosk.issuing import card_from_claims, issue
from kiosk.paths import Paths
from kiosk.policy import VenueCategory, categories_from_json
from kiosk.reasons import REASONS
from kiosk.rules.ruleset import RuleBook
from kiosk.verify.bundle import TrustBundle, open_bundle
from kiosk.verify.installed import InstalledTrust
from kiosk.verify.keys import (
    EDDSA,
    ES256,
    SigningKey,
    load_public_key,
    load_signing_key,
    write_key_pair,
)
from kiosk.verify.revocation import RevocationList
from kiosk.verify.truststore import IssuerKey, TrustStore

logger = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _moment(text: str, what: str = "--at") -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"{what} {text!r} is not an ISO-8601 date or date-time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CITY_TZ)
    return moment.astimezone(UTC)


def _read_json(path: Path, what: str) -> object:
    try:
        return json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read {what} {path}: {exc.strerror}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(f"{what} {path} is not valid JSON: {exc}") from exc


def _read_bytes(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {what} {path}: {exc.strerror}") from exc


# --- verify -----------------------------------------------------------------------


def _context(args: argparse.Namespace, paths: Paths, now: datetime) -> tuple[pipeline.Context, str]:
    """Trust, rules and venues for ``verify``, and a note saying where they came from."""
    bundle: TrustBundle | None = None
    source = ""
    installed = InstalledTrust(paths.trust)
    if args.bundle:
        root = load_public_key(args.root) if args.root else installed.root()
        if root is None:
            raise UsageError("--bundle needs the city root key: --root PUB, or pin one first")
        bundle = open_bundle(_read_bytes(args.bundle, "bundle"), root)
        source = f"bundle {args.bundle} (version {bundle.version})"
    elif installed.root() is not None and (bundle := installed.load()) is not None:
        source = f"installed bundle version {bundle.version}"
    elif not args.trust:
        kit = demo_kit(paths)
        bundle = open_bundle(kit.bundle(now), kit.root.public)
        source = "built-in demo trust data (this kiosk is not provisioned)"
    extra = TrustStore(IssuerKey(load_public_key(p), label=str(p)) for p in args.trust or ())
    if bundle is not None:
        trust = bundle.trust.merged(extra)
        rules, venues, revocations = bundle.rules, bundle.venues, bundle.revocations
        if args.trust:
            source += f", plus {len(extra)} trusted key file(s)"
    else:
        trust = extra
        rules = RuleBook.from_json(builtin_document("rules.json"))
        venues = categories_from_json(builtin_document("venues.json"))
        revocations = RevocationList()
        source = f"{len(extra)} trusted key file(s), built-in rules"
    venue: VenueCategory | None = None
    if args.venue:
        venue = venues.get(args.venue)
        if venue is None:
            raise UsageError(
                f"unknown venue category {args.venue!r}; known: {', '.join(sorted(venues))}"
            )
    return pipeline.Context(trust, rules, revocations, venue, venues), source


def decision_json(decision: Decision) -> dict[str, object]:
    info = REASONS[decision.reason]
    card = decision.card
    return {
        "verdict": decision.verdict.value,
        "reason": decision.reason.value,
        "message": {"vi": info.guard_vi, "en": info.guard_en},
        "advice": {"vi": info.advice_vi, "en": info.advice_en},
        "format": decision.format,
        "card_id": card.card_id if card else None,
        "holder": (
            {
                "name": card.holder.name,
                "birth_year": card.holder.birth_year,
                "id_last4": card.holder.id_last4,
            }
            if card
            else None
        ),
        "issued_colour": decision.issued_colour.value if decision.issued_colour else None,
        "rules_colour": decision.rules_colour.value if decision.rules_colour else None,
        "colour_changed": decision.colour_changed,
        "rules_version": decision.rules_version,
        "venue": decision.venue_category,
        "at": decision.at.isoformat(),
        "detail": decision.detail,
    }


def _print_decision(decision: Decision, out: TextIO) -> None:
    info = REASONS[decision.reason]
    mark = {"green": "✔ GREEN", "yellow": "● YELLOW", "red": "✘ RED"}[decision.verdict.value]
    out.write(f"{mark}  {info.guard_vi} / {info.guard_en}\n")
    card = decision.card
    if card is not None:
        year = card.holder.birth_year or "?"
        masked = f"  ID {card.holder.masked_id}" if card.holder.id_last4 else ""
        out.write(f"  {card.holder.name}, {year}{masked}\n")
    if decision.colour_changed:
        out.write(
            f"  Issued {decision.issued_colour}; rules {decision.rules_version} "
            f"now give {decision.rules_colour}: the rules win.\n"
        )
    if info.advice_en and decision.verdict.value == "red":
        out.write(f"  {info.advice_vi}\n  {info.advice_en}\n")
    details = [f"reason={decision.reason.value}", f"format={decision.format or '-'}"]
    if card is not None:
        details.append(f"card={card.card_id}")
    if decision.rules_version:
        details.append(f"rules={decision.rules_version}")
    if decision.detail:
        details.append(f"detail={decision.detail}")
    out.write("  " + " ".join(details) + "\n")


def _payloads(args: argparse.Namespace, stdin: TextIO) -> list[str]:
    if args.payload == "-":
        lines = [line for line in stdin.read().splitlines() if line.strip()]
        return lines or [""]
    return [args.payload]


def cmd_verify(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
    now = _moment(args.at) if args.at else datetime.now(UTC)
    context, source = _context(args, paths, now)
    if not args.json:
        print(f"Trust data: {source}", file=sys.stderr)
    for payload in _payloads(args, stdin):
        decision = pipeline.process(payload, now, context)
        if args.json:
            out.write(json.dumps(decision_json(decision), ensure_ascii=False) + "\n")
        else:
            _print_decision(decision, out)
    return 0


# --- issuing and keys ---------------------------------------------------------------


def cmd_issue(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
    key = load_signing_key(args.key)
    try:
        card = card_from_claims(_read_json(args.claims, "claims file"), datetime.now(UTC))
    except ClaimsError as exc:
        raise UsageError(f"{args.claims}: {exc}") from exc
    text = issue(card, key)
    out.write(text + "\n")
    if args.png:
        from kiosk.qrimage import write_png

        write_png(text, args.png)
        print(f"wrote {args.png}", file=sys.stderr)
    return 0


def cmd_new_key(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
    key = SigningKey.generate(ES256 if args.alg == "es256" else EDDSA)
    private, public = write_key_pair(key, args.out)
    out.write(f"private key: {private} (mode 0600: keep it off the kiosk, never commit it)\n")
    out.write(f"public key:  {public}\nkid:         {key.public.kid.hex()}\n")
    return 0


# --- bundles and installed trust ----------------------------------------------------------


def _issuer_from_source(raw: object, base: Path) -> IssuerKey:
    if not isinstance(raw, dict) or not isinstance(raw.get("public_key"), str):
        raise UsageError("each issuer in the bundle source needs a public_key path")
    from kiosk.domain import CardKind

    def when(name: str) -> datetime | None:
        return _moment(str(raw[name]), name) if raw.get(name) else None

    issuer, label, formats = raw.get("issuer"), raw.get("label", ""), raw.get("formats", [])
    if not (issuer is None or isinstance(issuer, str)) or not isinstance(label, str):
        raise UsageError("issuer 'issuer' and 'label' must be text")
    if not isinstance(formats, list) or not all(isinstance(f, str) for f in formats):
        raise UsageError("issuer 'formats' must be a list of format names, e.g. [\"HCM1\"]")

    try:
        kinds = frozenset(CardKind(k) for k in raw.get("kinds", ["v", "r", "t"]))
    except ValueError as exc:
        raise UsageError("issuer kinds are among v, r, t") from exc
    return IssuerKey(
        key=load_public_key(base / raw["public_key"]),
        issuer=issuer,
        valid_from=when("valid_from"),
        valid_until=when("valid_until"),
        kinds=kinds,
        formats=frozenset(formats),
        label=label,
    )


def cmd_bundle_make(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
    from kiosk.fileio import write_atomic
    from kiosk.verify.bundle import make_bundle
    from kiosk.verify.revocation import RevocationList

    source = _read_json(args.source, "bundle source")
    if not isinstance(source, dict):
        raise UsageError("the bundle source must be a JSON object")
    base = args.source.parent

    def document(name: str) -> object:
        value = source.get(name)
        if value is None:
            return builtin_document(f"{name}.json")
        return _read_json(base / value, name) if isinstance(value, str) else value

    revoked_ids: list[str] = []
    if source.get("revoked"):
        path = base / str(source["revoked"])
        try:
            text = _read_bytes(path, "revocation list").decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UsageError(f"revocation list {path} is not UTF-8 text") from exc
        revoked_ids = [line.strip() for line in text.splitlines() if line.strip()]
    version = args.version if args.version is not None else source.get("version")
    if type(version) is not int or version < 1:
        raise UsageError("a bundle needs a positive integer version (--version N)")
    data = make_bundle(
        load_signing_key(args.root_key),
        version=version,
        issued_at=datetime.now(UTC),
        issuers=[_issuer_from_source(raw, base) for raw in source.get("issuers", [])],
        rules=document("rules"),
        venues=document("venues"),
        revocations=RevocationList.from_ids(revoked_ids),
    )
    write_atomic(args.out, data)
    out.write(f"wrote {args.out}: version {version}, {len(data)} bytes\n")
    return 0


def _describe(bundle: TrustBundle, out: TextIO) -> None:
    out.write(f"version:     {bundle.version}\nissued at:   {bundle.issued_at.isoformat()}\n")
    out.write(f"issuer keys: {len(bundle.trust)}\n")
    for key in bundle.trust:
        kinds = "".join(sorted(k.value for k in key.kinds))
        out.write(f"  {key.kid.hex()} {key.key.algorithm:6} kinds={kinds} {key.label}\n")
    out.write("rule sets:\n")
    for rule_set in bundle.rules.sets:
        out.write(f"  {rule_set.version} from {rule_set.valid_from.isoformat()}\n")
    out.write(f"venues:      {', '.join(sorted(bundle.venues))}\n")
    out.write(f"revoked ids: {len(bundle.revocations)}\n")


def cmd_bundle_show(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
    root = load_public_key(args.root) if args.root else InstalledTrust(paths.trust).root()
    if root is None:
        raise UsageError("no root key: pass --root PUB or pin one with 'kiosk trust pin-root'")
    _describe(open_bundle(_read_bytes(args.file, "bundle"), root), out)
    return 0


def cmd_trust_pin(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
    key = load_public_key(args.public_key)
    InstalledTrust(paths.trust).pin_root(key, replace=args.replace)
    out.write(f"pinned city root key {key.kid.hex()} in {paths.trust}\n")
    return 0


def cmd_trust_install(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
    outcome, bundle = InstalledTrust(paths.trust).install(_read_bytes(args.file, "bundle"))
    out.write(f"{outcome.value}: trust bundle version {bundle.version}\n")
    return 0


def cmd_trust_status(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
    installed = InstalledTrust(paths.trust)
    root = installed.root()
    if root is None:
        out.write("not provisioned: no city root key pinned (verify uses the demo trust data)\n")
        return 0
    out.write(f"city root key: {root.kid.hex()} ({root.algorithm})\n")
    bundle = installed.load()
    if bundle is None:
        out.write("no trust bundle installed\n")
    else:
        _describe(bundle, out)
    return 0


# --- demo -----------------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
    now = datetime.now(UTC)
    kit = demo_kit(paths)
    bundle = open_bundle(kit.bundle(now), kit.root.public)
    out.write(
        "Kiosk demo: cards issued by a demo issuer whose keys were made on this machine\n"
        f"(in {paths.demo}), checked offline against a signed demo trust bundle.\n\n"
    )
    for card in demo_cards(kit, now):
        venue = bundle.venues.get(card.venue) if card.venue else None
        decision = pipeline.process(card.text, now, pipeline.Context.from_bundle(bundle, venue))
        where = f" at venue '{card.venue}'" if card.venue else ""
        out.write(f"── {card.label}{where}\n   {card.text[:60]}…\n")
        _print_decision(decision, out)
        out.write("\n")
    out.write("Verify any card yourself:  kiosk verify [--venue dine-in] 'HCM1:...'\n")
    return 0


# --- wiring -----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kiosk", description="Venue check-in kiosk for HCMC Covid cards.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    verify = commands.add_parser("verify", help="verify a card's QR text offline")
    verify.add_argument("payload", help="the QR text, or - to read one per line from stdin")
    verify.add_argument("--at", help="verify at this ISO-8601 moment (default: now; +07:00)")
    verify.add_argument("--trust", type=Path, action="append", help="trust an issuer public key")
    verify.add_argument("--bundle", type=Path, help="use this signed trust bundle")
    verify.add_argument("--root", type=Path, help="city root public key for --bundle")
    verify.add_argument("--venue", help="venue category, e.g. dine-in or supermarket")
    verify.add_argument("--json", action="store_true", help="print one JSON object per card")
    verify.set_defaults(run=cmd_verify)

    issue_cmd = commands.add_parser("issue", help="issue a signed HCM1 card (tests, demos)")
    issue_cmd.add_argument("--key", type=Path, required=True, help="issuer private key (PEM)")
    issue_cmd.add_argument("--claims", type=Path, required=True, help="claims JSON file")
    issue_cmd.add_argument("--png", type=Path, help="also write the QR code as a PNG image")
    issue_cmd.set_defaults(run=cmd_issue)

    keys = commands.add_parser("keys", help="make signing keys").add_subparsers(
        dest="keys_command", required=True, parser_class=_Parser
    )
    for name, role in (("new-issuer", "a card issuer"), ("new-root", "the city's bundle root")):
        cmd = keys.add_parser(name, help=f"make a key pair for {role}")
        cmd.add_argument(
            "--out", type=Path, required=True, help="path stem: writes STEM.key, STEM.pub"
        )
        cmd.add_argument("--alg", choices=("ed25519", "es256"), default="ed25519")
        cmd.set_defaults(run=cmd_new_key)

    bundle = commands.add_parser("bundle", help="make or inspect trust bundles").add_subparsers(
        dest="bundle_command", required=True, parser_class=_Parser
    )
    make = bundle.add_parser("make", help="sign a trust bundle from a JSON source file")
    make.add_argument("--root-key", type=Path, required=True, help="city root private key")
    make.add_argument("--source", type=Path, required=True, help="bundle source JSON")
    make.add_argument("--version", type=int, help="bundle version (overrides the source)")
    make.add_argument("--out", type=Path, required=True)
    make.set_defaults(run=cmd_bundle_make)
    show = bundle.add_parser("show", help="check a bundle's signature and describe it")
    show.add_argument("file", type=Path)
    show.add_argument("--root", type=Path, help="city root public key (default: the pinned one)")
    show.set_defaults(run=cmd_bundle_show)

    trust = commands.add_parser("trust", help="this kiosk's trust data").add_subparsers(
        dest="trust_command", required=True, parser_class=_Parser
    )
    pin = trust.add_parser("pin-root", help="pin the city root public key (provisioning)")
    pin.add_argument("public_key", type=Path)
    pin.add_argument("--replace", action="store_true", help="replace a different pinned key")
    pin.set_defaults(run=cmd_trust_pin)
    install = trust.add_parser("install", help="install a signed trust bundle (e.g. from USB)")
    install.add_argument("file", type=Path)
    install.set_defaults(run=cmd_trust_install)
    trust.add_parser("status", help="show the pinned key and installed bundle").set_defaults(
        run=cmd_trust_status
    )

    commands.add_parser("demo", help="verify the built-in demo cards").set_defaults(run=cmd_demo)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    out: TextIO | None = None,
    stdin: TextIO | None = None,
    paths: Paths | None = None,
) -> int:
    out = out or sys.stdout
    try:
        args = build_parser().parse_args(argv)
        logging.basicConfig(
            level=logging.INFO if args.verbose else logging.WARNING,
            format="%(levelname)s %(name)s: %(message)s",
        )
        return int(args.run(args, paths or Paths.default(), out, stdin or sys.stdin))
    except KioskError as exc:
        print(f"kiosk: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (kiosk demo | head): not an error. Silence the final flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception:
        logger.exception("internal error")
        print("kiosk: internal error (details logged above)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
