"""Chinese invoices in OFD packages (GB/T 33190): the invoice data and the first page.

An OFD invoice carries its data in one of two forms. Older VAT e-invoices attach the e-invoice XML
(``Doc_0/Attachs/original_invoice.xml``), sometimes an XBRL instance; fully-digital invoices (数电票) carry
custom tags instead (``Doc_0/Tags/CustomTag.xml``): elements named like the XML's whose ``ObjectRef`` point at
the text objects that draw each value on a page. The attachment is preferred where both exist, as it states
the values exactly; the tags still say where each value is drawn. Real tag files can be malformed (an
undeclared ``ofd:`` prefix, ``<:eInvoice xmlns:="">``), so they alone are parsed leniently, still without DTDs,
entities or network."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from PIL import Image

from extraction.einvoice.chinese import (HEADER_ELEMENTS, LINE_ELEMENTS, Stated, chinese_einvoice,
                                         is_chinese_invoice, is_xbrl, read_chinese_xbrl, read_chinese_xml)
from extraction.einvoice.model import EInvoice, Located
from extraction.einvoice.ofd_content import Box, PageContent, TextObject, box, page_content
from extraction.einvoice.ofd_package import OfdLimits, OfdPackage, open_package, resolve
from extraction.einvoice.ofd_render import render_page
from extraction.einvoice.xmltree import Element, InvalidEInvoice, child, children, local, parse_xml, text
from extraction.model import BBox, PageText, Word

__all__ = ["OfdInvoice", "OfdLimits", "read_ofd"]

NO_INVOICE_DATA = ("This OFD carries no invoice data: no invoice XML attachment and no custom tags. It may be "
                   "an OFD that is not an invoice; the fields can be entered by hand.")
DEFAULT_PAGE: Box = (0.0, 0.0, 210.0, 297.0)
POINTS_PER_MM = 72 / 25.4
ATTACHED_XML = re.compile(r"^Doc_\d+/Attachs/[^/]+\.xml$", re.IGNORECASE)


@dataclass(frozen=True)
class OfdInvoice:
    """The invoice an OFD states, its first page's text and, when asked for, that page drawn (None where it
    could not be)."""

    einvoice: EInvoice
    first_page: PageText | None
    first_page_image: Image.Image | None = None


@dataclass(frozen=True)
class OfdDocument:
    """One document of the package (``Doc_0/Document.xml``): where its parts are."""

    path: str
    pages: tuple[tuple[str, str], ...]
    """(page ID, archive name of its Content.xml), in page order."""
    templates: dict[str, str]
    physical_box: Box
    attachments: str | None
    custom_tags: str | None
    resources: tuple[str, ...]


@dataclass
class Pages:
    """The pages and templates of a document, each parsed once when first needed."""

    package: OfdPackage
    document: OfdDocument
    parsed: dict[str, PageContent] = field(default_factory=dict)

    def content(self, name: str) -> PageContent:
        if name not in self.parsed:
            self.parsed[name] = page_content(parse_xml(self.package.read(name, "a page"), f"The OFD page {name}"))
        return self.parsed[name]

    def number(self, page_id: str) -> int | None:
        """The page's number (1 for the first) from its ID (``PageRef``)."""
        return next((n for n, (pid, _) in enumerate(self.document.pages, 1) if pid == page_id), None)

    def layers(self, number: int) -> list[PageContent]:
        """The page's templates drawn behind it, the page, then templates drawn in front, in drawing order."""
        page = self.content(self.document.pages[number - 1][1])
        behind = [self._template(tid) for tid, order in page.templates if order.lower() != "foreground"]
        front = [self._template(tid) for tid, order in page.templates if order.lower() == "foreground"]
        return [layer for layer in (*behind, page, *front) if layer is not None]

    def _template(self, template_id: str) -> PageContent | None:
        name = self.document.templates.get(template_id)
        return self.content(name) if name else None

    def physical_box(self, number: int) -> Box:
        own = self.content(self.document.pages[number - 1][1]).physical_box
        return own or self.document.physical_box


def read_ofd(data: bytes, limits: OfdLimits = OfdLimits(), *, draw: bool = False) -> OfdInvoice:
    """The invoice of an OFD file, and with ``draw`` its first page drawn (the slow part: only the page image
    for the review page needs it); ``InvalidEInvoice`` with a readable reason when it has none or is hostile."""
    package = open_package(data, limits)
    pages = Pages(package, ofd_document(package))
    attached = attached_invoice(package, pages.document)
    tagged = tagged_invoice(package, pages)
    einvoice = _chosen(attached, tagged)
    first_page = page_text(pages, 1) if pages.document.pages else None
    return OfdInvoice(einvoice, first_page, first_page_image(package, pages) if draw else None)


def _chosen(attached: EInvoice | None, tagged: EInvoice | None) -> EInvoice:
    """The attachment's values with the tags' locations; the tags alone; or ``InvalidEInvoice``."""
    if attached is not None:
        return replace(attached, locations=tagged.locations) if tagged is not None else attached
    if tagged is not None:
        return tagged
    raise InvalidEInvoice(NO_INVOICE_DATA)


def has_invoice_data(invoice: EInvoice) -> bool:
    return "invoice_number" in invoice.values or "total_amount" in invoice.values


# --- the package's structure ---------------------------------------------------------------------------------


def ofd_document(package: OfdPackage) -> OfdDocument:
    """The first document the package's ``OFD.xml`` names."""
    if not package.has("OFD.xml"):
        raise InvalidEInvoice("The file is a ZIP package but no OFD document: it has no OFD.xml.")
    root = parse_xml(package.read("OFD.xml"), "The OFD package's OFD.xml")
    doc_root = text(root, "DocBody", "DocRoot")
    if not doc_root:
        raise InvalidEInvoice("The OFD package's OFD.xml names no document (DocBody/DocRoot), so there is "
                              "nothing to read.")
    path = resolve("OFD.xml", doc_root)
    return document_structure(path, parse_xml(package.read(path, "its document"), f"The OFD document {path}"))


def document_structure(path: str, root: Element) -> OfdDocument:
    common = child(root, "CommonData")
    pages = tuple((page.get("ID", ""), resolve(path, page.get("BaseLoc", "")))
                  for page in children(child(root, "Pages"), "Page") if page.get("BaseLoc"))
    templates = {tpl.get("ID", ""): resolve(path, tpl.get("BaseLoc", ""))
                 for tpl in children(common, "TemplatePage") if tpl.get("BaseLoc")}
    resources = tuple(resolve(path, loc) for name in ("PublicRes", "DocumentRes")
                      for element in children(common, name) if (loc := text(element)))
    return OfdDocument(path, pages, templates, _physical_box(common), _location(path, root, "Attachments"),
                       _location(path, root, "CustomTags"), resources)


def _physical_box(common: Element | None) -> Box:
    return box(text(common, "PageArea", "PhysicalBox")) or DEFAULT_PAGE


def _location(path: str, root: Element, name: str) -> str | None:
    loc = text(root, name)
    return resolve(path, loc) if loc else None


# --- form (a): an attached invoice XML or XBRL -----------------------------------------------------------------


def attached_invoice(package: OfdPackage, document: OfdDocument) -> EInvoice | None:
    """The first attachment that is a Chinese e-invoice or XBRL stating an invoice number or total."""
    for name in attachment_names(package, document):
        invoice = read_attachment(name, parse_xml(package.read(name, "an attachment"), f"The OFD attachment {name}"))
        if invoice is not None and has_invoice_data(invoice):
            return invoice
    return None


def attachment_names(package: OfdPackage, document: OfdDocument) -> list[str]:
    """The XML attachments ``Attachments.xml`` lists, then any other XML in an ``Attachs`` folder."""
    listed: list[str] = []
    if document.attachments and package.has(document.attachments):
        index = parse_xml(package.read(document.attachments), f"The OFD attachment list {document.attachments}")
        listed = [resolve(document.attachments, loc) for attachment in children(index, "Attachment")
                  if (loc := text(attachment, "FileLoc")) and _is_xml_attachment(attachment, loc)]
    others = [name for name in package.names()
              if ATTACHED_XML.match(name) and not name.lower().endswith("/attachments.xml")]
    return list(dict.fromkeys(name for name in listed + others if package.has(name)))


def _is_xml_attachment(attachment: Element, loc: str) -> bool:
    return loc.lower().endswith((".xml", ".xbrl")) or attachment.get("Format", "").lower() in ("xml", "xbrl")


def read_attachment(name: str, root: Element) -> EInvoice | None:
    """The invoice an attachment states, its evidence prefixed with the attachment's name; None if it is none."""
    if is_chinese_invoice(root):
        invoice = read_chinese_xml(root)
    elif is_xbrl(root):
        invoice = read_chinese_xbrl(root)
    else:
        return None
    evidence = {key: f"{name}: {where}" if key != "currency" or "implied" not in where else where
                for key, where in invoice.evidence.items()}
    return replace(invoice, evidence=evidence)


# --- form (b): custom tags pointing at text objects ------------------------------------------------------------


@dataclass(frozen=True)
class TaggedValue:
    """A tagged value: its text, where the tag stands, and the objects that draw it."""

    stated: Stated
    objects: tuple[TextObject, ...]
    page: int | None


def tagged_invoice(package: OfdPackage, pages: Pages) -> EInvoice | None:
    """The invoice the custom tags state, with where each header field is drawn; None without tagged data."""
    header: dict[str, TaggedValue] = {}
    lines: list[dict[str, Stated]] = []
    for name in tag_files(package, pages.document):
        file_header, file_lines = read_tag_file(name, _tag_xml(package, name), pages)
        header = {**file_header, **header}
        lines = lines or file_lines
    invoice = chinese_einvoice("OFD tags", None, {key: value.stated for key, value in header.items()}, lines)
    if not has_invoice_data(invoice):
        return None
    return replace(invoice, locations=locations(header, pages))


def tag_files(package: OfdPackage, document: OfdDocument) -> list[str]:
    """The tag files ``CustomTags.xml`` lists (``FileLoc`` relative to it)."""
    index_name = document.custom_tags or _default_tags_index(document)
    if not package.has(index_name):
        return []
    index = _tag_xml(package, index_name)
    return [resolve(index_name, loc) for element in index.iter()
            if local(element) == "FileLoc" and (loc := (element.text or "").strip())]


def _default_tags_index(document: OfdDocument) -> str:
    return resolve(document.path, "Tags/CustomTags.xml")


def _tag_xml(package: OfdPackage, name: str) -> Element:
    """A custom tag file, read leniently: real ones can be malformed."""
    return parse_xml(package.read(name, "a custom tag file"), f"The OFD custom tag file {name}", recover=True)


def read_tag_file(name: str, root: Element, pages: Pages) -> tuple[dict[str, TaggedValue], list[dict[str, Stated]]]:
    """The header fields (first of each) and line items a tag file states."""
    header: dict[str, TaggedValue] = {}
    loose: list[tuple[str, Stated]] = []
    lines: list[dict[str, Stated]] = []
    for element, path in _walk(root, local(root)):
        tag = local(element)
        if tag == "GoodsInfo":
            lines.append(_tagged_line(name, element, path, pages))
        elif tag in HEADER_ELEMENTS and HEADER_ELEMENTS[tag] not in header:
            value = tagged_value(name, element, path, pages)
            if value is not None:
                header[HEADER_ELEMENTS[tag]] = value
        elif tag in LINE_ELEMENTS and "GoodsInfo" not in path.split("/"):
            value = tagged_value(name, element, path, pages)
            if value is not None:
                loose.append((tag, value.stated))
    return header, lines + group_loose_lines(loose)


def _walk(element: Element, path: str):
    """Every element below ``element`` with its path of local names."""
    for below in element:
        if isinstance(below.tag, str):
            below_path = f"{path}/{local(below)}"
            yield below, below_path
            yield from _walk(below, below_path)


def _tagged_line(name: str, item: Element, path: str, pages: Pages) -> dict[str, Stated]:
    texts: dict[str, Stated] = {}
    for element in item:
        tag = local(element)
        if tag in LINE_ELEMENTS and tag not in texts:
            value = tagged_value(name, element, f"{path}/{tag}", pages)
            if value is not None:
                texts[tag] = value.stated
    return texts


def group_loose_lines(loose: list[tuple[str, Stated]]) -> list[dict[str, Stated]]:
    """Line values tagged without a ``GoodsInfo`` around them (fully-digital invoices): a new line starts where
    a name repeats."""
    lines: list[dict[str, Stated]] = []
    for tag, stated in loose:
        if not lines or tag in lines[-1]:
            lines.append({})
        lines[-1][tag] = stated
    return lines


def tagged_value(name: str, element: Element, path: str, pages: Pages) -> TaggedValue | None:
    """The text the element's ``ObjectRef`` point at, joined in their order, a separate ``¥`` object dropped."""
    refs = [(ref.get("PageRef", ""), (ref.text or "").strip())
            for ref in element if local(ref) == "ObjectRef" and (ref.text or "").strip()]
    if not refs:
        return None
    objects = tuple(obj for page_ref, object_id in refs
                    if (obj := _text_object(pages, _page_of(pages, page_ref), object_id)) is not None)
    page = _page_of(pages, refs[0][0])
    written = "".join(obj.text for obj in objects if not obj.is_currency_sign).strip()
    if not written:
        return None
    where = f"{name}: {path} → text object{'s' if len(objects) > 1 else ''} {', '.join(obj.id for obj in objects)}"
    return TaggedValue(Stated(written, where), objects, page)


def _page_of(pages: Pages, page_ref: str) -> int | None:
    """The page a ``PageRef`` names; the first page when it names none (or none that exists)."""
    return pages.number(page_ref) or (1 if pages.document.pages else None)


def _text_object(pages: Pages, page: int | None, object_id: str) -> TextObject | None:
    if page is None:
        return None
    found = next((obj for layer in pages.layers(page) if (obj := layer.by_id().get(object_id)) is not None), None)
    return found if isinstance(found, TextObject) else None


def locations(header: dict[str, TaggedValue], pages: Pages) -> dict[str, Located]:
    """Where each tagged header field is drawn: its page and the union of its objects' boundaries."""
    return {key: Located(value.page, fraction_box(union(obj.boundary for obj in value.objects),
                                                  pages.physical_box(value.page)))
            for key, value in header.items() if value.page is not None and value.objects}


def union(boxes) -> Box:
    boxes = list(boxes)
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    return x0, y0, max(b[0] + b[2] for b in boxes) - x0, max(b[1] + b[3] for b in boxes) - y0


def fraction_box(boundary: Box, page: Box) -> BBox:
    """A box in millimetres as fractions of the page (x0, y0, x1, y1), kept within the page."""
    px, py, pw, ph = page
    return (_clip((boundary[0] - px) / pw), _clip((boundary[1] - py) / ph),
            _clip((boundary[0] + boundary[2] - px) / pw), _clip((boundary[1] + boundary[3] - py) / ph))


def _clip(fraction: float) -> float:
    return min(max(fraction, 0.0), 1.0)


# --- the first page --------------------------------------------------------------------------------------------


def page_text(pages: Pages, number: int) -> PageText:
    """The page's text objects (templates included) as words, boxes as fractions of its physical box."""
    physical = pages.physical_box(number)
    words = tuple(Word(obj.text.strip(), fraction_box(obj.boundary, physical), 1.0, obj.size * POINTS_PER_MM)
                  for layer in pages.layers(number) for obj in layer.objects
                  if isinstance(obj, TextObject) and obj.text.strip() and not obj.is_currency_sign)
    return PageText(number=number, width=physical[2] * POINTS_PER_MM, height=physical[3] * POINTS_PER_MM,
                    source="ofd", words=words)


def first_page_image(package: OfdPackage, pages: Pages) -> Image.Image | None:
    """The first page drawn; None when it has no pages or cannot be drawn."""
    return render_page(package, pages, 1) if pages.document.pages else None
