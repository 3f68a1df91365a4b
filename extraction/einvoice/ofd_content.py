"""What an OFD page draws, as plain values: text objects (with their glyph positions), images and paths.

Only what extraction and a simple picture need is kept. Coordinates are millimetres in the page's coordinate
system (origin top left); an object's ``Boundary`` is its box on the page, and what it draws is placed relative
to the box's corner."""

from __future__ import annotations

from dataclasses import dataclass

from extraction.einvoice.xmltree import Element, local, text

Box = tuple[float, float, float, float]
"""x, y, width, height in millimetres (an OFD ``Boundary`` or ``PhysicalBox``)."""
Matrix = tuple[float, float, float, float, float, float]
"""An OFD ``CTM``: ``x' = a*x + c*y + e``, ``y' = b*x + d*y + f``."""
CURRENCY_SIGNS = {"¥", "￥"}


@dataclass(frozen=True)
class TextCode:
    x: float
    y: float
    text: str
    delta_x: tuple[float, ...] = ()
    delta_y: tuple[float, ...] = ()


@dataclass(frozen=True)
class TextObject:
    id: str
    boundary: Box
    codes: tuple[TextCode, ...]
    font: str | None = None
    size: float = 3.5
    color: tuple[int, int, int] | None = None
    ctm: Matrix | None = None

    @property
    def text(self) -> str:
        return "".join(code.text for code in self.codes)

    @property
    def is_currency_sign(self) -> bool:
        """An object that draws only ``¥``: fully-digital invoices draw the sign apart from the amount."""
        return self.text.strip() in CURRENCY_SIGNS


@dataclass(frozen=True)
class ImageObject:
    id: str
    boundary: Box
    resource: str


@dataclass(frozen=True)
class PathObject:
    id: str
    boundary: Box
    data: str
    ctm: Matrix | None = None
    color: tuple[int, int, int] | None = None


Drawn = TextObject | ImageObject | PathObject


@dataclass(frozen=True)
class PageContent:
    """One page or template: its objects in drawing order, the templates it stands on, its own size if any."""

    objects: tuple[Drawn, ...]
    templates: tuple[tuple[str, str], ...] = ()
    """(template ID, ZOrder) pairs."""
    physical_box: Box | None = None

    def by_id(self) -> dict[str, Drawn]:
        return {obj.id: obj for obj in self.objects}


def page_content(root: Element) -> PageContent:
    """The drawable objects of a page's ``Content.xml`` (in layers and page blocks alike)."""
    objects = tuple(obj for element in root.iter() if (obj := drawn(element)) is not None)
    templates = tuple((element.get("TemplateID", ""), element.get("ZOrder", "Background"))
                      for element in root if local(element) == "Template")
    return PageContent(objects, templates, box(text(root, "Area", "PhysicalBox")))


def drawn(element: Element) -> Drawn | None:
    kind = local(element)
    boundary = box(element.get("Boundary")) if kind else None
    if boundary is None:
        return None
    if kind == "TextObject":
        return text_object(element, boundary)
    if kind == "ImageObject" and element.get("ResourceID"):
        return ImageObject(element.get("ID", ""), boundary, element.get("ResourceID", ""))
    if kind == "PathObject":
        return PathObject(element.get("ID", ""), boundary, text(element, "AbbreviatedData") or "",
                          matrix(element.get("CTM")), color(element, "StrokeColor"))
    return None


def text_object(element: Element, boundary: Box) -> TextObject:
    codes = tuple(text_code(code) for code in element if local(code) == "TextCode")
    return TextObject(element.get("ID", ""), boundary, codes, element.get("Font"), number(element.get("Size"), 3.5),
                      color(element, "FillColor"), matrix(element.get("CTM")))


def text_code(element: Element) -> TextCode:
    return TextCode(number(element.get("X"), 0.0), number(element.get("Y"), 0.0), "".join(element.itertext()),
                    deltas(element.get("DeltaX")), deltas(element.get("DeltaY")))


def deltas(written: str | None) -> tuple[float, ...]:
    """``DeltaX="g 4 1.5875 3.175"`` as (1.5875, 1.5875, 1.5875, 1.5875, 3.175): ``g N d`` repeats d N times."""
    tokens = (written or "").split()
    values: list[float] = []
    index = 0
    while index < len(tokens):
        if tokens[index] == "g" and index + 2 < len(tokens):
            values.extend([number(tokens[index + 2], 0.0)] * min(int(number(tokens[index + 1], 0)), 10_000))
            index += 3
        else:
            values.append(number(tokens[index], 0.0))
            index += 1
    return tuple(values)


def box(written: str | None) -> Box | None:
    """``"x y w h"`` as numbers; None when it is not four numbers."""
    parts = (written or "").split()
    values = [number(part, float("nan")) for part in parts]
    if len(values) != 4 or any(value != value for value in values):
        return None
    return values[0], values[1], values[2], values[3]


def matrix(written: str | None) -> Matrix | None:
    values = [number(part, float("nan")) for part in (written or "").split()]
    if len(values) != 6 or any(value != value for value in values):
        return None
    return values[0], values[1], values[2], values[3], values[4], values[5]


def color(element: Element, name: str) -> tuple[int, int, int] | None:
    """``<FillColor Value="156 82 35"/>`` as an RGB triple."""
    found = next((child for child in element if local(child) == name), None)
    values = [int(number(part, 0)) for part in (found.get("Value", "") if found is not None else "").split()]
    return (values[0], values[1], values[2]) if len(values) == 3 else None


def number(written: str | None, default: float) -> float:
    try:
        value = float(written) if written is not None else default
    except ValueError:
        return default
    return value if value == value and abs(value) != float("inf") else default
