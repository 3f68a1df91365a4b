"""E-invoice XML is parsed without DTDs, entities or network: hostile XML is refused with a reason, never expanded
or fetched."""

from __future__ import annotations

import pytest

from extraction.einvoice.xmltree import InvalidEInvoice, parse_xml, text

BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b']><Invoice>&lol9;</Invoice>')


@pytest.mark.parametrize("data", [
    BILLION_LAUGHS,
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]><Invoice>&secret;</Invoice>',
    b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://127.0.0.1:9/evil.dtd"><Invoice/>',
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]><Invoice/>',
], ids=["billion-laughs", "external-file", "external-dtd", "parameter-entity"])
def test_a_dtd_is_refused_and_nothing_is_expanded_or_fetched(data):
    with pytest.raises(InvalidEInvoice, match="DTD|not well-formed"):
        parse_xml(data)


def test_malformed_xml_says_where():
    with pytest.raises(InvalidEInvoice, match=r"not well-formed XML \(.*line 1"):
        parse_xml(b"<Invoice><ID>1</Invoice>")


def test_text_collapses_white_space_and_reads_through_nested_markup():
    root = parse_xml(b"<a xmlns:x='urn:x'><x:b>  M\xc3\xbcller \n  GmbH </x:b></a>")
    assert text(root, "b") == "Müller GmbH" and text(root, "missing") is None
