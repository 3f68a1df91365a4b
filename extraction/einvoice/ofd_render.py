"""A picture of an OFD page for the review page: text where the page draws it, lines and PNG/JPEG images.

It is a likeness, not a faithful renderer: fonts are the package's embedded TrueType/OpenType fonts where it
has them, else a CJK font of the system, else Pillow's own; clips, shadings and JBIG2 images are left out.
Drawing never fails a document: whatever goes wrong, the page is then simply not drawn (None)."""

from __future__ import annotations

import glob
import io
import logging
from dataclasses import dataclass, field
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from extraction.einvoice.ofd_content import Box, ImageObject, Matrix, PathObject, TextObject
from extraction.einvoice.ofd_package import OfdPackage, resolve
from extraction.einvoice.xmltree import local, parse_xml, text

log = logging.getLogger(__name__)

PX_PER_MM = 8.0
MAX_PIXELS = 40_000_000
MAX_IMAGE_PIXELS = 20_000_000
SYSTEM_FONTS = ("/usr/share/fonts/**/wqy-microhei.tt*", "/usr/share/fonts/**/wqy-zenhei.tt*",
                "/usr/share/fonts/**/NotoSansCJK*", "/usr/share/fonts/**/NotoSerifCJK*",
                "/usr/share/fonts/**/DejaVuSans.ttf")
"""Fonts tried in order: CJK first (they draw Latin too), DejaVu for Latin text at least."""
PICTURE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff")
TEXT_COLOR = (0, 0, 0)
LINE_COLOR = (60, 60, 60)


def render_page(package: OfdPackage, pages, number: int) -> Image.Image | None:
    """The page drawn at ``PX_PER_MM``; None when it cannot be drawn."""
    try:
        return _render(package, pages, number)
    except Exception as exc:  # noqa: BLE001 - a picture that fails must never fail the document
        log.warning("OFD page %s could not be drawn: %s", number, exc)
        return None


def _render(package: OfdPackage, pages, number: int) -> Image.Image | None:
    physical = pages.physical_box(number)
    size = (round(physical[2] * PX_PER_MM), round(physical[3] * PX_PER_MM))
    if min(size) < 1 or size[0] * size[1] > MAX_PIXELS:
        return None
    canvas = Canvas(Image.new("RGB", size, "white"), physical, Resources.of(package, pages.document.resources))
    for layer in pages.layers(number):
        for obj in layer.objects:
            canvas.draw(obj)
    return canvas.image


@dataclass
class Resources:
    """The package's fonts and images by resource ID (archive names), read when first drawn."""

    package: OfdPackage
    fonts: dict[str, str]
    media: dict[str, str]
    loaded: dict[tuple[str, int], ImageFont.FreeTypeFont | ImageFont.ImageFont] = field(default_factory=dict)

    @classmethod
    def of(cls, package: OfdPackage, resource_files: tuple[str, ...]) -> Resources:
        fonts: dict[str, str] = {}
        media: dict[str, str] = {}
        for name in resource_files:
            if package.has(name):
                _collect(name, parse_xml(package.read(name), f"The OFD resource file {name}"), fonts, media)
        return cls(package, fonts, media)

    def font(self, font_id: str | None, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        key = (font_id or "", size)
        if key not in self.loaded:
            self.loaded[key] = self._embedded(font_id, size) or system_font(size)
        return self.loaded[key]

    def _embedded(self, font_id: str | None, size: int) -> ImageFont.FreeTypeFont | None:
        name = self.fonts.get(font_id or "")
        if not name or not self.package.has(name):
            return None
        try:
            return ImageFont.truetype(io.BytesIO(self.package.read(name)), size)
        except OSError:
            return None

    def picture(self, resource_id: str) -> Image.Image | None:
        """A PNG or JPEG image resource; None for others (JBIG2) and for oversized ones."""
        name = self.media.get(resource_id)
        data = self.package.read(name) if name and self.package.has(name) else b""
        if not data.startswith(PICTURE_MAGIC):
            return None
        picture = Image.open(io.BytesIO(data))
        if picture.width * picture.height > MAX_IMAGE_PIXELS:
            return None
        return picture.convert("RGBA")


def _collect(name: str, root, fonts: dict[str, str], media: dict[str, str]) -> None:
    """The fonts' and images' files a resource file lists, relative to its ``BaseLoc`` folder."""
    base = root.get("BaseLoc", "").strip().strip("/")
    for element in root.iter():
        kind = local(element)
        file_name = text(element, "FontFile") if kind == "Font" else text(element, "MediaFile") if kind == "MultiMedia" else None
        if file_name and element.get("ID"):
            target = fonts if kind == "Font" else media
            target[element.get("ID")] = resolve(name, f"{base}/{file_name}" if base and not file_name.startswith("/") else file_name)


@lru_cache(maxsize=64)
def system_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for pattern in SYSTEM_FONTS:
        for path in sorted(glob.glob(pattern, recursive=True)):
            try:
                return ImageFont.truetype(path, size)
            except OSError:
                continue
    return ImageFont.load_default(size=size)


@dataclass
class Canvas:
    """The page image being drawn, millimetres in page coordinates mapped to pixels."""

    image: Image.Image
    physical: Box
    resources: Resources

    def __post_init__(self) -> None:
        self.pen = ImageDraw.Draw(self.image)

    def px(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.physical[0]) * PX_PER_MM, (y - self.physical[1]) * PX_PER_MM

    def draw(self, obj) -> None:
        if isinstance(obj, TextObject):
            self.text(obj)
        elif isinstance(obj, PathObject):
            self.path(obj)
        elif isinstance(obj, ImageObject):
            self.picture(obj)

    def text(self, obj: TextObject) -> None:
        """Each glyph where ``X``/``Y`` and ``DeltaX``/``DeltaY`` place it, on its baseline."""
        font = self.resources.font(obj.font, max(1, round(obj.size * PX_PER_MM)))
        for code in obj.codes:
            for char, (x, y) in zip(code.text, glyph_positions(code.x, code.y, code.delta_x, code.delta_y,
                                                                len(code.text), obj.size)):
                self.pen.text(self.px(obj.boundary[0] + x, obj.boundary[1] + y), char, font=font,
                              fill=obj.color or TEXT_COLOR, anchor="ls")

    def path(self, obj: PathObject) -> None:
        width = max(1, round(0.25 * PX_PER_MM))
        for stroke in path_strokes(obj.data):
            points = [self.px(obj.boundary[0] + x, obj.boundary[1] + y)
                      for x, y in (transform(obj.ctm, point) for point in stroke)]
            if len(points) > 1:
                self.pen.line(points, fill=obj.color or LINE_COLOR, width=width)

    def picture(self, obj: ImageObject) -> None:
        picture = self.resources.picture(obj.resource)
        if picture is None:
            return
        x0, y0 = self.px(obj.boundary[0], obj.boundary[1])
        size = (max(1, round(obj.boundary[2] * PX_PER_MM)), max(1, round(obj.boundary[3] * PX_PER_MM)))
        if size[0] * size[1] <= MAX_IMAGE_PIXELS:
            scaled = picture.resize(size)
            self.image.paste(scaled, (round(x0), round(y0)), scaled)


def glyph_positions(x: float, y: float, delta_x: tuple[float, ...], delta_y: tuple[float, ...], count: int,
                    size: float) -> list[tuple[float, float]]:
    """Where each of ``count`` glyphs starts: a missing ``DeltaX`` advances by the font size, ``DeltaY`` by 0."""
    positions = []
    for index in range(count):
        positions.append((x, y))
        x += delta_x[index] if index < len(delta_x) else size
        y += delta_y[index] if index < len(delta_y) else 0.0
    return positions


def transform(ctm: Matrix | None, point: tuple[float, float]) -> tuple[float, float]:
    if ctm is None:
        return point
    a, b, c, d, e, f = ctm
    return a * point[0] + c * point[1] + e, b * point[0] + d * point[1] + f


def path_strokes(data: str) -> list[list[tuple[float, float]]]:
    """The polylines of an ``AbbreviatedData`` path: ``M`` starts one, ``L`` extends it, ``B``/``Q`` curves are
    sampled, ``A`` arcs become a straight segment, ``C`` closes it."""
    tokens = data.split()
    strokes: list[list[tuple[float, float]]] = []
    index = 0
    arity = {"M": 2, "S": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
    while index < len(tokens):
        command = tokens[index]
        count = arity.get(command)
        numbers = _numbers(tokens[index + 1:index + 1 + (count or 0)]) if count is not None else None
        index += 1 + (count or 0)
        if numbers is None or len(numbers) != count:
            continue
        _apply(command, numbers, strokes)
    return strokes


def _numbers(tokens: list[str]) -> list[float] | None:
    try:
        return [float(token) for token in tokens]
    except ValueError:
        return None


def _apply(command: str, numbers: list[float], strokes: list[list[tuple[float, float]]]) -> None:
    if command in ("M", "S") or not strokes:
        strokes.append([])
    stroke = strokes[-1]
    start = stroke[-1] if stroke else (0.0, 0.0)
    if command in ("M", "S", "L"):
        stroke.append((numbers[0], numbers[1]))
    elif command == "Q":
        stroke.extend(_bezier([start, (numbers[0], numbers[1]), (numbers[2], numbers[3])]))
    elif command == "B":
        stroke.extend(_bezier([start, (numbers[0], numbers[1]), (numbers[2], numbers[3]), (numbers[4], numbers[5])]))
    elif command == "A":
        stroke.append((numbers[5], numbers[6]))
    elif command == "C" and stroke:
        stroke.append(stroke[0])


def _bezier(controls: list[tuple[float, float]], steps: int = 8) -> list[tuple[float, float]]:
    """Points along a Bézier curve (de Casteljau), the start point left out."""
    points = []
    for step in range(1, steps + 1):
        level = controls
        t = step / steps
        while len(level) > 1:
            level = [(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t) for a, b in zip(level, level[1:])]
        points.append(level[0])
    return points
