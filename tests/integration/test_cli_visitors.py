"""``kiosk verify --trust`` with a visitor's trust file: a DSC certificate (PEM or DER)
for an EU DCC, a JWKS for a SMART Health Card (in-process ``cli.main``, own paths)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from visitors import SHC_ISSUER, make_dsc, make_shc_issuer, shc_payload

from kiosk import cli
from kiosk.paths import Paths

AT = "2021-10-01T10:00:00+07:00"


def verify(tmp_path: Path, *argv: str | Path) -> tuple[int, list[dict[str, object]]]:
    home = tmp_path / "home"
    paths = Paths(data=home / "data", config=home / "config", logs=home / "logs")
    out = io.StringIO()
    code = cli.main(["verify", *map(str, argv)], out=out, stdin=io.StringIO(""), paths=paths)
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.parametrize("encoding", ["pem", "der"])
def test_dcc_with_its_signing_certificate(tmp_path: Path, encoding: str) -> None:
    dsc = make_dsc()
    path = tmp_path / f"dsc.{encoding}"
    if encoding == "pem":
        path.write_bytes(x509.load_der_x509_certificate(dsc.der).public_bytes(Encoding.PEM))
    else:
        path.write_bytes(dsc.der)
    code, (result,) = verify(tmp_path, "--trust", path, "--json", "--at", AT, dsc.issue())
    assert code == 0
    assert result["verdict"] == "green", result
    assert result["format"] == "HC1"
    assert result["card_id"] == "URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B"


def test_shc_with_its_jwks(tmp_path: Path) -> None:
    issuer = make_shc_issuer(issuer=None)
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [issuer.jwk]}), "utf-8")
    chunked = issuer.issue(chunks=2)  # one argument, the chunks one per line
    for text in (issuer.issue(), chunked):
        code, (result,) = verify(tmp_path, "--trust", path, "--json", "--at", AT, text)
        assert code == 0
        assert result["verdict"] == "green", result
        assert result["format"] == "SHC"


def test_a_trust_file_of_the_wrong_kind_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello", "utf-8")
    code, _ = verify(tmp_path, "--trust", path, "--json", "--at", AT, "HC1:NCF")
    assert code == 2


def test_a_bundle_made_from_visitor_trust_files_verifies_both(tmp_path: Path) -> None:
    from kiosk.verify.keys import SigningKey, write_key_pair

    dsc, shc = make_dsc(), make_shc_issuer(issuer=None)
    (tmp_path / "dsc.der").write_bytes(dsc.der)
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [shc.jwk]}), "utf-8")
    write_key_pair(SigningKey.generate(), tmp_path / "root")
    source = {
        "issuers": [
            {"trust_file": "dsc.der", "label": "AT DSC"},
            {"trust_file": "jwks.json", "issuer": SHC_ISSUER},
        ]
    }
    (tmp_path / "source.json").write_text(json.dumps(source), "utf-8")
    home = tmp_path / "home"
    paths = Paths(data=home / "data", config=home / "config", logs=home / "logs")
    bundle = tmp_path / "bundle.cose"
    made = cli.main(
        ["bundle", "make", "--root-key", str(tmp_path / "root.key"), "--source",
         str(tmp_path / "source.json"), "--version", "3", "--out", str(bundle)],
        out=io.StringIO(), paths=paths,
    )  # fmt: skip
    assert made == 0
    for text, fmt in ((dsc.issue(), "HC1"), (shc.issue(), "SHC")):
        out = io.StringIO()
        argv = ["verify", "--bundle", str(bundle), "--root", str(tmp_path / "root.pub")]
        assert cli.main([*argv, "--json", "--at", AT, text], out=out, paths=paths) == 0
        result = json.loads(out.getvalue())
        assert (result["verdict"], result["format"]) == ("green", fmt), result


def make_bundle(
    tmp_path: Path, source: dict[str, object], revoked: str | None = None, *, exit_code: int = 0
) -> Path:
    """``kiosk bundle make`` from ``source`` (and ``revoked.txt``) in ``tmp_path``."""
    from kiosk.verify.keys import SigningKey, write_key_pair

    if not (tmp_path / "root.key").exists():
        write_key_pair(SigningKey.generate(), tmp_path / "root")
    if revoked is not None:
        (tmp_path / "revoked.txt").write_text(revoked, "utf-8")
        source = {**source, "revoked": "revoked.txt"}
    (tmp_path / "source.json").write_text(json.dumps(source), "utf-8")
    bundle = tmp_path / "bundle.cose"
    home = tmp_path / "home"
    paths = Paths(data=home / "data", config=home / "config", logs=home / "logs")
    made = cli.main(
        ["bundle", "make", "--root-key", str(tmp_path / "root.key"), "--source",
         str(tmp_path / "source.json"), "--version", "3", "--out", str(bundle)],
        out=io.StringIO(), paths=paths,
    )  # fmt: skip
    assert made == exit_code
    return bundle


def verify_with_bundle(tmp_path: Path, bundle: Path, text: str) -> dict[str, object]:
    code, (result,) = verify(
        tmp_path, "--bundle", bundle, "--root", tmp_path / "root.pub", "--json", "--at", AT, text
    )
    assert code == 0
    return result


def test_visitors_revoked_in_other_spellings(tmp_path: Path) -> None:
    """A UVCI without its prefix and in lower case, an SHC issuer URL with upper-case host
    and a trailing slash: each still revokes its card (issue 10.1)."""
    dsc, issuer = make_dsc(), make_shc_issuer()
    (tmp_path / "dsc.der").write_bytes(dsc.der)
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [issuer.jwk]}), "utf-8")
    source = {
        "issuers": [
            {"trust_file": "dsc.der"},
            {"trust_file": "jwks.json", "issuer": SHC_ISSUER},
        ]
    }
    revoked = "01:at:10807843f94aee0ee5093fbc254bd813#b\nHTTPS://HEALTH.EXAMPLE.ORG/issuer/#rid1\n"
    bundle = make_bundle(tmp_path, source, revoked)
    shc_revoked, shc_other = (issuer.issue(shc_payload(rid=rid)) for rid in ("rid1", "RID1"))
    for text, reason in (
        (dsc.issue(), "revoked"),  # ci URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B
        (shc_revoked, "revoked"),
        (shc_other, "admitted_green"),  # a rid is case-sensitive: another card
    ):
        result = verify_with_bundle(tmp_path, bundle, text)
        assert result["reason"] == reason, result


ISSUER_A = "https://a.example.org/shc"
ISSUER_B = "https://b.example.org/shc"


def test_an_shc_key_vouches_only_for_cards_naming_its_issuer(tmp_path: Path) -> None:
    """Issue 10.3: A's key signing a card that names B is red, though both are trusted."""
    a, b = make_shc_issuer(issuer=None), make_shc_issuer(issuer=None)
    (tmp_path / "a.json").write_text(json.dumps({"keys": [a.jwk]}), "utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"keys": [b.jwk]}), "utf-8")
    source = {
        "issuers": [
            {"trust_file": "a.json", "issuer": ISSUER_A},
            {"trust_file": "b.json", "issuer": ISSUER_B},
        ]
    }
    bundle = make_bundle(tmp_path, source)
    for signer, iss, reason in (
        (a, ISSUER_A, "admitted_green"),
        (b, ISSUER_B, "admitted_green"),
        (a, ISSUER_B, "key_not_valid_for_card"),
        (b, ISSUER_A, "key_not_valid_for_card"),
    ):
        result = verify_with_bundle(tmp_path, bundle, signer.issue(shc_payload(iss=iss)))
        assert result["reason"] == reason, (iss, result)
    assert result["verdict"] == "red"


def test_an_shc_jwks_without_its_issuer_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A JWKS does not say whose keys it holds: bundle make asks for "issuer"."""
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [make_shc_issuer().jwk]}), "utf-8")
    bundle = make_bundle(tmp_path, {"issuers": [{"trust_file": "jwks.json"}]}, exit_code=2)
    assert not bundle.exists()
    err = capsys.readouterr().err
    assert "jwks.json" in err
    assert '"issuer"' in err


def test_a_dsc_trust_file_needs_no_issuer_and_may_be_given_one(tmp_path: Path) -> None:
    dsc = make_dsc()
    (tmp_path / "dsc.der").write_bytes(dsc.der)
    bundle = make_bundle(tmp_path, {"issuers": [{"trust_file": "dsc.der", "issuer": "AT"}]})
    assert verify_with_bundle(tmp_path, bundle, dsc.issue())["reason"] == "admitted_green"
    other = verify_with_bundle(tmp_path, bundle, dsc.issue(iss="DE"))
    assert other["reason"] == "key_not_valid_for_card"
