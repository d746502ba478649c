"""The ``kiosk`` command line: verify, issue, keys, bundles, trust data and the demo.

Exit status: 0 when the command did its work (for ``verify``: a decision was made,
whatever its verdict); 2 when it could not (bad arguments, unreadable or invalid
files); 1 for an internal error, which is also logged.
"""

from __future__ import annotations

import argparse
import json
import logging
import logging.handlers
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from kiosk import pipeline
from kiosk.cli_provision import add_provision_commands, category_help
from kiosk.decision import Decision
from kiosk.demo import builtin_document, demo_cards, demo_kit
from kiosk.domain import CITY_TZ
from kiosk.errors import ClaimsError, KioskError, UsageError
from kiosk.issuing import card_from_claims, issue
from kiosk.paths import Paths
from kiosk.policy import VenueCategory
from kiosk.reasons import REASONS
from kiosk.store.log import CheckInLog
from kiosk.sync.device import Enrollment
from kiosk.trustdata import TrustData, load_trust
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
from kiosk.verify.revocation import RevocationList, listed_card_ids
from kiosk.verify.trustfile import bind_issuer, load_trust_file
from kiosk.verify.truststore import IssuerKey, TrustStore

if TYPE_CHECKING:
    from kiosk.scanner.decoders import QrDecoder
    from kiosk.station import CheckInResult

logger = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        where = self.prog.removeprefix("kiosk").strip()  # "verify", or the top level
        raise UsageError(f"{where}: {message}" if where else message)


def _moment(text: str, what: str = "--at") -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"{what} {text!r} is not an ISO-8601 date or date-time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CITY_TZ)
    if not 1971 <= moment.year <= 2099:
        raise UsageError(f"{what} {text!r} is outside the years 1971 to 2099")
    return moment.astimezone(UTC)


def _log_to_file(paths: Paths, verbose: bool) -> None:
    """Logs go to stderr (warnings; everything with -v) and to ``<logs>/kiosk.log``
    (information and up, rotated at 5 MB, 5 files kept)."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    console = logging.StreamHandler()
    console.setLevel(logging.INFO if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(console)
    try:
        paths.logs.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            paths.logs / "kiosk.log", maxBytes=5_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError as exc:
        logging.getLogger(__name__).warning("cannot write logs to %s: %s", paths.logs, exc)
        return
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    )
    root.addHandler(handler)


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
    extra = TrustStore(key for p in args.trust or () for key in load_trust_file(p))
    if args.bundle:
        root = load_public_key(args.root) if args.root else InstalledTrust(paths.trust).root()
        if root is None:
            raise UsageError("--bundle needs the city root key: --root PUB, or pin one first")
        bundle = open_bundle(_read_bytes(args.bundle, "bundle"), root)
        data = TrustData.from_bundle(bundle, f"bundle {args.bundle} (version {bundle.version})")
    elif args.trust and InstalledTrust(paths.trust).root() is None:
        data = TrustData.nothing("", provisioned=False)  # only the given keys
    else:
        data = load_trust(paths, now)
    trust, rules, venues, revocations = data.trust, data.rules, data.venues, data.revocations
    source = data.source
    if args.trust:
        trust = trust.merged(extra)
        source = (
            f"{source}, plus {len(extra)} key(s) from --trust"
            if source
            else f"{len(extra)} key(s) from --trust, built-in rules"
        )
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


def _issuers_from_source(raw: object, base: Path) -> list[IssuerKey]:
    """One source entry: ``public_key`` (a city issuer key, scoped by the entry) or
    ``trust_file`` (a DSC certificate or a JWKS: keys scoped as the file says, bound to
    the entry's ``issuer``, which an SHC JWKS needs)."""
    if isinstance(raw, dict) and isinstance(raw.get("trust_file"), str):
        issuer = raw.get("issuer")
        if not (issuer is None or (isinstance(issuer, str) and issuer)):
            raise UsageError("trust_file 'issuer' must be text (the iss its cards carry)")
        keys = bind_issuer(load_trust_file(base / raw["trust_file"]), issuer, raw["trust_file"])
        label = raw.get("label")
        return [replace(key, label=str(label)) if label else key for key in keys]
    return [_issuer_from_source(raw, base)]


def _issuer_from_source(raw: object, base: Path) -> IssuerKey:
    if not isinstance(raw, dict) or not isinstance(raw.get("public_key"), str):
        raise UsageError("each issuer in the bundle source needs a public_key or trust_file path")
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
        revoked_ids = listed_card_ids(text, str(path))
    version = args.version if args.version is not None else source.get("version")
    if type(version) is not int or version < 1:
        raise UsageError("a bundle needs a positive integer version (--version N)")
    try:
        data = make_bundle(
            load_signing_key(args.root_key),
            version=version,
            issued_at=datetime.now(UTC),
            issuers=[
                key for raw in source.get("issuers", []) for key in _issuers_from_source(raw, base)
            ],
            rules=document("rules"),
            venues=document("venues"),
            revocations=RevocationList.from_ids(revoked_ids),
        )
    except (TypeError, ValueError, OverflowError) as exc:  # odd values in the source file
        raise UsageError(f"bundle source {args.source}: {exc}") from exc
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


# --- scanning ---------------------------------------------------------------------------


def _decoder(args: argparse.Namespace, paths: Paths) -> QrDecoder:
    from kiosk.config import Settings
    from kiosk.scanner.decoders import make_decoder

    return make_decoder(args.decoder or Settings.load(paths).decoder)


def cmd_scan_image(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
    from kiosk.scanner.sources import read_image

    decoder = _decoder(args, paths)
    failed = 0
    for path in args.files:
        image = read_image(path)
        if image is None:
            failed += 1
            print(f"kiosk: {path}: not a readable image file", file=sys.stderr)
            if args.json:
                failure = {"file": str(path), "error": "not a readable image file"}
                out.write(json.dumps(failure) + "\n")
            continue
        texts = [code.decode("utf-8", "replace") for code in decoder.decode(image)]
        if args.json:
            record: dict[str, object] = {"file": str(path), "decoder": decoder.name, "texts": texts}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            out.write(f"{path}: {len(texts)} QR code(s)\n")
            for text in texts:
                out.write(f"  {text}\n")
    return 2 if failed else 0


def scan_json(result: CheckInResult, latency: float) -> dict[str, object]:
    """One line of ``kiosk scan --json``. A decision that was not recorded reads
    ``"verdict": "error"``, ``"reason": "not_recorded"`` (what it would have been is in
    ``decided``): nobody may be let in on it, so it must not read as green."""
    record = decision_json(result.decision) | {
        "latency_ms": round(latency * 1e3, 2),
        "recorded": result.record.uuid if result.record else None,
        "record_error": result.error,
    }
    if result.record is None and result.error is not None:
        record |= {
            "verdict": "error",
            "reason": "not_recorded",
            "error_code": result.error_code.value if result.error_code else None,
            "decided": result.decision.verdict.value,
        }
    return record


def cmd_scan(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
    import time as _time

    from kiosk.config import Settings
    from kiosk.scanner.loop import Debouncer, ScanEvent, ScanLoop
    from kiosk.scanner.select import (
        is_payload_source,
        open_frame_source,
        open_payload_source,
    )
    from kiosk.scanner.sources import SourceState
    from kiosk.station import Station

    settings = Settings.load(paths)
    spec = args.source or settings.camera
    if spec == "synthetic":
        from kiosk.provisioning import demo_camera_problem

        problem = demo_camera_problem(paths)
        if problem is not None:
            raise UsageError(problem)
    args.venue = args.venue or settings.venue_category
    args.trust, args.bundle, args.root = None, None, None
    decisions = 0

    def decide(payload: bytes) -> CheckInResult:
        return station.check_in(payload)

    def show(event: ScanEvent[CheckInResult]) -> None:
        nonlocal decisions
        decisions += 1
        result = event.result
        if args.json:
            record = scan_json(result, event.latency)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif result.error:
            out.write(f"✘ NOT RECORDED — {result.error}. Call the manager.\n")
        else:
            _print_decision(result.decision, out)
        out.flush()

    context, source_note = _context(args, paths, datetime.now(UTC))
    log = open_log(paths)
    station = Station(lambda: context, log, lambda: datetime.now(UTC))
    print(f"Trust data: {source_note}", file=sys.stderr)
    debouncer = Debouncer(settings.debounce_seconds)
    deadline = _time.monotonic() + args.seconds if args.seconds else float("inf")

    def done() -> bool:
        enough = bool(args.max_decisions) and decisions >= args.max_decisions
        return enough or _time.monotonic() > deadline

    if is_payload_source(spec):
        payloads = open_payload_source(spec, stdin=stdin)
        print(f"Scanning from {payloads.name}; Ctrl-C stops.", file=sys.stderr)
        try:
            while not done() and payloads.state is not SourceState.ENDED:
                payload = payloads.read_payload(timeout=0.5)
                if payload is not None and debouncer.admit(payload, _time.monotonic()):
                    start = _time.monotonic()
                    decision = decide(payload)
                    show(ScanEvent(payload, decision, 0, _time.monotonic() - start))
        finally:
            payloads.close()
        return 0
    demo_texts: list[str] = []
    if spec == "synthetic":
        kit = demo_kit(paths)
        demo_texts = [card.text for card in demo_cards(kit, datetime.now(UTC))]
    source = open_frame_source(
        spec,
        resolution=(settings.camera_width, settings.camera_height),
        demo_texts=demo_texts,
    )
    decoder = _decoder(args, paths)
    loop: ScanLoop[CheckInResult] = ScanLoop(
        source,
        decoder,
        decide,
        debouncer=debouncer,
        on_event=show,
        on_state=lambda state: print(f"{source.name}: {state.value}", file=sys.stderr),
        max_events=args.max_decisions or None,
    )
    print(f"Scanning {source.name} with {decoder.name}; Ctrl-C stops.", file=sys.stderr)
    loop.start()
    try:
        while not loop.wait(0.2) and _time.monotonic() <= deadline:
            pass
    finally:
        loop.stop()
    print(
        f"{loop.frames} frames decoded, {loop.dropped} stale frames skipped, {decisions} decisions",
        file=sys.stderr,
    )
    return 0


# --- the check-in log and sync ---------------------------------------------------------------


def open_log(paths: Paths) -> CheckInLog:
    """This kiosk's check-in log. Before enrollment its records say kiosk ``local`` (or
    ``demo`` when the demo's keys judge them: those never reach the platform)."""
    from kiosk.runtime import log_owner

    enrollment = Enrollment.load(paths.data / "enrollment.json")
    demo = InstalledTrust(paths.trust).root() is None
    # Judged with the demo's keys (no root pinned), a check-in is the demo's even on an
    # enrolled kiosk: it never reaches the platform.
    log = CheckInLog.open(paths.data, **log_owner(enrollment, demo=demo))
    if enrollment is not None and not demo:
        log.adopt(enrollment.kiosk_id, enrollment.venue_id)
    return log


def cmd_enroll(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
    """``kiosk provision --platform --token`` alone: the same application step."""
    from kiosk import provisioning
    from kiosk.cli_provision import RESTART_NOTE, print_enrollment

    print_enrollment(
        provisioning.enroll(
            paths,
            args.platform,
            args.token,
            args.venue,
            args.name or "",
            allow_http=args.allow_http,
        ),
        out,
    )
    out.write(f"{RESTART_NOTE}\n")
    return 0


def cmd_sync(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
    from kiosk.sync.client import PlatformClient
    from kiosk.sync.device import device_key
    from kiosk.sync.worker import SyncState, SyncWorker

    state_path = paths.data / "sync-state.json"
    log = open_log(paths)
    if args.status:
        state = SyncState.load(state_path)
        drift = "unknown" if state.drift_ms is None else f"{state.drift_ms / 1000:+.1f} s"
        status = {
            "queue": log.queue_length(),
            "refused": log.refused_count(),
            "damaged": log.damaged_count(),
            "log_problem": log.problem,
            "last_success": state.last_success,
            "last_error": state.last_error,
            "drift": drift,
            "drift_warning": state.drift_warning,
            "bundle_version": state.bundle_version,
        }
        if args.json:
            out.write(json.dumps(status) + "\n")
        else:
            for name, value in status.items():
                out.write(f"{name + ':':16}{value if value is not None else '-'}\n")
        return 0
    enrollment = Enrollment.load(paths.data / "enrollment.json")
    if enrollment is None:
        raise UsageError("this kiosk is not enrolled: kiosk enroll --platform URL --token T")
    client = PlatformClient(
        enrollment.platform_url, key=device_key(paths.data / "keys"), kiosk_id=enrollment.kiosk_id
    )
    try:
        report = SyncWorker(log, client, state_path, trust=InstalledTrust(paths.trust)).sync_once()
    finally:
        client.close()
    if args.json:
        out.write(json.dumps(asdict(report)) + "\n")
    else:
        out.write(
            f"uploaded {report.uploaded}, already there {report.duplicates}, "
            f"refused {report.refused}, waiting {report.remaining}\n"
        )
        if report.bundle:
            out.write(f"{report.bundle}\n")
        if report.drift_ms is not None:
            out.write(f"clock drift: {report.drift_ms / 1000:+.1f} s\n")
        for note in report.notes:
            out.write(note + "\n")
        if report.error:
            out.write(f"sync failed: {report.error}\n")
    return 0 if report.ok else 1


# --- demo -----------------------------------------------------------------------------


def _has_display() -> bool:
    return bool(
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    )


def _run_app(paths: Paths, args: argparse.Namespace, *, demo_of: Paths | None = None) -> int:
    """``demo_of``: the real kiosk's paths, when ``paths`` are the demo kiosk's."""
    from kiosk.runtime import KioskRuntime
    from kiosk.ui.app import run_app

    runtime = KioskRuntime(paths)
    provisioned = None
    if demo_of is not None:
        real_trust = InstalledTrust(demo_of.trust)
        provisioned = lambda: real_trust.root() is not None  # noqa: E731
    try:
        return run_app(
            runtime,
            fullscreen=not args.windowed,
            seconds=args.seconds,
            provisioned=provisioned,
            setup_paths=demo_of,
        )
    finally:
        runtime.close()


def _exit_on_sigterm() -> None:
    """SIGTERM ends the command as Ctrl-C does, through every ``finally`` and ``with``
    (the demo's platform process is stopped), instead of killing it where it stands."""

    def terminate(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)


def cmd_run(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
    """The kiosk app; the demo when this kiosk is not provisioned."""
    _exit_on_sigterm()
    if InstalledTrust(paths.trust).root() is None:
        print("This kiosk is not provisioned: starting the demo.", file=sys.stderr)
        return cmd_demo(args, paths, out, stdin)
    if not _has_display():
        raise UsageError("no display to show the kiosk on (DISPLAY is not set)")
    return _run_app(paths, args)


def cmd_demo(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
    """The whole app on the demo camera with a reference platform on loopback."""
    _exit_on_sigterm()
    if not args.text and not _has_display():
        print(
            "No display (DISPLAY is not set): showing the demo on the terminal instead.\n"
            "Run it on a desktop for the kiosk app, or: QT_QPA_PLATFORM=offscreen kiosk demo",
            file=sys.stderr,
        )
        args.text = True
    if args.text:
        return cmd_demo_text(args, paths, out, stdin)
    from kiosk.demo_env import DemoEnvironment
    from kiosk.ui.app import RESTART_AS_KIOSK

    with DemoEnvironment(paths) as demo:
        print(
            f"Demo platform at {demo.url}; demo kiosk data in {demo.kiosk_paths.data}",
            file=sys.stderr,
        )
        code = _run_app(demo.kiosk_paths, args, demo_of=paths)
    if code == RESTART_AS_KIOSK and InstalledTrust(paths.trust).root() is not None:
        # The technician's wizard, opened in the demo, provisioned this kiosk.
        print("This kiosk is provisioned now: starting it.", file=sys.stderr)
        return _run_app(paths, args)
    return code


def cmd_demo_text(args: argparse.Namespace, paths: Paths, out: TextIO, stdin: TextIO) -> int:
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
    verify.add_argument(
        "--trust",
        type=Path,
        action="append",
        help="also trust an issuer key file: public key, DSC certificate (PEM/DER) or JWKS",
    )
    verify.add_argument("--bundle", type=Path, help="use this signed trust bundle")
    verify.add_argument("--root", type=Path, help="city root public key for --bundle")
    verify.add_argument("--venue", metavar="CATEGORY", help=category_help())
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

    decoders = ("auto", "zxing", "pyzbar")
    scan_image = commands.add_parser("scan-image", help="decode QR codes in image files")
    scan_image.add_argument("files", type=Path, nargs="+", metavar="FILE")
    scan_image.add_argument("--json", action="store_true", help="one JSON object per file")
    scan_image.add_argument("--decoder", choices=decoders, help="default: the configured one")
    scan_image.set_defaults(run=cmd_scan_image)

    scan = commands.add_parser("scan", help="scan from a camera or scanner and decide")
    scan.add_argument(
        "--source",
        metavar="SOURCE",
        help="N (a camera index), /dev/videoN, video:FILE, folder:DIR, stdin, "
        "serial:PORT[@BAUD], or synthetic (the demo camera: not on a provisioned kiosk); "
        "default: the configured camera",
    )
    scan.add_argument("--decoder", choices=decoders, help="default: the configured one")
    scan.add_argument(
        "--venue", metavar="CATEGORY", help=category_help() + "; default: the configured one"
    )
    scan.add_argument("--json", action="store_true", help="one JSON object per decision")
    scan.add_argument("--max-decisions", type=int, default=0, help="stop after N decisions")
    scan.add_argument("--seconds", type=float, default=0, help="stop after S seconds")
    scan.set_defaults(run=cmd_scan)

    enroll = commands.add_parser(
        "enroll",
        help="enroll this kiosk with the city platform (the root key pinned first)",
        description="Enroll with the platform and install its trust bundle (exit status 2, "
        "with the reason, when there is none or it does not verify). The city root key "
        "must be pinned first (kiosk trust pin-root).",
    )
    enroll.add_argument("--platform", required=True, help="platform URL, e.g. https://…")
    enroll.add_argument("--token", required=True, help="the one-time enrollment token")
    enroll.add_argument("--venue", required=True, help="the venue id the token is for")
    enroll.add_argument(
        "--name", help="a name for this kiosk, e.g. Entrance A (default: the venue's name)"
    )
    enroll.add_argument(
        "--allow-http",
        action="store_true",
        help="allow a plain http:// platform on another machine (loopback always is)",
    )
    enroll.set_defaults(run=cmd_enroll)

    sync = commands.add_parser("sync", help="one sync pass with the platform, or --status")
    sync.add_argument("--status", action="store_true", help="queue, last success, drift")
    sync.add_argument("--json", action="store_true")
    sync.set_defaults(run=cmd_sync)

    for name, run, words in (
        ("run", cmd_run, "the kiosk app (the demo when this kiosk is not provisioned)"),
        ("demo", cmd_demo, "the app on the demo camera, with a demo platform on loopback"),
    ):
        app_cmd = commands.add_parser(name, help=words)
        app_cmd.add_argument("--windowed", action="store_true", help="not full screen")
        app_cmd.add_argument("--seconds", type=float, default=0, help="close after S seconds")
        app_cmd.add_argument(
            "--text", action="store_true", help="the demo on the terminal, without the app"
        )
        app_cmd.set_defaults(run=run)
    add_provision_commands(commands, _Parser)
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
        paths = paths or Paths.default()
        if not logging.getLogger().handlers:  # not when embedded (tests) with logging set up
            _log_to_file(paths, args.verbose)
        return int(args.run(args, paths, out, stdin or sys.stdin))
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
