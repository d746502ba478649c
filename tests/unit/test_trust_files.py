"""Trust material for visitors' passes: X.509 signing certificates, JWKS, CRLs, bundles,
and ``load_trust_file`` behind ``kiosk verify --trust``."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from helpers import bundle_bytes
from visitors import DSC_FROM, DSC_UNTIL, make_dsc, make_shc_issuer

from kiosk.domain import Algorithm, CardKind
from kiosk.errors import BundleError, KeyFileError, TrustError
from kiosk.formats import cbor, cose
from kiosk.verify import certificates, jwks
from kiosk.verify.bundle import make_bundle, open_bundle
from kiosk.verify.keys import SigningKey
from kiosk.verify.revocation import RevocationList
from kiosk.verify.trustfile import bind_issuer, load_trust_file
from kiosk.verify.truststore import ALL_KINDS

HEALTH = "1.3.6.1.4.1.1847.2021.1"
HEALTH_ALT = "1.3.6.1.4.1.0.1847.2021.1"


def pem(der: bytes) -> bytes:
    return x509.load_der_x509_certificate(der).public_bytes(Encoding.PEM)


# --- certificates -------------------------------------------------------------------------------


def test_dsc_kid_is_the_hash_of_the_certificate() -> None:
    dsc = make_dsc()
    assert dsc.kid == hashlib.sha256(dsc.der).digest()[:8]
    assert dsc.trusted.certificate == dsc.der
    assert dsc.trusted.valid_from == DSC_FROM
    assert dsc.trusted.valid_until == DSC_UNTIL
    assert dsc.trusted.formats == {"HC1"}
    assert dsc.trusted.issuer is None


@pytest.mark.parametrize(
    ("kinds", "extra", "expected"),
    [
        (None, (), ALL_KINDS),
        ({CardKind.TEST}, (), {CardKind.TEST}),
        ({CardKind.VACCINATION, CardKind.RECOVERY}, (), {CardKind.VACCINATION, CardKind.RECOVERY}),
        (set(), (f"{HEALTH_ALT}.2",), {CardKind.VACCINATION}),  # the alternative arc
        (set(), ("2.23.136.1.1.14.2",), set()),  # only ICAO's document signer: no kind
        ({CardKind.TEST}, ("1.3.6.1.5.5.7.3.2",), {CardKind.TEST}),
    ],
    ids=["no-eku", "test", "vaccination-recovery", "alternative-oid", "foreign-only", "mixed"],
)
def test_extended_key_usage_limits_the_kinds(
    kinds: set[CardKind] | None, extra: tuple[str, ...], expected: set[CardKind]
) -> None:
    dsc = make_dsc(kinds=kinds, extra_usage=extra)
    assert dsc.trusted.kinds == expected


def test_rsa_and_ec_certificates() -> None:
    assert make_dsc(Algorithm.PS256).trusted.key.algorithm is Algorithm.PS256
    assert make_dsc(Algorithm.ES256).trusted.key.algorithm is Algorithm.ES256


@pytest.mark.parametrize("data", [b"", b"\x30\x03\x02\x01\x01", b"not a certificate" * 10])
def test_garbage_is_no_certificate(data: bytes) -> None:
    with pytest.raises(KeyFileError):
        certificates.parse_certificate(data)


def test_certificate_chain_links() -> None:
    root_key, leaf_key = SigningKey.generate(Algorithm.ES256), SigningKey.generate(Algorithm.ES256)
    root = certificates.make_certificate(root_key, subject="Root")
    leaf = certificates.make_certificate(
        leaf_key, subject="Leaf", signer=root_key, signer_subject="Root"
    )
    certificates.check_chain([leaf, root])
    with pytest.raises(KeyFileError, match="not signed by the next"):
        certificates.check_chain([root, leaf])


# --- JWKS and CRLs ------------------------------------------------------------------------------


def test_thumbprint_matches_rfc_7638_example_shape() -> None:
    issuer = make_shc_issuer()
    jwk = issuer.jwk
    canonical = json.dumps(
        {k: jwk[k] for k in ("crv", "kty", "x", "y")}, separators=(",", ":"), sort_keys=True
    )
    digest = hashlib.sha256(canonical.encode()).digest()
    assert jwk["kid"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert issuer.trusted.kid == jwk["kid"].encode()


def test_the_published_example_kids_are_thumbprints() -> None:
    """The SMART Health Cards spec's example key (its kid is its thumbprint)."""
    jwk = {
        "kty": "EC",
        "kid": "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s",
        "use": "sig",
        "alg": "ES256",
        "crv": "P-256",
        "x": "11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw",
        "y": "eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8",
    }
    (key,) = jwks.issuer_keys_from_jwks({"keys": [jwk]})
    assert key.kid == jwk["kid"].encode()
    assert key.formats == {"SHC"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kid": "not-the-thumbprint"}, "thumbprint"),
        ({"d": "c2VjcmV0"}, "private key"),
        ({"crv": "P-384"}, "P-256"),
        ({"x": "AAAA"}, "32 bytes"),
        ({"x": "!!"}, "base64url"),
        ({"y": "_" * 43}, "not a P-256"),
    ],
)
def test_bad_jwks_keys_are_refused(change: dict[str, str], message: str) -> None:
    jwk = make_shc_issuer().jwk | change
    with pytest.raises(KeyFileError, match=message):
        jwks.issuer_keys_from_jwks({"keys": [jwk]})


def test_non_signing_keys_are_skipped_and_an_empty_set_refused() -> None:
    jwk = make_shc_issuer().jwk
    encryption = jwk | {"use": "enc"}
    assert len(jwks.issuer_keys_from_jwks({"keys": [jwk, encryption]})) == 1
    with pytest.raises(KeyFileError, match="no ES256 signing key"):
        jwks.issuer_keys_from_jwks({"keys": [encryption]})
    for document in ([], {"keys": "x"}, {"keys": [1]}, "jwks"):
        with pytest.raises(KeyFileError):
            jwks.issuer_keys_from_jwks(document)


def test_x5c_binds_the_key_to_the_issuer_in_the_certificate() -> None:
    issuer = make_shc_issuer(issuer=None)
    ca = SigningKey.generate(Algorithm.ES256)
    ca_der = certificates.make_certificate(ca, subject="CA")
    leaf = certificates.make_certificate(
        issuer.key,
        subject="Issuer",
        uris=["https://vax.example.org"],
        signer=ca,
        signer_subject="CA",
    )
    chain = [base64.b64encode(leaf).decode(), base64.b64encode(ca_der).decode()]
    (key,) = jwks.issuer_keys_from_jwks({"keys": [issuer.jwk | {"x5c": chain}]})
    assert key.issuer == "https://vax.example.org"
    other = certificates.make_certificate(
        SigningKey.generate(Algorithm.ES256), signer=ca, signer_subject="CA"
    )
    with pytest.raises(KeyFileError, match="another public key"):
        jwks.issuer_keys_from_jwks(
            {"keys": [issuer.jwk | {"x5c": [base64.b64encode(other).decode()]}]}
        )
    impostor = certificates.make_certificate(SigningKey.generate(Algorithm.ES256), subject="CA")
    broken = [chain[0], base64.b64encode(impostor).decode()]
    with pytest.raises(KeyFileError, match="not signed by the next"):
        jwks.issuer_keys_from_jwks({"keys": [issuer.jwk | {"x5c": broken}]})
    with pytest.raises(KeyFileError, match="base64"):
        jwks.issuer_keys_from_jwks({"keys": [issuer.jwk | {"x5c": ["-_-_"]}]})


def test_crl_entries_plain_and_timed() -> None:
    crl = {"kid": "k", "method": "rid", "ctr": 2, "rids": ["abc", "def.1636977600", "def.1"]}
    always, timed = jwks.crl_entries(crl, "https://i")
    assert always == ["https://i#abc"]
    assert timed == {"https://i#def": datetime.fromtimestamp(1636977600, UTC)}
    revoked = jwks.revocations_from_crls([(crl, "https://i")])
    assert revoked.revokes("https://i#abc", None)
    assert revoked.revokes("https://i#def", datetime(2021, 1, 1, tzinfo=UTC))
    assert not revoked.revokes("https://i#def", datetime(2022, 1, 1, tzinfo=UTC))
    assert revoked.revokes("https://i#def", None)  # issuance unknown: the safe reading
    assert not revoked.revokes("https://other#abc", None)


@pytest.mark.parametrize(
    "crl",
    [
        {"method": "other", "rids": []},
        {"method": "rid"},
        {"method": "rid", "rids": ["has space"]},
        {"method": "rid", "rids": ["x" * 25]},
        {"method": "rid", "rids": ["abc.notatime"]},
        {"method": "rid", "rids": [5]},
    ],
)
def test_bad_crls_are_refused(crl: dict[str, object]) -> None:
    with pytest.raises(TrustError):
        jwks.crl_entries(crl, "https://i")


# --- load_trust_file: what kiosk verify --trust reads -----------------------------------------


def test_public_keys_pem_and_der(tmp_path: Path) -> None:
    key = SigningKey.generate(Algorithm.EDDSA)
    (tmp_path / "k.pem").write_bytes(key.public.pem())
    (tmp_path / "k.der").write_bytes(key.public.spki)
    for name in ("k.pem", "k.der"):
        (loaded,) = load_trust_file(tmp_path / name)
        assert loaded.kid == key.public.kid
        assert loaded.formats == frozenset()
        assert loaded.label == str(tmp_path / name)


def test_certificates_pem_der_and_several(tmp_path: Path) -> None:
    one, two = make_dsc(), make_dsc(Algorithm.PS256, kinds={CardKind.TEST})
    (tmp_path / "one.der").write_bytes(one.der)
    (tmp_path / "one.pem").write_bytes(pem(one.der))
    (tmp_path / "both.pem").write_bytes(pem(one.der) + pem(two.der))
    for name in ("one.der", "one.pem"):
        (loaded,) = load_trust_file(tmp_path / name)
        assert loaded.kid == one.kid
        assert loaded.formats == {"HC1"}
    both = load_trust_file(tmp_path / "both.pem")
    assert [k.kid for k in both] == [one.kid, two.kid]
    assert both[1].kinds == {CardKind.TEST}


def test_jwks_file(tmp_path: Path) -> None:
    a, b = make_shc_issuer(), make_shc_issuer()
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [a.jwk, b.jwk]}), "utf-8")
    assert [k.kid for k in load_trust_file(path)] == [a.kid.encode(), b.kid.encode()]
    path.write_text(json.dumps(a.jwk), "utf-8")  # a single JWK
    assert [k.kid for k in load_trust_file(path)] == [a.kid.encode()]


@pytest.mark.parametrize(
    "data",
    [b"", b"hello", b"{not json", b"-----BEGIN PRIVATE KEY-----\nAA==\n", b"\x00" * 64],
    ids=["empty", "text", "bad-json", "private-pem", "zeros"],
)
def test_files_that_hold_no_trust(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "f"
    path.write_bytes(data)
    with pytest.raises(KeyFileError):
        load_trust_file(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="cannot read"):
        load_trust_file(tmp_path / "absent.pem")


# --- bundles carry certificates, JWKS keys and timed revocations --------------------------------


def test_bundle_round_trip_with_dsc_and_shc_keys() -> None:
    root = SigningKey.generate()
    dsc, shc_key = make_dsc(kinds={CardKind.TEST}), make_shc_issuer()
    revoked = RevocationList.from_ids(["a"], {"https://i#r": datetime(2022, 1, 1, tzinfo=UTC)})
    data = make_bundle(
        root,
        version=1,
        issued_at=datetime(2021, 9, 25, tzinfo=UTC),
        issuers=[dsc.trusted, shc_key.trusted],
        rules={"rule_sets": []},
        venues={"categories": []},
        revocations=revoked,
    )
    bundle = open_bundle(data, root.public)
    loaded = {key.kid: key for key in bundle.trust}
    assert loaded[dsc.kid].certificate == dsc.der
    assert loaded[dsc.kid].kinds == {CardKind.TEST}
    assert loaded[dsc.kid].formats == {"HC1"}
    assert loaded[shc_key.kid.encode()].issuer == shc_key.trusted.issuer
    assert loaded[shc_key.kid.encode()].formats == {"SHC"}
    assert bundle.revocations.revokes("a", None)
    assert bundle.revocations.revokes("https://i#r", datetime(2021, 1, 1, tzinfo=UTC))
    assert not bundle.revocations.revokes("https://i#r", datetime(2023, 1, 1, tzinfo=UTC))


def test_bundles_without_the_new_fields_are_unchanged() -> None:
    """No certificate, no timed revocation: the payload has exactly the old keys."""
    root = SigningKey.generate()
    key = SigningKey.generate()
    from kiosk.verify.truststore import IssuerKey

    data = bundle_bytes(root, [IssuerKey(key.public)])
    payload = cbor.loads(cose.decode_sign1(data).payload, max_depth=64, max_items=100_000)
    assert isinstance(payload, dict)
    assert "revoked_before" not in payload
    issuers = payload["issuers"]
    assert isinstance(issuers, list)
    assert set(issuers[0]) == {"spki", "kid", "iss", "from", "until", "kinds", "formats", "label"}


def _resigned(root: SigningKey, change: object) -> bytes:
    dsc = make_dsc()
    data = make_bundle(
        root,
        version=1,
        issued_at=datetime(2021, 9, 25, tzinfo=UTC),
        issuers=[dsc.trusted],
        rules={"rule_sets": []},
        venues={"categories": []},
        revocations=RevocationList(),
    )
    payload = cbor.loads(cose.decode_sign1(data).payload, max_depth=64)
    assert isinstance(payload, dict)
    change(payload)  # type: ignore[operator]
    header = {cose.HEADER_ALG: -8, cose.HEADER_KID: root.public.kid, 3: "x"}
    return cose.encode_sign1(cbor.dumps(payload), header, root.sign)


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p["issuers"][0].update(cert=make_dsc().der),  # another certificate
        lambda p: p["issuers"][0].update(kid=b"\x00" * 8),  # kid not the certificate's
        lambda p: p["issuers"][0].update(cert="text"),
        lambda p: p["issuers"][0].update(cert=b"junk"),
        lambda p: p.update(revoked_before={b"short": 1}),
        lambda p: p.update(revoked_before={b"\x00" * 16: "time"}),
        lambda p: p.update(revoked_before=[1]),
    ],
    ids=["other-cert", "wrong-kid", "text-cert", "junk-cert", "short-entry", "text-time", "list"],
)
def test_inconsistent_bundle_fields_are_refused(change: object) -> None:
    root = SigningKey.generate()
    with pytest.raises(BundleError):
        open_bundle(_resigned(root, change), root.public)


# --- a trust file's keys bound to their issuer, for a bundle (issue 10.3) ---------------------


def test_bind_issuer_gives_an_shc_key_the_source_s_issuer() -> None:
    keys = jwks.issuer_keys_from_jwks({"keys": [make_shc_issuer(issuer=None).jwk]})
    assert keys[0].issuer is None
    (bound,) = bind_issuer(keys, "https://a.example", "jwks.json")
    assert bound.issuer == "https://a.example"
    assert bound.key == keys[0].key


def test_bind_issuer_refuses_an_shc_key_without_one() -> None:
    keys = jwks.issuer_keys_from_jwks({"keys": [make_shc_issuer(issuer=None).jwk]})
    with pytest.raises(KeyFileError, match='"issuer"'):
        bind_issuer(keys, None, "jwks.json")


def test_bind_issuer_refuses_a_source_issuer_the_certificate_contradicts() -> None:
    (named,) = jwks.issuer_keys_from_jwks(
        {"keys": [make_shc_issuer(issuer=None).jwk]}, issuer="https://a.example"
    )  # as if its x5c leaf named https://a.example
    assert bind_issuer([named], None, "jwks.json")[0].issuer == "https://a.example"
    with pytest.raises(KeyFileError, match="names issuer"):
        bind_issuer([named], "https://b.example", "jwks.json")
