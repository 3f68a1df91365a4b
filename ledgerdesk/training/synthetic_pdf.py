"""The drawing side of synthetic documents: a page of given size in millimetres with text placed at positions, boxes
and rules (fpdf2), and the record of which truth value was printed where and how.

Embedding a TrueType font costs fpdf2 a parse of the whole font per document and a subset of it when the file is
written: a fifth of a second for WenQuanYi Micro Hei. So each face is cut once per process down to the characters
synthetic documents can contain (ASCII, Latin-1 and every other character in the ``synthetic*.py`` sources, where
all printed text comes from), parsed once, and each document gets a copy of the parsed face with its own glyph
subset and its own fontTools font to subset at output."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache
from pathlib import Path

from fontTools import subset as font_subset
from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

from ledgerdesk.training.fonts import font_path

CREATED = datetime(2024, 1, 1, tzinfo=timezone.utc)
"""Every document's creation date, so that the same seed gives the same bytes."""
BASE_CHARACTERS = "".join(map(chr, range(0x20, 0x7F))) + "".join(map(chr, range(0xA0, 0x180)))
SOURCES = Path(__file__).parent


def source_characters() -> str:
    """Every character outside ASCII written in the synthetic-document modules: all the text they can print."""
    text = "".join(path.read_text("utf-8") for path in sorted(SOURCES.glob("synthetic*.py")))
    return "".join(sorted({char for char in text if ord(char) > 0x7E}))


@cache
def face_bytes(kind: str) -> bytes:
    """The face ``kind`` cut down to the characters of ``BASE_CHARACTERS`` and ``source_characters()``."""
    font = ttLib.TTFont(font_path(kind), fontNumber=0, recalcTimestamp=False)
    options = font_subset.Options(notdef_outline=True, recommended_glyphs=True, name_IDs=["*"])
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "FFTM"]
    subsetter = font_subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in BASE_CHARACTERS + source_characters()])
    subsetter.subset(font)
    output = io.BytesIO()
    font.save(output)
    return output.getvalue()


@cache
def parsed_face(kind: str) -> TTFFont:
    """The cut face parsed by fpdf2 once (what ``FPDF.add_font`` does, from memory), as the template of each
    document's copy."""
    return TTFFont(FPDF(), io.BytesIO(face_bytes(kind)), kind, "")


def _face_for(pdf: FPDF, kind: str) -> TTFFont:
    """A copy of the parsed face for one document: shared metrics, its own glyph subset and fontTools font."""
    template, copy = parsed_face(kind), TTFFont.__new__(TTFFont)
    for slot in TTFFont.__slots__:
        if hasattr(template, slot):
            setattr(copy, slot, getattr(template, slot))
    copy.i, copy.missing_glyphs, copy._hbfont = len(pdf.fonts) + 1, [], None
    copy.ttfont = ttLib.TTFont(io.BytesIO(face_bytes(kind)), recalcTimestamp=False, recalcBBoxes=False, lazy=True)
    copy.subset = SubsetMap(copy)
    return copy


@dataclass
class Truth:
    """What a layout printed: each field's canonical value and the text it was printed as."""

    fields: dict[str, object] = field(default_factory=dict)
    printed: dict[str, str] = field(default_factory=dict)

    def put(self, name: str, value: object, printed: str) -> str:
        """Record ``name`` as printed; returns ``printed`` to draw."""
        self.fields[name], self.printed[name] = value, printed
        return printed

    def exact(self, name: str, text: str) -> str:
        """Record ``name`` whose canonical value is the text printed."""
        return self.put(name, text, text)


def wrapped(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (by ``measure``, in one font): at spaces, and between
    any two Chinese characters."""
    widths: dict[str, float] = {}
    size = lambda token: widths.setdefault(token, measure(token))  # noqa: E731
    lines, line, used = [], "", 0.0
    for token in re.findall(r"[\u3000-\u9fff\uff00-\uffef]|[^\s\u3000-\u9fff\uff00-\uffef]+\s*|\s+", text):
        if line and used + size(token.rstrip()) > width:
            lines.append(line.rstrip())
            line, used = token.lstrip(), size(token.lstrip())
        else:
            line, used = line + token, used + size(token)
    return [*lines, line.rstrip()] if line.strip() else lines


class Sheet:
    """One document being drawn: pages of ``width`` x ``height`` mm, text in the Latin or the Chinese face."""

    def __init__(self, width: float, height: float, chinese: bool = False):
        self.pdf = FPDF(unit="mm", format=(width, height))
        self.pdf.set_creation_date(CREATED)
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(0, 0, 0)
        self.width, self.height, self.chinese = width, height, chinese
        for kind in ("cjk",) if chinese else ("latin", "latin-bold"):
            self.pdf.fonts[kind] = _face_for(self.pdf, kind)
        self.pdf.add_page()
        self.font(9)

    def font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font("cjk" if self.chinese else "latin-bold" if bold else "latin", size=size)

    def text(self, x: float, y: float, text: str, size: float = 9, bold: bool = False, align: str = "L",
             width: float = 0) -> None:
        """``text`` with its top left at (x, y) mm; ``align`` R or C within ``width`` from x."""
        self.font(size, bold)
        self.pdf.set_xy(x, y)
        self.pdf.cell(width, size * 0.45, text, align=align)

    def right(self, x_right: float, y: float, text: str, size: float = 9, bold: bool = False) -> None:
        """``text`` ending at ``x_right``."""
        width = min(120.0, x_right - 0.5)
        self.text(x_right - width, y, text, size, bold, align="R", width=width)

    def centred(self, y: float, text: str, size: float = 9, bold: bool = False) -> None:
        self.text(0, y, text, size, bold, align="C", width=self.width)

    def paragraph(self, x: float, y: float, width: float, text: str, size: float = 9, leading: float = 1.35) -> float:
        """``text`` wrapped in ``width`` mm from (x, y); returns the y below it."""
        self.font(size)
        self.pdf.set_xy(x, y)
        self.pdf.multi_cell(width, size * 0.3528 * leading, text, align="L")
        return self.pdf.get_y()

    def flow(self, text: str, size: float = 9.5, bold: bool = False, align: str = "L", after: float = 2.0) -> None:
        """``text`` wrapped between the side margins below what came before, onto new pages as needed (after
        ``flowing``); ``align`` L or C. Wrapped here rather than by ``multi_cell``, which costs ten times as much."""
        self.font(size, bold)
        margin, leading = self.pdf.l_margin, size * 0.3528 * 1.4
        for line in wrapped(text, self.width - 2 * margin, self.quick_width):
            if self.pdf.get_y() + leading > self.height - margin:
                self.pdf.add_page()
                self.pdf.set_y(margin)
            shift = (self.width - 2 * margin - self.pdf.get_string_width(line)) / 2 if align == "C" else 0
            self.pdf.text(margin + shift, self.pdf.get_y() + size * 0.3528, line)
            self.pdf.set_y(self.pdf.get_y() + leading)
        self.pdf.set_y(self.pdf.get_y() + after)

    def flowing(self, margin: float, top: float) -> None:
        """From here on ``flow`` writes from ``top`` between margins of ``margin`` mm, breaking onto new pages."""
        self.pdf.set_margins(margin, margin, margin)
        self.pdf.set_y(top)

    def wrapped_lines(self, text: str, width: float, size: float = 9, bold: bool = False) -> list[str]:
        """``text`` broken into lines no wider than ``width`` mm in the face at ``size``."""
        self.font(size, bold)
        return wrapped(text, width, self.quick_width) or [""]

    def quick_width(self, text: str) -> float:
        """The width of ``text`` in the current font, from the face's advance widths (no kerning or shaping is
        used, so this is what fpdf2 draws); ``get_string_width`` costs much more."""
        widths = self.pdf.current_font.cw
        return sum(widths[ord(char)] for char in text) * self.pdf.font_size / 1000

    def text_width(self, text: str, size: float = 9, bold: bool = False) -> float:
        self.font(size, bold)
        return self.pdf.get_string_width(text)

    def box(self, x: float, y: float, w: float, h: float, fill: int | None = None, width: float = 0.25) -> None:
        """A rectangle; ``fill`` a grey level (0-255) to fill it."""
        self.pdf.set_line_width(width)
        if fill is not None:
            self.pdf.set_fill_color(fill)
        self.pdf.rect(x, y, w, h, style="DF" if fill is not None else "D")

    def shade(self, x: float, y: float, w: float, h: float, grey: int = 225) -> None:
        self.pdf.set_fill_color(grey)
        self.pdf.rect(x, y, w, h, style="F")

    def rule(self, x0: float, y0: float, x1: float, y1: float, width: float = 0.25) -> None:
        self.pdf.set_line_width(width)
        self.pdf.line(x0, y0, x1, y1)

    def colour(self, red: int, green: int, blue: int) -> None:
        """Text and lines from now on in this colour (a vendor's brand, a red form)."""
        self.pdf.set_text_color(red, green, blue)
        self.pdf.set_draw_color(red, green, blue)

    def new_page(self) -> None:
        self.pdf.add_page()

    def output(self) -> bytes:
        """The PDF; a character missing from the faces is an error, not a blank box."""
        data = bytes(self.pdf.output())
        missing = sorted({chr(c) for font in self.pdf.fonts.values() for c in font.missing_glyphs})
        if missing:
            raise ValueError(f"characters missing from the synthetic-document faces: {''.join(missing)}")
        return data
