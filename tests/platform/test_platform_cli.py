"""``python -m cityplatform``: in-process (``cli.main``) and as a real server process."""

from __future__ import annotations

import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from platform_helpers import CARD_ID, HOLDER, VENUE, EnrolledKiosk, enroll_request, record

from cityplatform import cli
from cityplatform.testing import platform_process
from kiosk import pipeline
from kiosk.demo import demo_kit
from kiosk.domain import Reason
from kiosk.issuing import card_from_claims, issue
from kiosk.paths import Paths
from kiosk.verify.bundle import open_bundle
from kiosk.verify.keys import SigningKey, load_public_key, write_key_pair

CLAIMS = {
    "holder": {"name": "Nguyễn Văn An", "birth_date": "1990-05-17", "national_id_last4": "1234"},
    "vaccinations": [
        {"product": "EU/1/20/1528", "dose": 1, "series": 2, "date": "2021-07-01"},
        {"product": "EU/1/20/1528", "dose": 2, "series": 2, "date": "2021-08-01"},
    ],
}

REPO = Path(__file__).resolve().parents[2]


def _demo_kit_dir(tmp_path: Path) -> Path:
    """A kiosk's demo directory (issuer keys made on this machine), as the kiosk makes it."""
    paths = Paths(data=tmp_path / "kiosk", config=tmp_path / "cfg", logs=tmp_path / "log")
    demo_kit(paths)
    return paths.demo


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main([])
    assert exited.value.code == 2
    assert "COMMAND" in capsys.readouterr().err


def test_token_without_a_venue_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["token"])
    assert exited.value.code == 2
    assert "--venue" in capsys.readouterr().err


@pytest.mark.parametrize("venue", ["", "x" * 65, "tab\there"])
def test_token_for_a_bad_venue_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], venue: str
) -> None:
    code, _, err = run(capsys, "token", "--venue", venue, "--data", str(tmp_path))
    assert code == 2
    assert "is not a venue id" in err


def test_root_key_is_made_once_private_and_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "root-key", "--data", str(tmp_path))
    first = (tmp_path / "root.key").read_bytes()
    code_again, out_again, _ = run(capsys, "root-key", "--data", str(tmp_path))

    assert (code, code_again) == (0, 0)
    assert out.strip() == out_again.strip() == str(tmp_path / "root.pub")
    assert stat.S_IMODE((tmp_path / "root.key").stat().st_mode) == 0o600
    assert (tmp_path / "root.key").read_bytes() == first
    load_public_key(tmp_path / "root.pub")


def test_token_publish_and_stats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path)
    run(capsys, "root-key", "--data", data)
    code, token, _ = run(capsys, "token", "--venue", VENUE, "--ttl-hours", "1", "--data", data)
    assert code == 0
    assert len(token.strip()) >= 32

    kit_dir = _demo_kit_dir(tmp_path)
    root = cli.existing_root_key(tmp_path)
    bundle_file = tmp_path / "bundle-1.cose"
    bundle_file.write_bytes(cli.demo_bundle(root, kit_dir, datetime.now(UTC)))
    code, out, _ = run(capsys, "publish", str(bundle_file), "--data", data)
    assert code == 0
    assert out.strip() == "published trust bundle version 1"

    code, out, _ = run(capsys, "stats", "--data", data)
    assert code == 0
    assert "tokens_open: 1" in out
    assert "bundle_version: 1" in out
    assert "checkins: 0" in out


def test_publishing_a_bundle_of_another_root_fails_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "root-key", "--data", str(tmp_path))
    other = cli.demo_bundle(SigningKey.generate(), _demo_kit_dir(tmp_path), datetime.now(UTC))
    bundle_file = tmp_path / "other.cose"
    bundle_file.write_bytes(other)

    code, _, err = run(capsys, "publish", str(bundle_file), "--data", str(tmp_path))

    assert code == 1
    assert "error: bundle refused: bundle signature does not match" in err


def test_publish_without_a_root_or_a_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "publish", str(tmp_path / "none.cose"), "--data", str(tmp_path))
    assert code == 2
    assert "no root key" in err

    run(capsys, "root-key", "--data", str(tmp_path))
    code, _, err = run(capsys, "publish", str(tmp_path / "none.cose"), "--data", str(tmp_path))
    assert code == 2
    assert "cannot read" in err


def test_disable_an_unknown_kiosk_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "disable", "nobody", "--data", str(tmp_path))
    assert code == 2
    assert "no kiosk" in err


def test_serve_as_a_process_with_the_demo_kit(tmp_path: Path) -> None:
    """The one command, for real: root key on first start, the demo bundle, uploads, and
    logs that hold neither names nor card ids."""
    kit_dir = _demo_kit_dir(tmp_path)

    with platform_process(tmp_path, demo_kit=kit_dir) as server:
        assert stat.S_IMODE((server.data_dir / "root.key").stat().st_mode) == 0o600
        bundle = httpx.get(f"{server.url}/v1/bundle", params={"have": 0})
        assert bundle.status_code == 200
        opened = open_bundle(bundle.content, load_public_key(server.root_pub))
        assert opened.version == 1
        assert {issuer.key.spki for issuer in opened.trust} == {
            load_public_key(kit_dir / "issuer-city.pub").spki,
            load_public_key(kit_dir / "issuer-lab.pub").spki,
        }

        key = SigningKey.generate()
        response = enroll_request(server.url, server.token(VENUE), VENUE, key)
        assert response.status_code == 201
        kiosk = EnrolledKiosk(server.url, response.json()["kiosk_id"], VENUE, key)
        assert kiosk.upload([record()]).json()["stored"] == 1
        assert kiosk.upload([record(uuid="bad")]).status_code == 422

        stats = subprocess.run(
            [sys.executable, "-m", "cityplatform", "stats", "--data", str(server.data_dir)],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
        )
        assert "checkins: 1" in stats.stdout

    log = (tmp_path / "platform.log").read_text("utf-8")
    assert "published the demo trust bundle version 1" in log
    assert "uploaded 1 records: 1 new" in log
    assert HOLDER not in log
    assert "Nguyễn" not in log
    assert CARD_ID not in log


def test_serve_refuses_a_demo_kit_without_keys(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cityplatform",
            "serve",
            "--data",
            str(tmp_path / "data"),
            "--demo-kit",
            str(tmp_path / "nothing"),
            "--port",
            "0",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=30,
        check=False,
    )

    assert result.returncode == 2
    assert "--demo-kit" in result.stderr
    assert "issuer-city.pub" in result.stderr


# --- issue 9: a fresh platform publishes a first bundle, or says plainly that none is -------


def _issuer(tmp_path: Path, name: str) -> tuple[SigningKey, Path]:
    key = SigningKey.generate()
    _, public = write_key_pair(key, tmp_path / name)
    return key, public


def test_publish_issuer_keys_signs_and_publishes_the_next_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "platform"
    city, city_pub = _issuer(tmp_path, "city-issuer")
    _, other_pub = _issuer(tmp_path, "lab")
    # No root key yet: publish makes it (it may run before serve ever did).
    code, out, _ = run(capsys, "publish", "--issuer", str(city_pub), "--data", str(data))
    assert (code, out) == (0, "published trust bundle version 1 with 1 issuer key(s)\n")
    code, out, _ = run(
        capsys,
        "publish",
        "--issuer",
        str(city_pub),
        "--issuer",
        str(other_pub),
        "--data",
        str(data),
    )
    assert (code, out) == (0, "published trust bundle version 2 with 2 issuer key(s)\n")

    with cli.open_store(data) as store:
        latest = store.latest_bundle()
    assert latest is not None
    opened = open_bundle(latest.data, load_public_key(data / "root.pub"))
    assert opened.version == 2
    assert [key.label for key in opened.trust] == ["city-issuer", "lab"]
    assert sorted(opened.venues) == ["dine-in", "hair-salon", "office", "supermarket", "takeaway"]
    # A card the city issues with that key is green under the published bundle.
    now = datetime.now(UTC)
    card = issue(card_from_claims(CLAIMS, now), city)
    decision = pipeline.process(card, now, pipeline.Context.from_bundle(opened))
    assert decision.reason is Reason.ADMITTED_GREEN


@pytest.mark.parametrize(
    "argv",
    [("publish",), ("publish", "b.cose", "--issuer", "x.pub"), ("publish", "--issuer", "none.pub")],
)
def test_publish_needs_a_file_or_issuer_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    code, _, err = run(capsys, *argv, "--data", str(tmp_path))
    assert code == 2
    assert err.startswith("error: ")
    assert (
        ("--issuer none.pub" in err) if "none.pub" in argv else ("BUNDLE_FILE or --issuer" in err)
    )


def test_serve_on_an_empty_data_dir_says_no_bundle_is_published_until_one_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, city_pub = _issuer(tmp_path, "city-issuer")
    with platform_process(tmp_path) as server:
        response = httpx.get(f"{server.url}/v1/bundle")
        assert response.status_code == 404
        assert response.json()["error"] == "no_bundle"
        assert "cityplatform publish --issuer ISSUER.pub" in response.json()["detail"]
        # Published while the server runs: served at once.
        code, _, _ = run(
            capsys, "publish", "--issuer", str(city_pub), "--data", str(server.data_dir)
        )
        assert code == 0
        response = httpx.get(f"{server.url}/v1/bundle")
        assert response.status_code == 200
        assert response.headers["X-Bundle-Version"] == "1"
    log = (tmp_path / "platform.log").read_text("utf-8")
    assert f"WARNING cityplatform.cli: {cli.NO_BUNDLE_YET}" in log
    assert "no trust bundle is published yet: kiosks get none until one is" in cli.NO_BUNDLE_YET


def test_two_commands_making_the_root_key_at_once_agree_on_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # serve & publish on an empty directory: the other command writes its key between this
    # one's look and its write. The key file is created exclusively; the loser uses it.
    theirs = SigningKey.generate()
    real = cli.write_key_pair

    def racing(key: SigningKey, stem: Path) -> tuple[Path, Path]:
        real(theirs, stem)  # the other command, a moment earlier
        return real(key, stem)

    monkeypatch.setattr(cli, "write_key_pair", racing)
    key = cli.ensure_root_key(tmp_path)
    assert key.public.spki == theirs.public.spki
    assert load_public_key(tmp_path / "root.pub").spki == theirs.public.spki
    assert cli.ensure_root_key(tmp_path).public.spki == theirs.public.spki
