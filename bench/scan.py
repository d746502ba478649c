"""QR decoding side by side: zxing-cpp and pyzbar on camera-like frames, interleaved.

Run: .venv/bin/python bench/scan.py [--frames N] [--soak N]

Prints, for 640x480 and 1280x720 frames from ``kiosk.scanner.synthetic`` (real signed
demo cards, made with keys under a temporary KIOSK_HOME):
  * per-frame decode time (median, p95) and decode rate, empty frames and each variant;
  * QR-only versus all symbologies, on empty and clean 720p frames;
  * the decode rate on the conformance images in ../shared/conformance/dcc
    (CY/Test/Validation, then every country's png/ folder), native and fitted to 720p;
  * frame arrival -> decision (ScanLoop.process + pipeline.process), p50/p95, at 720p;
  * with ``--soak N``: RSS while N 720p frames go through ScanLoop.process.
The two decoders run on the same frame one after the other, in alternating order, so a
busy moment on this shared machine costs both the same.
"""

from __future__ import annotations

import argparse
import ctypes.util
import gc
import importlib.metadata
import os
import platform
import resource
import shlex
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Final, TypeVar

import cv2
import numpy as np
import zxingcpp
from pyzbar import pyzbar

from kiosk import pipeline
from kiosk.decision import Decision
from kiosk.demo import demo_cards, demo_kit
from kiosk.paths import Paths
from kiosk.scanner.decoders import (
    Image,
    PyzbarDecoder,
    QrDecoder,
    ZxingDecoder,
    make_decoder,
)
from kiosk.scanner.loop import Debouncer, FrameTiming, ScanEvent, ScanLoop
from kiosk.scanner.sources import IMAGE_SUFFIXES, Frame, read_image
from kiosk.scanner.synthetic import (
    VARIANTS,
    SyntheticSource,
    empty_frame,
    qr_modules,
    render_card,
)
from kiosk.verify.bundle import open_bundle

ROOT: Final = Path(__file__).resolve().parents[1]
CONFORMANCE: Final = ROOT.parent / "shared" / "conformance" / "dcc"
VALIDATION: Final = CONFORMANCE / "CY" / "Test" / "Validation"
SIZES: Final = ((640, 480), (1280, 720))
HD: Final = (1280, 720)
TARGET_EMPTY_MS: Final = 2.0
TARGET_DECISION_P95_MS: Final = 15.0
KIOSK_FPS: Final = 15.0


# -- small helpers -----------------------------------------------------------------------


def command() -> str:
    python = os.path.relpath(sys.executable, ROOT)
    script = os.path.relpath(os.path.abspath(sys.argv[0]), ROOT)
    return f"cd {shlex.quote(str(ROOT))} && {shlex.join([python, script, *sys.argv[1:]])}"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def ms(values: Sequence[float]) -> tuple[float, float]:
    """Median and 95th percentile, in milliseconds."""
    if not values:
        return float("nan"), float("nan")
    array = np.asarray(values) * 1e3
    return float(np.median(array)), float(np.percentile(array, 95))


def rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def fit(image: Image, size: tuple[int, int]) -> Image:
    """Shrink ``image`` to fit inside ``size`` (never enlarge), as a 720p camera would see it."""
    height, width = image.shape[:2]
    scale = min(size[0] / width, size[1] / height)
    if scale >= 1.0:
        return image
    target = (max(1, round(width * scale)), max(1, round(height * scale)))
    resized = cv2.resize(image, target, interpolation=cv2.INTER_AREA)
    return np.asarray(resized, dtype=np.uint8)


T = TypeVar("T")


def timed(work: Callable[..., T], *args: object) -> tuple[float, T]:
    start = time.perf_counter()
    result = work(*args)
    return time.perf_counter() - start, result


def interleaved(decoders: Sequence[QrDecoder], index: int) -> Sequence[QrDecoder]:
    return decoders if index % 2 == 0 else list(reversed(decoders))


@dataclass
class Tally:
    seconds: list[float] = field(default_factory=list)
    right: int = 0
    wrong: int = 0  # decoded something that is not the card shown (or anything, when empty)

    def add(self, seconds: float, got: list[bytes], want: bytes | None) -> bool:
        self.seconds.append(seconds)
        ok = got == [] if want is None else want in got
        self.right += ok
        self.wrong += any(payload != want for payload in got)
        return ok


# -- sections ----------------------------------------------------------------------------


def header(args: argparse.Namespace) -> None:
    print(f"$ {command()}")
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(
        f"# {cpu_model()}, {os.cpu_count()} CPUs, load average {load} (shared machine);"
        f" Python {platform.python_version()}"
    )
    versions = {
        name: importlib.metadata.version(name)
        for name in ("numpy", "opencv-python-headless", "zxing-cpp", "pyzbar")
    }
    print("# " + ", ".join(f"{k} {v}" for k, v in versions.items()), end="")
    print(f", zbar library {ctypes.util.find_library('zbar')}")
    if not args.soak:
        print(
            f"# {args.frames} frames per row, each decoded once by each decoder (alternating order)"
        )


def render_costs(texts: Sequence[str]) -> None:
    print("\n## Rendering cost of the synthetic frames (not part of decoding), median ms")
    print(f"{'':14}" + "".join(f"{f'{w}x{h}':>12}" for w, h in SIZES))
    rows: dict[str, list[float]] = {}
    reps = 15
    for size in SIZES:
        for variant in VARIANTS:
            times = [
                timed(render_card, texts[0], size, variant, np.random.default_rng(seed))[0]
                for seed in range(reps)
            ]
            rows.setdefault(variant, []).append(ms(times)[0])
        times = [timed(empty_frame, size, np.random.default_rng(seed))[0] for seed in range(reps)]
        rows.setdefault("empty_frame", []).append(ms(times)[0])
        source = SyntheticSource(texts, size=size, realtime=False, seed=1)
        source.read()
        times = [timed(source.read)[0] for _ in range(90)]
        rows.setdefault("source frame", []).append(ms(times)[0])
    for name, values in rows.items():
        print(f"{name:14}" + "".join(f"{v:12.1f}" for v in values))


def decode_table(texts: Sequence[str], decoders: Sequence[QrDecoder], frames: int) -> None:
    print("\n## Per-frame decode time (ms, through QrDecoder.decode on the BGR frame) and rate")
    print("rate = frames where the card shown was decoded / frames (empty: nothing decoded);")
    print("wrong = frames where something else was decoded; either = decoded by at least one")
    names = " | ".join(
        f"{d.name + ' median':>13} {'p95':>6} {'rate':>5} {'wrong':>5}" for d in decoders
    )
    print(f"{'size':9} {'frames':13} {'n':>4} | {names} | {'either':>6} | target")
    wrong: list[str] = []
    # No frame shows a Micro QR code, but zxing-cpp 3's "QRCode" format family includes it.
    micro_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.MicroQRCode)
    micro = 0
    for size_index, size in enumerate(SIZES):
        for kind_index, kind in enumerate(["empty", *VARIANTS]):
            tallies = {d.name: Tally() for d in decoders}
            either = 0
            for i in range(frames):
                seed = 100_000 * size_index + 1_000 * kind_index + i
                rng = np.random.default_rng(seed)
                want: bytes | None
                if kind == "empty":
                    image, want = empty_frame(size, rng), None
                else:
                    text = texts[i % len(texts)]
                    image, want = render_card(text, size, kind, rng), text.encode()
                hit = False
                for decoder in interleaved(decoders, i):
                    seconds, got = timed(decoder.decode, image)
                    hit |= tallies[decoder.name].add(seconds, got, want)
                    if any(payload != want for payload in got):
                        where = f"{size[0]}x{size[1]} {kind} seed {seed}"
                        wrong.append(explain_wrong(decoder, image, got, want, where=where))
                either += hit
                grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
                micro += bool(zxingcpp.read_barcodes(grey, formats=micro_only))
            cells = []
            for decoder in decoders:
                tally = tallies[decoder.name]
                median, p95 = ms(tally.seconds)
                cells.append(
                    f"{median:13.2f} {p95:6.2f} {tally.right / frames:5.0%} {tally.wrong:5d}"
                )
            target = f"<= {TARGET_EMPTY_MS:g} ms median" if kind == "empty" and size == HD else ""
            label = f"{size[0]}x{size[1]}"
            print(
                f"{label:9} {kind:13} {frames:4d} | {' | '.join(cells)} | "
                f"{either / frames:6.0%} | {target}"
            )
    print("wrong payloads (decoded, but not the card shown):" + ("" if wrong else " none"))
    for line in wrong:
        print(f"  {line}")
    print(
        f"Micro QR codes zxing-cpp reads in these {len(SIZES) * (1 + len(VARIANTS)) * frames}"
        f" frames (none shows one): in {micro} frames"
    )


def explain_wrong(
    decoder: QrDecoder,
    image: Image,
    got: list[bytes],
    want: bytes | None,
    *,
    where: str,
) -> str:
    """Which payloads were extra, and what zxing-cpp's QR family says they are."""
    extra = [len(payload) for payload in got if payload != want]
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    family = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    found = [
        f"{barcode.format} ({len(barcode.bytes)} B)"
        for barcode in zxingcpp.read_barcodes(grey, formats=family)
    ]
    return (
        f"{decoder.name} {where}: {len(got)} payload(s), extra of"
        f" {extra} bytes; zxing-cpp 'QRCode' family finds: {', '.join(found) or 'nothing'}"
    )


def restricted_vs_all(texts: Sequence[str], frames: int) -> None:
    print("\n## QR only versus all symbologies, 1280x720, library called on a grey image, ms")
    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    configs: dict[str, Callable[[Image], object]] = {
        "zxing-cpp QR only": lambda g: zxingcpp.read_barcodes(g, formats=qr_only),
        "zxing-cpp all formats": zxingcpp.read_barcodes,
        "pyzbar QR only": lambda g: pyzbar.decode(g, [pyzbar.ZBarSymbol.QRCODE]),
        "pyzbar all symbols": pyzbar.decode,
    }
    for kind in ("empty", "clean"):
        greys: list[Image] = []
        for i in range(frames):
            rng = np.random.default_rng(900_000 + i)
            bgr = (
                empty_frame(HD, rng)
                if kind == "empty"
                else render_card(texts[i % len(texts)], HD, "clean", rng)
            )
            greys.append(np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), dtype=np.uint8))
        times: dict[str, list[float]] = {name: [] for name in configs}
        order = list(configs)
        for i, grey in enumerate(greys):
            for name in order if i % 2 == 0 else reversed(order):
                times[name].append(timed(configs[name], grey)[0])
        print(f"{kind} frames ({frames}):")
        for library in ("zxing-cpp", "pyzbar"):
            only, every = (n for n in configs if n.startswith(library))
            (m1, p1), (m2, p2) = ms(times[only]), ms(times[every])
            print(
                f"  {library:10} QR only {m1:7.2f} (p95 {p1:6.2f})   all {m2:7.2f} (p95 {p2:6.2f})"
                f"   all/QR-only = {m2 / m1:4.1f}x"
            )


def adapter_overhead(frames: int) -> None:
    print("\n## Where an empty 1280x720 frame's time goes, median ms")
    zx, pz = ZxingDecoder(), PyzbarDecoder()
    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    images = [empty_frame(HD, np.random.default_rng(950_000 + i)) for i in range(frames)]
    greys = [np.asarray(cv2.cvtColor(b, cv2.COLOR_BGR2GRAY), dtype=np.uint8) for b in images]
    configs: dict[str, Callable[[int], object]] = {
        "cv2.cvtColor BGR->grey": lambda i: cv2.cvtColor(images[i], cv2.COLOR_BGR2GRAY),
        "zxing-cpp on the grey image": lambda i: zxingcpp.read_barcodes(greys[i], formats=qr_only),
        "zxing-cpp on the BGR frame": lambda i: zxingcpp.read_barcodes(images[i], formats=qr_only),
        "ZxingDecoder.decode(BGR frame)": lambda i: zx.decode(images[i]),
        "pyzbar on the grey image": lambda i: pyzbar.decode(greys[i], [pyzbar.ZBarSymbol.QRCODE]),
        "PyzbarDecoder.decode(BGR frame)": lambda i: pz.decode(images[i]),
    }
    times: dict[str, list[float]] = {name: [] for name in configs}
    for i in range(frames):
        for name, work in configs.items():
            times[name].append(timed(work, i)[0])
    for name, values in times.items():
        median, p95 = ms(values)
        print(f"  {name:40} {median:7.2f} (p95 {p95:6.2f})")


def image_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES)


def conformance(decoders: Sequence[QrDecoder]) -> None:
    print("\n## Conformance images (../shared/conformance/dcc)")
    if not CONFORMANCE.is_dir():
        print(f"  {CONFORMANCE} is missing: skipped")
        return
    others = [p for p in image_files(CONFORMANCE) if VALIDATION not in p.parents]
    sets = (
        ("CY/Test/Validation", image_files(VALIDATION)),
        ("every other image file (issuers' QR images)", others),
    )
    for label, paths in sets:
        images = [(p, read_image(p)) for p in paths]
        readable = [(p, im) for p, im in images if im is not None]
        shapes = sorted({f"{im.shape[1]}x{im.shape[0]}" for _, im in readable})
        shown = ", ".join(shapes[:4]) + (", ..." if len(shapes) > 4 else "")
        print(f"{label}: {len(paths)} files, {len(readable)} readable, sizes {shown}")
        any_symbol = sum(bool(zxingcpp.read_barcodes(im)) for _, im in readable)
        print(f"  any barcode of any symbology (zxing-cpp, all formats, native): {any_symbol}")
        if readable and not any_symbol:
            print("  -> no barcode of any kind in these files: they are not pictures of QR codes")
        for scale_label, prepare in (
            ("native", lambda im: im),
            ("fitted to 1280x720", lambda im: fit(im, HD)),
        ):
            prepared = [(p, prepare(im)) for p, im in readable]
            for decoder in decoders:
                hits = [p for p, im in prepared if decoder.decode(im)]
                misses = [p for p, _ in prepared if p not in hits]
                print(
                    f"  {decoder.name:7} {scale_label:19} decoded {len(hits):3d}/{len(prepared)}",
                    end="",
                )
                rel = [
                    str(p.relative_to(CONFORMANCE)) for p in (hits if len(hits) <= 6 else misses)
                ]
                which = "which: " if len(hits) <= 6 else "missed: "
                listed = ", ".join(rel[:8]) + (
                    f", ... ({len(rel) - 8} more)" if len(rel) > 8 else ""
                )
                print(f"   {which}{listed or 'none'}")


@dataclass(frozen=True, slots=True)
class Demo:
    texts: list[str]  # every demo card, the URL one too
    signed: list[str]  # the signed HCM1 cards
    context: pipeline.Context


def make_demo(home: Path) -> Demo:
    paths = Paths.default({"KIOSK_HOME": str(home)})
    now = datetime.now(UTC)
    kit = demo_kit(paths)
    cards = demo_cards(kit, now)
    bundle = open_bundle(kit.bundle(now), kit.root.public)
    context = pipeline.Context.from_bundle(bundle, bundle.venues["dine-in"])
    texts = [card.text for card in cards]
    return Demo(texts, [t for t in texts if t.startswith("HCM1:")], context)


def judge(context: pipeline.Context) -> Callable[[bytes], Decision]:
    def handle(payload: bytes) -> Decision:
        return pipeline.process(payload, datetime.now(UTC), context)

    return handle


def end_to_end(demo: Demo, decoders: Sequence[QrDecoder], rounds: int) -> None:
    print("\n## Frame arrival -> decision, 1280x720, ScanLoop.process + pipeline.process, ms")
    print("every demo card (10) x every variant (7); debounce window 0 so each frame decides;")
    print("decode = arrival -> payloads; decision = arrival -> Decision (frames with a decision)")
    pool: list[Image] = []
    for i, text in enumerate(demo.texts):
        for j, variant in enumerate(VARIANTS):
            pool.append(render_card(text, HD, variant, np.random.default_rng(700_000 + 10 * i + j)))
    empties = [empty_frame(HD, np.random.default_rng(800_000 + i)) for i in range(20)]
    decode_s: dict[str, list[float]] = {d.name: [] for d in decoders}
    empty_s: dict[str, list[float]] = {d.name: [] for d in decoders}
    decide_s: dict[str, list[float]] = {d.name: [] for d in decoders}
    verdicts: dict[str, dict[str, int]] = {d.name: {} for d in decoders}
    loops: dict[str, ScanLoop[Decision]] = {}
    for decoder in decoders:

        def on_frame(frame: Frame, timing: FrameTiming, name: str = decoder.name) -> None:
            if timing.codes:
                decode_s[name].append(timing.decode)

        loops[decoder.name] = ScanLoop(
            SyntheticSource([], size=(64, 64), realtime=False),  # not started: frames are pushed
            decoder,
            judge(demo.context),
            debouncer=Debouncer(window=0.0),
            on_frame=on_frame,
        )
    index = 0
    for _ in range(rounds):
        for image in pool:
            index += 1
            for decoder in interleaved(decoders, index):
                events = loops[decoder.name].process(Frame(image, index, time.monotonic()))
                for event in events:
                    decide_s[decoder.name].append(event.latency)
                    verdict = event.result.verdict.value
                    verdicts[decoder.name][verdict] = verdicts[decoder.name].get(verdict, 0) + 1
        for image in empties:
            index += 1
            for decoder in interleaved(decoders, index):
                start = time.monotonic()
                loops[decoder.name].process(Frame(image, index, start))
                empty_s[decoder.name].append(time.monotonic() - start)
    frames = rounds * len(pool)
    for decoder in decoders:
        name = decoder.name
        (d50, d95), (t50, t95), (e50, e95) = (
            ms(decode_s[name]),
            ms(decide_s[name]),
            ms(empty_s[name]),
        )
        counts = ", ".join(f"{k} {v}" for k, v in sorted(verdicts[name].items()))
        print(
            f"  {name:7} decisions {len(decide_s[name]):4d}/{frames} frames ({counts})\n"
            f"          decode p50 {d50:6.2f} p95 {d95:6.2f} | decision p50 {t50:6.2f}"
            f" p95 {t95:6.2f} (target p95 <= {TARGET_DECISION_P95_MS:g}) | empty frame p50"
            f" {e50:5.2f} p95 {e95:5.2f}"
        )


def soak(demo: Demo, count: int) -> None:
    decoder = make_decoder()
    print(
        f"\n## Soak: {count:,} frames of 1280x720 through ScanLoop.process, decoder {decoder.name}"
    )
    print(
        f"pool of 12 card frames (4 cards x 3 variants) and 4 empty frames, pre-rendered;"
        f" a card is held for 2 s, then 1 s empty, at {KIOSK_FPS:g} fps of simulated time;"
    )
    print("debouncer as in the kiosk (5 s window): one decision per card per visit;")
    print("py blocks = sys.getallocatedblocks() after gc.collect() (live Python objects)")
    cards = demo.texts[:4]
    variants = ("clean", "noise", "perspective")
    pool = {
        text: [
            render_card(text, HD, v, np.random.default_rng(600_000 + 10 * i + j))
            for j, v in enumerate(variants)
        ]
        for i, text in enumerate(cards)
    }
    empties = [empty_frame(HD, np.random.default_rng(650_000 + i)) for i in range(4)]
    held, gap = round(2 * KIOSK_FPS), round(1 * KIOSK_FPS)
    sim = [0.0]
    decisions = [0]

    def on_event(event: ScanEvent[Decision]) -> None:
        decisions[0] += 1

    loop = ScanLoop(
        SyntheticSource([], size=(64, 64), realtime=False),
        decoder,
        judge(demo.context),
        on_event=on_event,
        clock=lambda: sim[0],
    )
    gc.collect()
    start_rss = rss_mb()
    started = time.perf_counter()
    print(f"{'frames':>9} {'RSS MB':>8} {'change':>7} {'py blocks':>10} {'decisions':>9} {'s':>7}")

    def report(done: int) -> None:
        gc.collect()  # so that "py blocks" counts live objects, not garbage not yet collected
        rss = rss_mb()
        elapsed = time.perf_counter() - started
        print(
            f"{done:9,d} {rss:8.1f} {rss - start_rss:+7.1f} {sys.getallocatedblocks():10,d}"
            f" {decisions[0]:9,d} {elapsed:7.1f}",
            flush=True,
        )

    report(0)
    step = max(1, count // 10)
    period = held + gap
    for i in range(count):
        visit, phase = divmod(i, period)
        if phase < held:
            text = cards[visit % len(cards)]
            image = pool[text][(visit // len(cards) + phase // 10) % len(variants)]
        else:
            image = empties[phase % len(empties)]
        sim[0] = i / KIOSK_FPS
        loop.process(Frame(image, i + 1, sim[0]))
        if (i + 1) % step == 0 or i + 1 == count:
            report(i + 1)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    elapsed = time.perf_counter() - started
    print(
        f"end: RSS {rss_mb():.1f} MB (start {start_rss:.1f}, peak ru_maxrss {peak:.1f}); "
        f"{count / elapsed:,.0f} frames/s; {loop.decode_errors} decoder errors "
        f"(target: memory flat over 100,000 frames)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100, help="frames per variant and size")
    parser.add_argument("--rounds", type=int, default=3, help="passes of the end-to-end pool")
    parser.add_argument(
        "--soak", type=int, default=0, metavar="N", help="only soak N frames (default 0: no soak)"
    )
    args = parser.parse_args()

    header(args)
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as home:
        demo = make_demo(Path(home))
    decoders: list[QrDecoder] = [ZxingDecoder(), PyzbarDecoder()]
    side = len(qr_modules(demo.signed[0]))
    lengths = sorted({len(t) for t in demo.signed})
    print(
        f"# cards: {len(demo.signed)} signed demo cards, {lengths[0]}-{lengths[-1]} characters,"
        f" QR version {(side - 17) // 4} ({side}x{side} modules), error correction M"
    )
    if args.soak:
        print("# --soak: only the soak runs (the other sections: run without --soak)")
        soak(demo, args.soak)
        return
    render_costs(demo.signed)
    decode_table(demo.signed, decoders, args.frames)
    restricted_vs_all(demo.signed, min(args.frames, 40))
    adapter_overhead(min(args.frames, 40))
    conformance(decoders)
    end_to_end(demo, decoders, args.rounds)


if __name__ == "__main__":
    main()
