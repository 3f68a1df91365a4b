"""OFD packages written in memory for tests: an invoice XML attachment, custom tags pointing at text objects, an
XBRL attachment, and hostile packages (zip bombs, escaping paths, DTDs, corrupt ZIPs)."""

from __future__ import annotations

import io
import zipfile

from PIL import Image

OFD_NS = "http://www.ofdspec.org/2016"
FP_NS = "http://www.edrm.org.cn/schema/e-invoice/2019"
PAGE_ID = "61"
TEXT_OBJECTS = (
    # ID, Boundary (mm), text: the fully-digital invoice's page, as the real one draws it
    ("6922", "170 10.3 38 5", "24112000000048542163"),
    ("6923", "170 16.4 38 5", "2024年05月28日"),
    ("6924", "20 33.8 84 10.8", "海南麒麟云服科技有限公司"),
    ("6926", "54 43.3 58 5.293", "91460300MAA92DJN95"),
    ("6927", "120 33.8 84 10.8", "北京互联三六五科技有限公司"),
    ("6928", "154.5 43.3 58 5.293", "91110108690017781B"),
    ("6929", "127.5 90.5 26 5.293", "¥"),
    ("6930", "127.5 90.5 26 5.293", "4197.17"),
    ("6931", "179.5 90.5 26 5.293", "¥"),
    ("6932", "179.5 90.5 26 5.293", "251.83"),
    ("6935", "155.5 96 48.5 7.5", "¥"),
    ("6936", "158 96 46 7.5", "4449.00"),
    ("6939", "4.5 56 36.5 4.5", "*信息技术服务*技术服务"),
    ("6940", "4.5 60.5 36.5 4.5", "费"),
    ("6941", "154 56 25 4.5", "6%"),
    ("6942", "127.5 56 25.5 4.5", "4197.17"),
    ("6943", "179.5 56 25 4.5", "251.83"),
)
TEMPLATE_OBJECTS = (("5", "150 10.3 20 5", "发票号码："), ("7", "150 16.4 20 5", "开票日期："))
TAGS = (("InvoiceNo", ("6922",)), ("IssueDate", ("6923",)), ("Buyer/BuyerName", ("6924",)),
        ("Buyer/BuyerTaxID", ("6926",)), ("Seller/SellerName", ("6927",)), ("Seller/SellerTaxID", ("6928",)),
        ("TaxExclusiveTotalAmount", ("6929", "6930")), ("TaxTotalAmount", ("6931", "6932")),
        ("TaxInclusiveTotalAmount", ("6935", "6936")), ("Item", ("6939", "6940")), ("TaxScheme", ("6941",)),
        ("Amount", ("6942",)), ("TaxAmount", ("6943",)))
INVOICE_XML = f"""<?xml version="1.0" encoding="utf-8"?>
<eInvoice xmlns:fp="{FP_NS}" Version="1.0"><fp:InvoiceCode>033002000211</fp:InvoiceCode>
<fp:InvoiceNo>83089647</fp:InvoiceNo><fp:IssueDate>2020年07月23日</fp:IssueDate>
<fp:InvoiceCheckCode>16197833567414507415</fp:InvoiceCheckCode>
<fp:Buyer><fp:BuyerName>江苏京利华新材料有限公司</fp:BuyerName><fp:BuyerTaxID>91320115MA202UKD7X</fp:BuyerTaxID></fp:Buyer>
<fp:Seller><fp:SellerName>兰溪市悦济舫餐厅</fp:SellerName><fp:SellerTaxID>92330781MA2EDMFU50</fp:SellerTaxID></fp:Seller>
<fp:TaxInclusiveTotalAmount>526.00</fp:TaxInclusiveTotalAmount><fp:TaxTotalAmount>15.32</fp:TaxTotalAmount>
<fp:TaxExclusiveTotalAmount>510.68</fp:TaxExclusiveTotalAmount>
<fp:GoodsInfos><fp:GoodsInfo><fp:Item>*餐饮服务*餐费</fp:Item><fp:Quantity>1</fp:Quantity><fp:Amount>510.68</fp:Amount>
<fp:TaxScheme>3%</fp:TaxScheme><fp:TaxAmount>15.32</fp:TaxAmount></fp:GoodsInfo></fp:GoodsInfos></eInvoice>"""
XBRL = """<?xml version="1.0" encoding="UTF-8"?>
<xbrli:xbrl xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:inv="http://example.cn/invoice">
<xbrli:context id="c"><xbrli:entity><xbrli:identifier scheme="x">1</xbrli:identifier></xbrli:entity>
<xbrli:period><xbrli:instant>2024-05-28</xbrli:instant></xbrli:period></xbrli:context>
<xbrli:unit id="cny"><xbrli:measure>iso4217:CNY</xbrli:measure></xbrli:unit>
<inv:InvoiceNumber contextRef="c">24112000000048542163</inv:InvoiceNumber>
<inv:IssueDate contextRef="c">2024-05-28</inv:IssueDate>
<inv:SellerName contextRef="c">北京互联三六五科技有限公司</inv:SellerName>
<inv:TotalTax-includedAmount contextRef="c" unitRef="cny" decimals="2">4449.00</inv:TotalTax-includedAmount>
</xbrli:xbrl>"""
ENTITY_BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<eInvoice><InvoiceNo>&lol3;</InvoiceNo></eInvoice>"""


def png_picture(size: tuple[int, int] = (4, 4)) -> bytes:
    """A small red PNG, as an image resource."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 0, 0)).save(out, "PNG")
    return out.getvalue()


def ofd_xml() -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" DocType="OFD" Version="1.1">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>test</ofd:DocID></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")


def document_xml(*, attachments: bool = False, tags: bool = False, page_loc: str = "Pages/Page_0/Content.xml") -> str:
    parts = [f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>',
             "<ofd:PageArea><ofd:PhysicalBox>0 0 210 140</ofd:PhysicalBox></ofd:PageArea>",
             "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>",
             '<ofd:TemplatePage ID="1" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData>',
             f'<ofd:Pages><ofd:Page ID="{PAGE_ID}" BaseLoc="{page_loc}"/></ofd:Pages>']
    if attachments:
        parts.append("<ofd:Attachments>Attachs/Attachments.xml</ofd:Attachments>")
    if tags:
        parts.append("<ofd:CustomTags>Tags/CustomTags.xml</ofd:CustomTags>")
    return "".join(parts) + "</ofd:Document>"


def text_object(object_id: str, boundary: str, text: str) -> str:
    return (f'<ofd:TextObject ID="{object_id}" Boundary="{boundary}" Font="3" Size="3.175">'
            f'<ofd:FillColor Value="128 0 0"/><ofd:TextCode X="0" Y="3.6" DeltaX="g {max(len(text) - 1, 0)} 1.5875">'
            f"{text}</ofd:TextCode></ofd:TextObject>")


def page_xml(objects=TEXT_OBJECTS, *, image: bool = True) -> str:
    texts = "".join(text_object(*obj) for obj in objects)
    picture = '<ofd:ImageObject ID="6950" CTM="20 0 0 20 0 0" Boundary="8 4 20 20" ResourceID="6949"/>' if image else ""
    line = ('<ofd:PathObject ID="6951" Boundary="4.5 30 201 0.4"><ofd:StrokeColor Value="128 0 0"/>'
            "<ofd:AbbreviatedData>M 0 0.2 L 201 0.2 B 201 0.2 201 0.3 201 0.4 C</ofd:AbbreviatedData></ofd:PathObject>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}">'
            '<ofd:Template TemplateID="1" ZOrder="Background"/>'
            f'<ofd:Content><ofd:Layer ID="60">{texts}{picture}{line}</ofd:Layer></ofd:Content></ofd:Page>')


def template_xml() -> str:
    texts = "".join(text_object(*obj) for obj in TEMPLATE_OBJECTS)
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content>'
            f'<ofd:Layer ID="2">{texts}</ofd:Layer></ofd:Content></ofd:Page>')


def resources_xml() -> tuple[str, str]:
    public = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
              '<ofd:Font ID="3" FontName="宋体" FamilyName="SimSun"/></ofd:Fonts></ofd:Res>')
    document = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:MultiMedias>'
                '<ofd:MultiMedia ID="6949" Type="Image" Format="PNG"><ofd:MediaFile>image_6949.png</ofd:MediaFile>'
                "</ofd:MultiMedia></ofd:MultiMedias></ofd:Res>")
    return public, document


def tags_index(file_loc: str = "CustomTag.xml") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:CustomTags xmlns:ofd="{OFD_NS}"><ofd:CustomTag TypeID="root">'
            f"<ofd:FileLoc>{file_loc}</ofd:FileLoc></ofd:CustomTag></ofd:CustomTags>")


def tag_file(tags=TAGS) -> str:
    """The fully-digital invoice's tags: ``ofd:`` elements, line values loose below the root."""
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:root xmlns:ofd="{OFD_NS}" version="1.0">'
            + "".join(_tag(path, refs) for path, refs in tags) + "</ofd:root>")


def _tag(path: str, refs: tuple[str, ...]) -> str:
    names = path.split("/")
    inner = "".join(f'<ofd:ObjectRef PageRef="{PAGE_ID}">{ref}</ofd:ObjectRef>' for ref in refs)
    for name in reversed(names):
        inner = f"<ofd:{name}>{inner}</ofd:{name}>"
    return inner


def malformed_tag_file() -> str:
    """As real packages write it: an empty prefix declared, ``ofd:`` used without a declaration."""
    body = "".join(_tag(path, refs) for path, refs in TAGS[:4]).replace("<ofd:InvoiceNo>", "<InvoiceNo>")
    body = body.replace("</ofd:InvoiceNo>", "</InvoiceNo>")
    return f'<?xml version="1.0" encoding="UTF-8"?><:eInvoice xmlns:="">{body}</:eInvoice>'


def attachments_index(file_loc: str = "original_invoice.xml") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Attachments xmlns:ofd="{OFD_NS}">'
            f'<ofd:Attachment ID="98" Name="original_invoice" Format="xml" Visible="false">'
            f"<ofd:FileLoc>{file_loc}</ofd:FileLoc></ofd:Attachment></ofd:Attachments>")


def base_parts(**document) -> dict[str, bytes | str]:
    public, doc_res = resources_xml()
    return {"OFD.xml": ofd_xml(), "Doc_0/Document.xml": document_xml(**document),
            "Doc_0/PublicRes.xml": public, "Doc_0/DocumentRes.xml": doc_res, "Doc_0/Res/image_6949.png": png_picture(),
            "Doc_0/Pages/Page_0/Content.xml": page_xml(), "Doc_0/Tpls/Tpl_0/Content.xml": template_xml()}


def package(parts: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content.encode() if isinstance(content, str) else content)
    return out.getvalue()


def xml_attachment_ofd(*, with_tags: bool = False) -> bytes:
    parts = base_parts(attachments=True, tags=with_tags)
    parts |= {"Doc_0/Attachs/Attachments.xml": attachments_index(), "Doc_0/Attachs/original_invoice.xml": INVOICE_XML}
    if with_tags:
        parts |= {"Doc_0/Tags/CustomTags.xml": tags_index(), "Doc_0/Tags/CustomTag.xml": tag_file()}
    return package(parts)


def tagged_ofd(tag_content: str | None = None) -> bytes:
    parts = base_parts(tags=True)
    parts |= {"Doc_0/Tags/CustomTags.xml": tags_index(), "Doc_0/Tags/CustomTag.xml": tag_content or tag_file()}
    return package(parts)


def xbrl_ofd() -> bytes:
    parts = base_parts(attachments=True)
    parts |= {"Doc_0/Attachs/Attachments.xml": attachments_index("invoice.xbrl.xml"),
              "Doc_0/Attachs/invoice.xbrl.xml": XBRL}
    return package(parts)


def no_invoice_ofd() -> bytes:
    return package(base_parts())


def zip_bomb_ofd(size: int) -> bytes:
    """An invoice package with one more entry of ``size`` zero bytes (compresses about 1000 times)."""
    parts = base_parts(attachments=True)
    parts |= {"Doc_0/Attachs/Attachments.xml": attachments_index(), "Doc_0/Attachs/original_invoice.xml": INVOICE_XML,
              "Doc_0/Res/filler.bin": bytes(size)}
    return package(parts)


def lying_size_bomb_ofd(size: int) -> bytes:
    """A zip bomb whose directory declares the entry tiny: only a bounded read can see how big it is."""
    data = zip_bomb_ofd(size)
    name = b"Doc_0/Res/filler.bin"
    return _declare_size(data, name, 100)


def _declare_size(data: bytes, name: bytes, declared: int) -> bytes:
    """The ZIP with the uncompressed size of ``name`` rewritten in its local header and central directory."""
    out = bytearray(data)
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := out.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if out[name_at:name_at + len(name)] == name:
                out[start + size_at:start + size_at + 4] = declared.to_bytes(4, "little")
            start += 4
    return bytes(out)


def escaping_path_ofd(name: str) -> bytes:
    parts = base_parts(attachments=True)
    parts |= {"Doc_0/Attachs/Attachments.xml": attachments_index(), "Doc_0/Attachs/original_invoice.xml": INVOICE_XML,
              name: "owned"}
    return package(parts)


def escaping_reference_ofd() -> bytes:
    parts = base_parts(attachments=True)
    parts |= {"Doc_0/Attachs/Attachments.xml": attachments_index("../../../../etc/passwd")}
    return package(parts)


def entity_bomb_ofd() -> bytes:
    parts = base_parts(attachments=True)
    parts |= {"Doc_0/Attachs/Attachments.xml": attachments_index(), "Doc_0/Attachs/original_invoice.xml": ENTITY_BOMB}
    return package(parts)


def missing_page_ofd() -> bytes:
    parts = base_parts(tags=True, page_loc="Pages/Page_9/Content.xml")
    parts |= {"Doc_0/Tags/CustomTags.xml": tags_index(), "Doc_0/Tags/CustomTag.xml": tag_file()}
    return package(parts)


def corrupt_ofd() -> bytes:
    data = xml_attachment_ofd()
    return data[: len(data) // 2]
