"""The synthetic webcam: frames of the right kind, reproducible, decodable when they should be."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from kiosk.demo import demo_cards, demo_kit
from kiosk.paths import Paths
from kiosk.scanner.decoders import PyzbarDecoder, QrDecoder, ZxingDecoder
from kiosk.scanner.sources import SourceState
from kiosk.scanner.synthetic import VARIANTS, SyntheticSource, empty_frame, render_card

SIZES = [(640, 480), (1280, 720)]


@pytest.fixture(scope="module")
def card_texts(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Real signed demo cards (keys of this test module's own)."""
    root = tmp_path_factory.mktemp("kiosk-home")
    paths = Paths(data=root / "data", config=root / "config", logs=root / "logs")
    cards = demo_cards(demo_kit(paths), datetime(2021, 10, 1, 3, 0, tzinfo=UTC))
    return [card.text for card in cards]


@pytest.fixture(scope="module")
def decoders() -> list[QrDecoder]:
    return [ZxingDecoder(), PyzbarDecoder()]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_renders_a_bgr_frame_of_the_size_asked(
    card_texts: list[str], variant: str, size: tuple[int, int]
) -> None:
    image = render_card(card_texts[0], size, variant, np.random.default_rng(7))
    assert image.shape == (size[1], size[0], 3)
    assert image.dtype == np.uint8
    assert image.flags.c_contiguous
    assert int(image.max()) - int(image.min()) > 20  # a scene, not a flat fill


@pytest.mark.parametrize("size", SIZES)
def test_empty_frame_is_a_bgr_frame_of_the_size_asked(size: tuple[int, int]) -> None:
    image = empty_frame(size, np.random.default_rng(7))
    assert image.shape == (size[1], size[0], 3)
    assert image.dtype == np.uint8


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_seed_gives_the_same_frame_and_another_seed_another(
    card_texts: list[str], variant: str
) -> None:
    def frame(seed: int) -> np.ndarray:
        return render_card(card_texts[1], (640, 480), variant, np.random.default_rng(seed))

    assert np.array_equal(frame(3), frame(3))
    assert not np.array_equal(frame(3), frame(4))


def test_empty_frames_are_reproducible() -> None:
    first = empty_frame((640, 480), np.random.default_rng(5))
    assert np.array_equal(first, empty_frame((640, 480), np.random.default_rng(5)))
    assert not np.array_equal(first, empty_frame((640, 480), np.random.default_rng(6)))


@pytest.mark.parametrize("size", SIZES)
def test_clean_frames_decode_with_both_decoders(
    card_texts: list[str], decoders: list[QrDecoder], size: tuple[int, int]
) -> None:
    for seed, text in enumerate(card_texts[:4]):
        image = render_card(text, size, "clean", np.random.default_rng(seed))
        for decoder in decoders:
            assert decoder.decode(image) == [text.encode()], (decoder.name, seed)


@pytest.mark.parametrize("size", SIZES)
def test_empty_frames_decode_to_nothing(decoders: list[QrDecoder], size: tuple[int, int]) -> None:
    for seed in range(4):
        image = empty_frame(size, np.random.default_rng(seed))
        for decoder in decoders:
            assert decoder.decode(image) == [], (decoder.name, seed)


def test_unknown_variant_and_tiny_size_are_refused(card_texts: list[str]) -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="unknown variant"):
        render_card(card_texts[0], (640, 480), "fisheye", rng)
    with pytest.raises(ValueError, match="too small"):
        render_card(card_texts[0], (32, 32), "clean", rng)
    with pytest.raises(ValueError, match="unknown variant"):
        SyntheticSource(card_texts, variants=["clean", "fisheye"])


def test_source_shows_each_card_then_an_empty_entrance_round_and_round(
    card_texts: list[str],
) -> None:
    texts = card_texts[:2]
    source = SyntheticSource(
        texts,
        size=(640, 480),
        fps=8.0,
        realtime=False,
        seed=1,
        variants=["clean"],
        card_seconds=1.0,
        empty_seconds=0.5,
    )
    decoder = ZxingDecoder()
    shown: list[str | None] = []
    decoded: list[list[bytes]] = []
    for expected_index in range(1, 2 * (8 + 4) + 8 + 1):  # two full turns and a card more
        frame = source.read()
        assert frame is not None
        assert frame.index == expected_index
        assert frame.image.shape == (480, 640, 3)
        assert source.state is SourceState.LIVE
        shown.append(source.showing(frame.index))
        decoded.append(decoder.decode(frame.image))
    a, b = texts
    assert shown == [a] * 8 + [None] * 4 + [b] * 8 + [None] * 4 + [a] * 8
    for text, got in zip(shown, decoded, strict=True):
        assert got in ([], [text.encode()] if text else [])
    # Each appearance is read at least once, once the card has been raised into view.
    for start in (0, 12, 24):
        assert any(decoded[start : start + 8]), start


def test_source_without_texts_shows_only_the_empty_entrance() -> None:
    source = SyntheticSource([], size=(320, 240), realtime=False)
    for _ in range(5):
        frame = source.read()
        assert frame is not None
        assert source.showing(frame.index) is None


def test_source_is_live_until_closed_then_ended() -> None:
    source = SyntheticSource(["HCM1:TEST"], size=(320, 240), realtime=False)
    assert source.state is SourceState.LIVE
    assert source.name
    assert source.read() is not None
    source.close()
    assert source.state is SourceState.ENDED
    assert source.read() is None


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_realtime_source_paces_reads_with_the_injected_clock_and_sleep() -> None:
    fake = FakeTime()
    source = SyntheticSource(
        ["HCM1:TEST"], size=(320, 240), fps=10.0, seed=2, clock=fake.clock, sleep=fake.sleep
    )
    first = source.read()
    assert first is not None
    assert source.live
    assert fake.slept == []
    assert first.captured_at == 100.0
    fake.now += 0.03  # the reader worked for 30 ms: the camera makes it wait the rest
    second = source.read()
    assert second is not None
    assert fake.slept == [pytest.approx(0.07)]
    assert second.captured_at == pytest.approx(100.1)
    fake.now += 0.5  # a slow reader gets a frame at once, with no backlog to catch up
    third = source.read()
    assert third is not None
    assert len(fake.slept) == 1
    assert third.captured_at == pytest.approx(100.6)
    fourth = source.read()
    assert fourth is not None
    assert fake.slept[1:] == [pytest.approx(0.1)]
    assert fourth.captured_at == pytest.approx(100.7)


def test_non_realtime_source_never_sleeps() -> None:
    fake = FakeTime()
    source = SyntheticSource(
        ["HCM1:TEST"],
        size=(320, 240),
        realtime=False,
        clock=fake.clock,
        sleep=fake.sleep,
    )
    assert not source.live  # so a scan loop decodes every frame instead of the newest
    for _ in range(20):
        assert source.read() is not None
    assert fake.slept == []
