"""The ``kiosk`` command line, in-process (``cli.main``) and as a real subprocess.

Every test works under its own ``tmp_path``: in-process calls get ``paths=Paths(...)``
built there, subprocesses get ``KIOSK_HOME`` pointing there. Nothing touches ``~``.
"""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.paths import Paths
from kiosk.verify.keys import SigningKey, load_public_key, load_signing_key

REPO = Path(__file__).resolve().parents[2]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
AT = "2021-10-01T10:00:00+07:00"

CLAIMS = {
    "holder": {"name": "Nguyễn Văn An", "birth_date": "1987-05-12", "national_id_last4": "4821"},
    "issued_at": "2021-09-01T08:00:00+07:00",
    "colour": "green",
    "vaccinations": [
        {"product": "EU/1/21/1529", "dose": 1, "series": 2, "date": "2021-07-01"},
        {"product": "EU/1/21/1529", "dose": 2, "series": 2, "date": "2021-08-15"},
    ],
}


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json_lines(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in self.out.splitlines()]


@dataclass
class Kiosk:
    """Runs ``kiosk.cli.main`` in-process with this test's own paths."""

    home: Path
    capsys: pytest.CaptureFixture[str]

    @property
    def paths(self) -> Paths:
        return Paths(data=self.home / "data", config=self.home / "config", logs=self.home / "logs")

    def __call__(self, *argv: str | Path, stdin: str | None = None) -> Result:
        self.capsys.readouterr()  # drop anything printed before
        out = io.StringIO()
        code = cli.main(
            [str(a) for a in argv],
            out=out,
            stdin=io.StringIO(stdin) if stdin is not None else io.StringIO(""),
            paths=self.paths,
        )
        captured = self.capsys.readouterr()
        return Result(code, out.getvalue() + captured.out, captured.err)


@pytest.fixture
def kiosk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Kiosk:
    return Kiosk(tmp_path / "home", capsys)


def run_subprocess(home: Path, *argv: str | Path, stdin: str = "") -> Result:
    env = {**os.environ, "KIOSK_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", *map(str, argv)],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=home.parent,
        timeout=120,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def write_claims(path: Path, claims: object = None) -> Path:
    path.write_text(json.dumps(CLAIMS if claims is None else claims, ensure_ascii=False), "utf-8")
    return path


def new_issuer(kiosk: Kiosk, stem: Path, alg: str = "ed25519") -> tuple[Path, Path]:
    result = kiosk("keys", "new-issuer", "--out", stem, "--alg", alg)
    assert result.code == 0, result.err
    return stem.with_name(stem.name + ".key"), stem.with_name(stem.name + ".pub")


def issue_card(kiosk: Kiosk, key: Path, claims: Path) -> str:
    result = kiosk("issue", "--key", key, "--claims", claims)
    assert result.code == 0, result.err
    (text,) = result.out.splitlines()
    return text


# --- keys -----------------------------------------------------------------------------------


@pytest.mark.parametrize("alg", ["ed25519", "es256"])
def test_keys_new_issuer(kiosk: Kiosk, tmp_path: Path, alg: str) -> None:
    stem = tmp_path / "keys" / "issuer"
    result = kiosk("keys", "new-issuer", "--out", stem, "--alg", alg)
    assert result.code == 0, result.err
    private, public = tmp_path / "keys" / "issuer.key", tmp_path / "keys" / "issuer.pub"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    key = load_signing_key(private)
    assert load_public_key(public).spki == key.public.spki
    assert key.public.kid.hex() in result.out
    assert str(private) in result.out


def test_keys_new_issuer_refuses_to_overwrite(kiosk: Kiosk, tmp_path: Path) -> None:
    private, _ = new_issuer(kiosk, tmp_path / "issuer")
    before = private.read_bytes()
    result = kiosk("keys", "new-issuer", "--out", tmp_path / "issuer")
    assert result.code == 2
    assert "refusing to overwrite" in result.err
    assert private.read_bytes() == before
    assert stat.S_IMODE(private.stat().st_mode) == 0o600


# --- issue and verify -----------------------------------------------------------------------


def test_issue_prints_a_card_and_writes_a_png(kiosk: Kiosk, tmp_path: Path) -> None:
    key, _ = new_issuer(kiosk, tmp_path / "issuer")
    png = tmp_path / "card.png"
    result = kiosk(
        "issue", "--key", key, "--claims", write_claims(tmp_path / "c.json"), "--png", png
    )
    assert result.code == 0, result.err
    (text,) = result.out.splitlines()
    assert text.startswith("HCM1:")
    assert png.read_bytes().startswith(PNG_SIGNATURE)
    assert png.stat().st_size > 500


def test_verify_json(kiosk: Kiosk, tmp_path: Path) -> None:
    key, pub = new_issuer(kiosk, tmp_path / "issuer")
    claims = {**CLAIMS, "card_id": "6f1c9e52-7d0b-4c55-9a43-1c2b7d6e8f90"}
    text = issue_card(kiosk, key, write_claims(tmp_path / "c.json", claims))
    result = kiosk("verify", "--trust", pub, "--json", "--at", AT, text)
    assert result.code == 0, result.err
    (decision,) = result.json_lines()
    assert decision["verdict"] == "green"
    assert decision["reason"] == "admitted_green"
    assert decision["format"] == "HCM1"
    assert decision["card_id"] == "6f1c9e52-7d0b-4c55-9a43-1c2b7d6e8f90"
    assert decision["holder"] == {"name": "Nguyễn Văn An", "birth_year": 1987, "id_last4": "4821"}
    assert decision["issued_colour"] == "green"
    assert decision["rules_version"] == "HCM-2021-09-20"
    assert decision["at"] == "2021-10-01T03:00:00+00:00"


def test_verify_red_decision_still_exits_0(kiosk: Kiosk, tmp_path: Path) -> None:
    key, pub = new_issuer(kiosk, tmp_path / "issuer")
    text = issue_card(kiosk, key, write_claims(tmp_path / "c.json"))
    result = kiosk("verify", "--trust", pub, "--json", "--at", "2023-01-01", text)
    assert result.code == 0
    (decision,) = result.json_lines()
    assert (decision["verdict"], decision["reason"]) == ("red", "expired")
    unknown = kiosk("verify", "--trust", pub, "--json", "--at", AT, "not a card")
    assert unknown.code == 0
    assert unknown.json_lines()[0]["reason"] == "unsupported_format"


def test_verify_at_without_offset_is_city_time(kiosk: Kiosk, tmp_path: Path) -> None:
    key, pub = new_issuer(kiosk, tmp_path / "issuer")
    text = issue_card(kiosk, key, write_claims(tmp_path / "c.json"))
    before = kiosk("verify", "--trust", pub, "--json", "--at", "2021-09-19T23:30", text)
    after = kiosk("verify", "--trust", pub, "--json", "--at", "2021-09-20T00:30", text)
    assert before.json_lines()[0]["rules_version"] == "HCM-2021-09-01"
    assert after.json_lines()[0]["rules_version"] == "HCM-2021-09-20"


def test_verify_text_output(kiosk: Kiosk, tmp_path: Path) -> None:
    key, pub = new_issuer(kiosk, tmp_path / "issuer")
    text = issue_card(kiosk, key, write_claims(tmp_path / "c.json"))
    result = kiosk("verify", "--trust", pub, "--at", AT, "--venue", "dine-in", text)
    assert result.code == 0
    assert "GREEN" in result.out
    assert "Nguyễn Văn An, 1987" in result.out
    assert "•••• 4821" in result.out
    assert "Trust data:" in result.err


def test_verify_reads_stdin_one_card_per_line(kiosk: Kiosk, tmp_path: Path) -> None:
    key, pub = new_issuer(kiosk, tmp_path / "issuer")
    text = issue_card(kiosk, key, write_claims(tmp_path / "c.json"))
    result = kiosk(
        "verify", "--trust", pub, "--json", "--at", AT, "-", stdin=f"{text}\r\n\ngarbage\n"
    )
    assert result.code == 0, result.err
    first, second = result.json_lines()
    assert first["verdict"] == "green"
    assert (second["verdict"], second["reason"]) == ("red", "unsupported_format")


def test_verify_venue(kiosk: Kiosk, tmp_path: Path) -> None:
    key, pub = new_issuer(kiosk, tmp_path / "issuer")
    tested = {
        "holder": {"name": "Lê Hoàng Phúc", "birth_date": "2001"},
        "issued_at": "2021-10-01T08:00:00+07:00",
        "tests": [{"type": "LP217198-3", "sampled_at": "2021-10-01T07:00:00+07:00"}],
    }
    text = issue_card(kiosk, key, write_claims(tmp_path / "t.json", tested))
    dine_in = kiosk("verify", "--trust", pub, "--json", "--at", AT, "--venue", "dine-in", text)
    market = kiosk("verify", "--trust", pub, "--json", "--at", AT, "--venue", "supermarket", text)
    assert (dine_in.json_lines()[0]["reason"], dine_in.json_lines()[0]["venue"]) == (
        "not_admitted",
        "dine-in",
    )
    assert market.json_lines()[0]["reason"] == "admitted_yellow"


# --- usage errors ------------------------------------------------------------------------------


@pytest.fixture
def issued(kiosk: Kiosk, tmp_path: Path) -> tuple[Path, Path, str]:
    key, pub = new_issuer(kiosk, tmp_path / "issuer")
    return key, pub, issue_card(kiosk, key, write_claims(tmp_path / "c.json"))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["verify", "--trust", "{pub}", "--venue", "nightclub", "{card}"], "unknown venue"),
        (["verify", "--trust", "{pub}", "--at", "yesterday", "{card}"], "--at"),
        (["verify", "--trust", "{pub}", "--at", "2021-13-01", "{card}"], "--at"),
        (["verify", "--trust", "{pub}"], "payload"),
        (["verify", "--trust", "{tmp}/missing.pub", "{card}"], "cannot read"),
        (["verify", "--trust", "{key}", "{card}"], "not a PEM or DER public key"),
        (["verify", "--bundle", "{tmp}/missing.cose", "{card}"], "root"),
        (["issue", "--key", "{key}", "--claims", "{tmp}/bad.json"], "not valid JSON"),
        (["issue", "--key", "{key}", "--claims", "{tmp}/missing.json"], "cannot read"),
        (["issue", "--key", "{key}", "--claims", "{tmp}/no-holder.json"], "holder"),
        (["issue", "--key", "{key}", "--claims", "{tmp}/naive.json"], "time zone"),
        (["issue", "--key", "{pub}", "--claims", "{tmp}/c.json"], "private key"),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
    ],
    ids=[
        "unknown-venue",
        "bad-at",
        "impossible-at",
        "missing-payload",
        "unreadable-trust",
        "private-key-as-trust",
        "bundle-without-root",
        "invalid-claims-json",
        "missing-claims",
        "claims-without-holder",
        "claims-naive-time",
        "public-key-as-issuer",
        "unknown-command",
        "no-command",
    ],
)
def test_usage_errors_exit_2(
    kiosk: Kiosk,
    tmp_path: Path,
    issued: tuple[Path, Path, str],
    argv: list[str],
    message: str,
) -> None:
    key, pub, card = issued
    (tmp_path / "bad.json").write_text("{not json", "utf-8")
    write_claims(tmp_path / "no-holder.json", {k: v for k, v in CLAIMS.items() if k != "holder"})
    write_claims(tmp_path / "naive.json", {**CLAIMS, "issued_at": "2021-09-01T08:00:00"})
    values = {"pub": str(pub), "key": str(key), "card": card, "tmp": str(tmp_path)}
    result = kiosk(*(arg.format(**values) for arg in argv))
    assert result.code == 2, (result.out, result.err)
    assert result.err.startswith("kiosk: error:")
    assert message in result.err
    assert "Traceback" not in result.err


# --- bundles and installed trust -----------------------------------------------------------


@dataclass
class Provisioned:
    root_key: Path
    root_pub: Path
    issuer_key: Path
    source: Path
    revoked_id: str


@pytest.fixture
def provisioned(kiosk: Kiosk, tmp_path: Path) -> Provisioned:
    """A city root, one issuer, and a bundle source with one revoked card id."""
    result = kiosk("keys", "new-root", "--out", tmp_path / "city" / "root")
    assert result.code == 0, result.err
    issuer_key, _ = new_issuer(kiosk, tmp_path / "city" / "issuer")
    revoked_id = str(uuid.uuid4())
    (tmp_path / "city" / "revoked.txt").write_text(f"{revoked_id}\n\n", "utf-8")
    source = tmp_path / "city" / "source.json"
    source.write_text(
        json.dumps(
            {
                "version": 1,
                "issuers": [
                    {
                        "public_key": "issuer.pub",
                        "issuer": "VN-HCM",
                        "kinds": ["v", "r", "t"],
                        "valid_from": "2021-01-01",
                        "label": "Sở Y tế",
                    }
                ],
                "revoked": "revoked.txt",
            }
        ),
        "utf-8",
    )
    return Provisioned(
        tmp_path / "city" / "root.key",
        tmp_path / "city" / "root.pub",
        issuer_key,
        source,
        revoked_id,
    )


def make_bundle_file(kiosk: Kiosk, p: Provisioned, out: Path, version: int) -> Path:
    result = kiosk(
        "bundle", "make", "--root-key", p.root_key, "--source", p.source, "--version", str(version),
        "--out", out,
    )  # fmt: skip
    assert result.code == 0, result.err
    assert f"version {version}" in result.out
    return out


def test_bundle_pin_install_verify_and_rollback(
    kiosk: Kiosk, tmp_path: Path, provisioned: Provisioned
) -> None:
    p = provisioned
    v1 = make_bundle_file(kiosk, p, tmp_path / "v1.cose", 1)
    v2 = make_bundle_file(kiosk, p, tmp_path / "v2.cose", 2)

    shown = kiosk("bundle", "show", v1, "--root", p.root_pub)
    assert shown.code == 0, shown.err
    assert "version:     1" in shown.out
    assert "revoked ids: 1" in shown.out

    assert kiosk("trust", "pin-root", p.root_pub).code == 0
    assert (kiosk.paths.trust / "root.pub").exists()
    installed = kiosk("trust", "install", v1)
    assert installed.code == 0
    assert "installed: trust bundle version 1" in installed.out
    again = kiosk("trust", "install", v1)
    assert again.code == 0
    assert "unchanged" in again.out

    card = issue_card(kiosk, p.issuer_key, write_claims(tmp_path / "c.json"))
    revoked = issue_card(
        kiosk, p.issuer_key, write_claims(tmp_path / "r.json", {**CLAIMS, "card_id": p.revoked_id})
    )
    verified = kiosk("verify", "--json", "--at", AT, "-", stdin=f"{card}\n{revoked}\n")
    assert verified.code == 0, verified.err
    green, red = verified.json_lines()
    assert (green["verdict"], green["reason"]) == ("green", "admitted_green")
    assert (red["verdict"], red["reason"]) == ("red", "revoked")
    text = kiosk("verify", "--at", AT, card)
    assert "installed bundle version 1" in text.err

    assert kiosk("trust", "install", v2).code == 0
    rollback = kiosk("trust", "install", v1)
    assert rollback.code == 2
    assert "refusing to roll back" in rollback.err
    assert "version 1" in rollback.err
    assert "version 2" in rollback.err
    status = kiosk("trust", "status")
    assert status.code == 0
    assert "version:     2" in status.out


def test_pinning_another_root_is_refused(
    kiosk: Kiosk, tmp_path: Path, provisioned: Provisioned
) -> None:
    assert kiosk("trust", "pin-root", provisioned.root_pub).code == 0
    assert kiosk("keys", "new-root", "--out", tmp_path / "other").code == 0
    refused = kiosk("trust", "pin-root", tmp_path / "other.pub")
    assert refused.code == 2
    assert "different root key" in refused.err
    replaced = kiosk("trust", "pin-root", tmp_path / "other.pub", "--replace")
    assert replaced.code == 0


def test_install_bundle_signed_by_another_root(
    kiosk: Kiosk, tmp_path: Path, provisioned: Provisioned
) -> None:
    bundle = make_bundle_file(kiosk, provisioned, tmp_path / "v1.cose", 1)
    assert kiosk("keys", "new-root", "--out", tmp_path / "other").code == 0
    assert kiosk("trust", "pin-root", tmp_path / "other.pub").code == 0
    refused = kiosk("trust", "install", bundle)
    assert refused.code == 2
    assert "pinned city root key" in refused.err
    assert not (kiosk.paths.trust / "bundle.cose").exists()


def test_verify_with_an_explicit_bundle(
    kiosk: Kiosk, tmp_path: Path, provisioned: Provisioned
) -> None:
    bundle = make_bundle_file(kiosk, provisioned, tmp_path / "v1.cose", 1)
    card = issue_card(kiosk, provisioned.issuer_key, write_claims(tmp_path / "c.json"))
    result = kiosk(
        "verify", "--bundle", bundle, "--root", provisioned.root_pub, "--json", "--at", AT, card
    )
    assert result.code == 0, result.err
    assert result.json_lines()[0]["reason"] == "admitted_green"


def test_unprovisioned_verify_uses_demo_trust_under_kiosk_home(
    kiosk: Kiosk, tmp_path: Path, issued: tuple[Path, Path, str]
) -> None:
    _, _, card = issued
    result = kiosk("verify", "--json", "--at", AT, card)
    assert result.code == 0
    assert result.json_lines()[0]["reason"] == "unknown_key"  # our issuer is not the demo's
    assert (kiosk.paths.demo / "root.key").exists()
    assert stat.S_IMODE((kiosk.paths.demo / "root.key").stat().st_mode) == 0o600


def test_verify_with_extra_trust_keeps_installed_revocations(
    kiosk: Kiosk, tmp_path: Path, provisioned: Provisioned
) -> None:
    bundle = make_bundle_file(kiosk, provisioned, tmp_path / "v1.cose", 1)
    assert kiosk("trust", "pin-root", provisioned.root_pub).code == 0
    assert kiosk("trust", "install", bundle).code == 0
    revoked = issue_card(
        kiosk,
        provisioned.issuer_key,
        write_claims(tmp_path / "r.json", {**CLAIMS, "card_id": provisioned.revoked_id}),
    )
    assert kiosk("verify", "--json", "--at", AT, revoked).json_lines()[0]["reason"] == "revoked"
    # A technician adds the issuer's key file (already in the bundle) on the command line:
    issuer_pub = provisioned.issuer_key.with_suffix(".pub")
    with_extra = kiosk("verify", "--trust", issuer_pub, "--json", "--at", AT, revoked)
    assert with_extra.json_lines()[0]["reason"] == "revoked"  # today: admitted_green


def test_bundle_make_with_a_binary_revocation_file(
    kiosk: Kiosk, tmp_path: Path, provisioned: Provisioned
) -> None:
    (provisioned.source.parent / "revoked.txt").write_bytes(b"\xff\xfe\x00\x01")
    result = kiosk(
        "bundle", "make", "--root-key", provisioned.root_key, "--source", provisioned.source,
        "--out", tmp_path / "b.cose",
    )  # fmt: skip
    assert result.code == 2


def test_bundle_make_refuses_what_kiosks_would_refuse(
    kiosk: Kiosk, tmp_path: Path, provisioned: Provisioned
) -> None:
    source = json.loads(provisioned.source.read_text("utf-8"))
    source["issuers"][0]["issuer"] = 5
    provisioned.source.write_text(json.dumps(source), "utf-8")
    result = kiosk(
        "bundle", "make", "--root-key", provisioned.root_key, "--source", provisioned.source,
        "--out", tmp_path / "b.cose",
    )  # fmt: skip
    assert result.code == 2


# --- demo ---------------------------------------------------------------------------------------


def test_demo(kiosk: Kiosk) -> None:
    result = kiosk("demo", "--text")
    assert result.code == 0, result.err
    for colour in ("GREEN", "YELLOW", "RED"):
        assert colour in result.out
    for reason in (
        "reason=revoked",
        "reason=expired",
        "reason=bad_signature",
        "reason=unknown_key",
    ):
        assert reason in result.out
    assert "reason=key_not_valid_for_card" in result.out
    assert "reason=unsupported_format" in result.out
    assert str(kiosk.paths.demo) in result.out


# --- a real process -------------------------------------------------------------------------------


def test_subprocess_keys_issue_verify(tmp_path: Path) -> None:
    home = tmp_path / "home"
    keys = run_subprocess(home, "keys", "new-issuer", "--out", tmp_path / "issuer")
    assert keys.code == 0, keys.err
    assert stat.S_IMODE((tmp_path / "issuer.key").stat().st_mode) == 0o600
    again = run_subprocess(home, "keys", "new-issuer", "--out", tmp_path / "issuer")
    assert again.code == 2
    assert "refusing to overwrite" in again.err

    png = tmp_path / "card.png"
    issued = run_subprocess(
        home, "issue", "--key", tmp_path / "issuer.key", "--claims",
        write_claims(tmp_path / "c.json"), "--png", png,
    )  # fmt: skip
    assert issued.code == 0, issued.err
    card = issued.out.strip()
    assert card.startswith("HCM1:")
    assert png.read_bytes()[:8] == PNG_SIGNATURE

    verified = run_subprocess(
        home, "verify", "--trust", tmp_path / "issuer.pub", "--json", "--at", AT, "-",
        stdin=f"{card}\nHCM1:broken\n",
    )  # fmt: skip
    assert verified.code == 0, verified.err
    green, red = verified.json_lines()
    assert green["verdict"] == "green"
    assert green["holder"]["name"] == "Nguyễn Văn An"
    assert (red["verdict"], red["reason"]) == ("red", "malformed")

    usage = run_subprocess(home, "verify", "--trust", tmp_path / "issuer.pub", "--at", "noon", card)
    assert usage.code == 2
    assert "Traceback" not in usage.err


def test_subprocess_demo(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = run_subprocess(home, "demo", "--text")
    assert result.code == 0, result.err
    assert all(colour in result.out for colour in ("GREEN", "YELLOW", "RED"))
    assert (home / "data" / "demo" / "root.key").exists()  # KIOSK_HOME, not the user's home


def test_subprocess_rollback_message(
    tmp_path: Path, kiosk: Kiosk, provisioned: Provisioned
) -> None:
    home = tmp_path / "subprocess-home"
    v1 = make_bundle_file(kiosk, provisioned, tmp_path / "v1.cose", 1)
    v2 = make_bundle_file(kiosk, provisioned, tmp_path / "v2.cose", 2)
    assert run_subprocess(home, "trust", "pin-root", provisioned.root_pub).code == 0
    assert run_subprocess(home, "trust", "install", v2).code == 0
    refused = run_subprocess(home, "trust", "install", v1)
    assert refused.code == 2
    assert refused.err.strip() == (
        "kiosk: error: bundle version 1 is older than version 2 already accepted; "
        "refusing to roll back"
    )


def test_a_provisioned_kiosk_without_a_bundle_never_uses_the_demo_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.demo import demo_cards, demo_kit

    paths = Paths(data=tmp_path / "d", config=tmp_path / "c", logs=tmp_path / "l")
    kit = demo_kit(paths)
    demo_green = demo_cards(kit, datetime.now(UTC))[0].text
    root = tmp_path / "root.pub"
    root.write_bytes(SigningKey.generate().public.pem())
    assert cli.main(["trust", "pin-root", str(root)], out=io.StringIO(), paths=paths) == 0
    out = io.StringIO()
    assert cli.main(["verify", "--json", demo_green], out=out, paths=paths) == 0
    assert json.loads(out.getvalue())["reason"] == "unknown_key"
    assert "NO trust bundle installed" in capsys.readouterr().err


# --- revocation lists in other spellings (issue 10.1) ------------------------------------------


def test_a_revocation_file_in_other_spellings_revokes_the_cards(
    kiosk: Kiosk, tmp_path: Path, provisioned: Provisioned
) -> None:
    """Upper case, {braces}, no hyphens: each still revokes its card, end to end."""
    ids = [str(uuid.uuid4()) for _ in range(3)]
    spellings = [ids[0].upper(), "{" + ids[1] + "}", ids[2].replace("-", "").upper()]
    (provisioned.source.parent / "revoked.txt").write_text("\n".join(spellings) + "\n", "utf-8")
    bundle = make_bundle_file(kiosk, provisioned, tmp_path / "v1.cose", 1)
    shown = kiosk("bundle", "show", bundle, "--root", provisioned.root_pub)
    assert "revoked ids: 3" in shown.out, shown.out
    for number, card_id in enumerate([*ids, str(uuid.uuid4())]):
        claims = write_claims(tmp_path / f"c{number}.json", {**CLAIMS, "card_id": card_id})
        card = issue_card(kiosk, provisioned.issuer_key, claims)
        result = kiosk(
            "verify", "--bundle", bundle, "--root", provisioned.root_pub, "--json", "--at", AT, card
        )
        expected = "revoked" if card_id in ids else "admitted_green"
        assert result.json_lines()[0]["reason"] == expected, (card_id, result.out)


def test_bundle_make_refuses_a_revocation_line_that_is_no_card_id(
    kiosk: Kiosk, tmp_path: Path, provisioned: Provisioned
) -> None:
    revoked = provisioned.source.parent / "revoked.txt"
    revoked.write_text(f"{uuid.uuid4()}\n\nKIOSK-0042 (revoked by phone)\n", "utf-8")
    result = kiosk(
        "bundle", "make", "--root-key", provisioned.root_key, "--source", provisioned.source,
        "--out", tmp_path / "b.cose",
    )  # fmt: skip
    assert result.code == 2
    assert "line 3" in result.err, result.err
    assert str(revoked) in result.err
    assert not (tmp_path / "b.cose").exists()
