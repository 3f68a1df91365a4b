"""Likely duplicates beyond identical bytes, through upload, a real rq worker with real OCR, and the API: the later
document goes to review with a warning and a link to the earlier one; nothing is dropped or hidden."""

from __future__ import annotations

from PIL import Image

from ledgerdesk.samples import SampleInvoice, render_invoice_pdf
from tests.extraction.pictures import RECEIPT_LINES, encoded, text_page
from tests.helpers import upload

SAME_SHOP_OTHER_RECEIPT = ("GOLDEN HARVEST TRADING SDN BHD", "NO 12 JALAN HARMONI 3/2", "TAX INVOICE 000187",
                           "DATE 14/03/2024", "GREEN TEA 3 x 9.00", "TOTAL RM 27.00")


def upload_photo(client, picture: Image.Image, filename: str, **form) -> dict:
    data = encoded(picture, "JPEG", **form.pop("save", {}))
    response = client.post("/api/v1/documents", files={"file": (filename, data, "image/jpeg")}, data=form)
    assert response.status_code == 201, response.text
    return response.json()


def processed(client, created: dict) -> dict:
    return client.get(f"/api/v1/documents/{created['id']}").json()


def duplicate_warnings(document: dict) -> list[dict]:
    return [issue for issue in document["validation"] if issue["rule"] == "duplicate"]


def test_the_same_invoice_as_other_bytes_from_another_channel_is_linked_to_the_first(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    invoice = SampleInvoice()
    first = upload(clerk, render_invoice_pdf(invoice), filename="invoice.pdf")
    run_jobs()
    again = upload(clerk, render_invoice_pdf(invoice, producer="Scan2Mail 4.1"), filename="fwd-invoice.pdf",
                   source="email")
    assert again["id"] != first["id"] and again["sha256"] != first["sha256"] and again["duplicate_of"] is None
    run_jobs()

    earlier, later = processed(clerk, first), processed(clerk, again)
    assert earlier["duplicates"] == [] and duplicate_warnings(earlier) == []
    assert later["status"] == "needs_review" and later["voucher_id"] is not None
    assert later["duplicates"] == [{"document_id": first["id"], "reason": "same_invoice", "distance": None}]
    [warning] = duplicate_warnings(later)
    assert warning["severity"] == "warning"
    assert f"probably a duplicate of document {first['id']} ('invoice.pdf', received " in warning["message"]
    assert "the same vendor, invoice number and total" in warning["message"]
    assert f"warning: {warning['message']}" in later["review_reasons"]


def test_another_invoice_of_the_same_vendor_is_not_linked(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    first = upload(clerk, render_invoice_pdf(SampleInvoice()))
    second = upload(clerk, render_invoice_pdf(SampleInvoice(invoice_number="INV-2024-0043")))
    run_jobs()
    assert processed(clerk, first)["duplicates"] == [] and processed(clerk, second)["duplicates"] == []


def test_the_same_invoice_in_another_company_is_not_linked(make_user, client_for, run_jobs):
    ours, theirs = client_for(make_user("clerk")), client_for(make_user("clerk", company_slug="other"))
    upload(ours, render_invoice_pdf(SampleInvoice()))
    run_jobs()
    created = upload(theirs, render_invoice_pdf(SampleInvoice(), producer="another producer"))
    run_jobs()
    document = processed(theirs, created)
    assert document["duplicates"] == [] and duplicate_warnings(document) == []


def test_a_receipt_photo_sent_again_re_encoded_is_linked_and_another_receipt_is_not(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    page = text_page(RECEIPT_LINES)
    first = upload_photo(clerk, page, "receipt.jpg", save={"quality": 92})
    run_jobs()
    smaller = page.resize((round(page.width * 0.9), round(page.height * 0.9)), Image.Resampling.LANCZOS)
    again = upload_photo(clerk, smaller, "IMG_0412.jpg", source="scanner", save={"quality": 60})
    other = upload_photo(clerk, text_page(SAME_SHOP_OTHER_RECEIPT), "receipt-2.jpg", save={"quality": 92})
    run_jobs()

    later = processed(clerk, again)
    assert later["status"] == "needs_review"
    [link] = later["duplicates"]
    assert link["document_id"] == first["id"] and link["reason"] == "similar_page" and 0 <= link["distance"] <= 6
    [warning] = duplicate_warnings(later)
    assert (f"the first page looks nearly identical to that of document {first['id']} ('receipt.jpg'"
            in warning["message"])
    assert f"{link['distance']} of 64 bits" in warning["message"]
    assert processed(clerk, other)["duplicates"] == [] and duplicate_warnings(processed(clerk, other)) == []
    assert processed(clerk, first)["duplicates"] == []


def test_blank_photos_are_no_ones_duplicates(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    upload_photo(clerk, Image.new("RGB", (800, 1000), "white"), "blank.jpg")
    run_jobs()
    created = upload_photo(clerk, Image.new("RGB", (900, 1000), "white"), "blank-2.jpg")
    run_jobs()
    assert processed(clerk, created)["duplicates"] == []
