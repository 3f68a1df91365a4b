"""Safe XML parsing and namespace-blind navigation for e-invoice readers.

Parsing never loads a DTD, resolves an entity or touches the network, and a document that declares a DTD is
refused outright (no e-invoice has one; entity bombs and external entities live there). Navigation goes by
local names, so a document is read with whatever prefixes and namespace versions it declares."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from lxml import etree

from core.errors import UnreadableDocument

Element = etree._Element


class InvalidEInvoice(UnreadableDocument):
    """The e-invoice's XML is damaged or states something that is not what its syntax allows."""


def _parser(recover: bool) -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True, recover=recover)


def parse_xml(data: bytes, what: str = "The XML", *, recover: bool = False) -> Element:
    """The root element of ``data``; raises ``InvalidEInvoice`` with a readable reason.

    ``recover``: read what libxml2 can of malformed XML (real OFD tag files declare no namespace for their
    prefixes), still without a DTD, entities or network."""
    try:
        root = etree.fromstring(data, _parser(recover))
    except etree.XMLSyntaxError as exc:
        raise InvalidEInvoice(f"{what} is not well-formed XML ({_first_line(exc)}), so it cannot be read. "
                              "Ask the sender for a corrected file.") from exc
    if root is None:
        raise InvalidEInvoice(f"{what} is empty or no XML at all, so it cannot be read.")
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise InvalidEInvoice(f"{what} declares a DTD, which no e-invoice does; it was not read, to be safe.")
    return tree.getroot()


def _first_line(exc: etree.XMLSyntaxError) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def local(element: Element) -> str:
    """The element's name without its namespace (comments and processing instructions have none); also of names
    a recovering parser kept with an undeclared prefix (``ofd:ObjectRef`` in a malformed OFD tag file)."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1] if isinstance(tag, str) else ""


def children(element: Element | None, name: str) -> list[Element]:
    """The child elements called ``name`` (local name)."""
    if element is None:
        return []
    return [child for child in element if local(child) == name]


def child(element: Element | None, *path: str) -> Element | None:
    """The first element down ``path`` (local names, each a child of the one before), or None."""
    for name in path:
        element = next(iter(children(element, name)), None)
        if element is None:
            return None
    return element


def text(element: Element | None, *path: str) -> str | None:
    """The text down ``path`` with its white space runs made single spaces; None when absent or blank."""
    found = child(element, *path) if path else element
    if found is None:
        return None
    return " ".join("".join(found.itertext()).split()) or None


def amount(element: Element | None, *path: str) -> Decimal | None:
    """The number down ``path``; raises ``InvalidEInvoice`` when it is there but no number."""
    found = child(element, *path) if path else element
    value = text(found)
    return None if value is None else number(value, value, where(found))


def number(plain: str, written: str, place: str) -> Decimal:
    """``plain`` (the number ``written`` at ``place``, signs and separators taken off) as a Decimal; raises
    ``InvalidEInvoice`` naming the place when it is no finite number."""
    try:
        found = Decimal(plain)
    except InvalidOperation:
        found = None
    if found is None or not found.is_finite():
        raise InvalidEInvoice(f"{place} is {written!r}, which is not a number.")
    return found


def where(element: Element) -> str:
    """The element's place in its document, by local names from the root (``Invoice/LegalMonetaryTotal/...``)."""
    return "/".join(local(step) for step in reversed([element, *element.iterancestors()]))


def path_of(*steps: str) -> str:
    """How evidence names a place in the document: ``Invoice/LegalMonetaryTotal/PayableAmount``."""
    return "/".join(steps)
