"""Phone photos to review: ``python -m bench.photos [--count N] [--folder PATH]`` (part of make bench).

On the embedded defaults it starts the real service (``ledgerdesk up``), uploads receipt photos one at a time
and waits for each to leave processing, so every figure is one photo's own way through an idle service:
upload until ``needs_review`` with its words stored (the page's ``source`` is ``ocr`` and it has words), and
the worker's time split. The photos are drawn by the bench (receipt lines in DejaVu Sans, slightly turned,
speckled, saved as a phone-sized JPEG) or, with ``--folder``, taken from a folder of JPEG/PNG files.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bench.client import Connection
from bench.report import LATENCY_HEADERS, Target, correctness_failed, heading, latency_row, table
from bench.service import DATABASE_LABELS, Service, backend, interruptible, running_service, unwind_on_signals

PART = "photos"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PHOTO_SIZE = (2448, 3264)
"""An 8-megapixel phone photo."""
ITEMS = ("COFFEE", "TEA", "CROISSANT", "SANDWICH", "WATER", "MUFFIN", "JUICE", "SALAD", "SOUP", "COOKIE")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.photos", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20, help="photos to upload (default 20)")
    parser.add_argument("--folder", type=Path, help="upload the JPEG/PNG files of this folder instead")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds one photo may take (default 120)")
    args = parser.parse_args(argv)
    unwind_on_signals()
    return 1 if correctness_failed(run_part(args.count, args.folder, args.timeout)) else 0


def run_part(count: int, folder: Path | None = None, timeout: float = 120.0) -> list[Target]:
    photos = folder_photos(folder, count) if folder else [receipt_photo(seed) for seed in range(count)]
    with backend("sqlite") as chosen, running_service(chosen, workers=1) as service:
        results = [_follow(service, name, data, timeout) for name, data in photos]
    _print_report(results, folder)
    return _targets(results)


def receipt_photo(seed: int) -> tuple[str, bytes]:
    """A receipt photographed on a table: turned a little, speckled, JPEG as a phone saves it."""
    rng = random.Random(seed)
    if not FONT.exists():
        raise SystemExit(f"{FONT} is missing: apt-get install fonts-dejavu-core")
    lines = ["CORNER CAFE SDN BHD", "NO 12 JALAN HARMONI 3/2", f"RECEIPT {seed:05d}", f"DATE {1 + seed % 28:02d}/03/2024"]
    prices = [(rng.choice(ITEMS), rng.randint(300, 2500) / 100) for _ in range(rng.randint(3, 8))]
    lines += [f"{item:<12} {price:>8.2f}" for item, price in prices]
    lines.append(f"TOTAL RM {sum(price for _, price in prices):>8.2f}")
    paper = _typeset(lines).rotate(rng.uniform(-3, 3), expand=True, fillcolor=(235, 232, 225))
    photo = Image.new("RGB", PHOTO_SIZE, (120, 110, 100))
    photo.paste(paper, ((PHOTO_SIZE[0] - paper.width) // 2, (PHOTO_SIZE[1] - paper.height) // 2))
    return f"receipt-{seed:03d}.jpg", _jpeg(_speckled(photo, rng))


def _typeset(lines: list[str]) -> Image.Image:
    face = ImageFont.truetype(str(FONT), 44)
    paper = Image.new("RGB", (1300, 160 + 80 * len(lines)), (250, 250, 245))
    draw = ImageDraw.Draw(paper)
    for index, line in enumerate(lines):
        draw.text((80, 80 + 80 * index), line, fill=(30, 30, 30), font=face)
    return paper


def _speckled(photo: Image.Image, rng: random.Random) -> Image.Image:
    pixels = photo.load()
    for _ in range(photo.width * photo.height // 200):
        x, y = rng.randrange(photo.width), rng.randrange(photo.height)
        pixels[x, y] = (rng.randrange(256),) * 3
    return photo


def _jpeg(photo: Image.Image) -> bytes:
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def folder_photos(folder: Path, count: int) -> list[tuple[str, bytes]]:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))[:count]
    return [(path.name, path.read_bytes()) for path in files]


def _follow(service: Service, name: str, data: bytes, timeout: float) -> dict:
    """Upload one photo and wait until it leaves processing: the document as the API then shows it."""
    with Connection(service.base_url, service.token) as client:
        started = time.perf_counter()
        answer = client.upload(data, name)
        if answer.status != 201:
            return {"name": name, "problem": f"upload answered {answer.outcome}"}
        path = f"/api/v1/documents/{answer.json()['id']}"
        while time.perf_counter() - started < timeout:
            document = client.get_json(path)
            if document["status"] not in ("received", "processing"):
                return {"name": name, "seconds": time.perf_counter() - started, "document": document}
            time.sleep(0.02)
    return {"name": name, "problem": f"still processing after {timeout:g} s"}


def _read(result: dict) -> bool:
    """In review with every page read by OCR and words stored."""
    document = result.get("document") or {}
    pages = document.get("pages") or []
    return (document.get("status") == "needs_review" and bool(pages)
            and all(page["source"] == "ocr" and page["words"] > 0 for page in pages))


def _print_report(results: list[dict], folder: Path | None) -> None:
    source = f"from {folder}" if folder else "drawn by the bench (8 MP JPEG)"
    print(heading(f"Photos to review: {len(results)} receipt photos {source}, one at a time, ledgerdesk up "
                  "with 1 worker", DATABASE_LABELS["sqlite"]))
    read = [r for r in results if _read(r)]
    timings = [r["document"].get("timings", {}) for r in read]
    print(table(["latency (ms)", *LATENCY_HEADERS], [
        latency_row("upload to needs_review with words", [r["seconds"] for r in read]),
        latency_row("  worker: reading the page (OCR)", [t["read"] for t in timings if "read" in t]),
        latency_row("  worker: whole job", [t["total"] for t in timings if "total" in t]),
    ]))
    words = [page["words"] for r in read for page in r["document"]["pages"]]
    print(f"read: {len(read)}/{len(results)}, words per page: median {sorted(words)[len(words) // 2] if words else 0}")
    for result in results:
        if not _read(result):
            document = result.get("document") or {}
            print(f"  {result['name']}: {result.get('problem') or document.get('status')} "
                  f"{document.get('failure_reason') or ''}")
    sys.stdout.flush()


def _targets(results: list[dict]) -> list[Target]:
    read = [r for r in results if _read(r)]
    row = latency_row("", [r["seconds"] for r in read])
    return [Target(PART, "photos in review with their words", "all", f"{len(read)}/{len(results)}",
                   len(read) == len(results), correctness=True),
            Target(PART, "photo upload to needs_review p50 / p95", "(reported)", f"{row[2]} / {row[3]} ms", None)]


if __name__ == "__main__":
    sys.exit(interruptible(main))
