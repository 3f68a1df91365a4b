"""E-invoices through the real path (upload API, rq worker, database): exact fields from the XML, the sums
checked, a damaged file failed with its reason and kept."""

from __future__ import annotations

from core.db import transaction
from models import Vendor
from tests.einvoice_fixtures import pdf_with_einvoice, ubl_invoice
from tests.extraction.einvoice.ofd_builder import no_invoice_ofd, tagged_ofd
from tests.helpers import upload


def processed(clerk, run_jobs, data: bytes, filename: str) -> dict:
    created = upload(clerk, data, filename=filename)
    run_jobs()
    return clerk.get(f"/api/v1/documents/{created['id']}").json()


def test_a_ubl_invoice_gives_its_own_fields_exactly(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    document = processed(clerk, run_jobs, ubl_invoice(), "invoice.xml")
    assert (document["media_type"], document["doc_type"], document["doc_type_confidence"]) == \
        ("application/xml", "invoice", 1.0)
    total = document["fields"]["total_amount"]
    assert (total["value"], total["confidence"], total["source"]) == ("1344.50", 1.0, "einvoice")
    assert document["fields"]["vendor_name"]["value"] == "Müller Bürobedarf GmbH"
    assert document["fields"]["vendor_iban"]["value"] == "DE89370400440532013000"
    assert [item["description"] for item in document["line_items"]] == ["Office chairs", "Printer paper"]
    assert document["pages"] == []
    assert [(issue["rule"], issue["severity"]) for issue in document["validation"]] == [("unknown_vendor", "info")]
    assert document["vendor"]["proposal"] == {"name": "Müller Bürobedarf GmbH", "tax_id": "DE123456789",
                                              "iban": "DE89370400440532013000"}
    assert document["review_reasons"] == ["the vendor is not in the vendor master"]
    voucher = clerk.get(f"/api/v1/vouchers/{document['voucher_id']}").json()
    assert sum(float(line["credit"]) for line in voucher["lines"]) == 1344.50


def test_a_complete_reconciling_e_invoice_from_a_known_vendor_goes_straight_through(company, make_user, client_for,
                                                                                     run_jobs):
    with transaction() as session:
        session.add(Vendor(company_id=company.id, name="Müller Bürobedarf GmbH", tax_id="DE123456789"))
    clerk = client_for(make_user("clerk"))
    document = processed(clerk, run_jobs, ubl_invoice(), "invoice.xml")
    assert document["status"] == "auto_approved" and document["review_reasons"] == []


def test_numbers_that_do_not_add_up_go_to_review_with_the_rule_and_the_numbers(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    document = processed(clerk, run_jobs, ubl_invoice(totals={"TaxInclusiveAmount": "1400.00",
                                                               "PayableAmount": "1320.00"}), "invoice.xml")
    assert document["status"] == "needs_review"
    assert ("error: BR-CO-15: the total with VAT is stated as 1400.00, but total without VAT 1150.00 + VAT 194.50 "
            "= 1344.50") in document["review_reasons"]


def test_a_correction_keeps_what_is_wrong_with_the_file_and_judges_the_values_again(make_user, client_for,
                                                                                   run_jobs):
    """A clerk's correction changes a field, not the XML: its broken sum still shows on the human version."""
    clerk = client_for(make_user("clerk"))
    document = processed(clerk, run_jobs, ubl_invoice(totals={"TaxInclusiveAmount": "1400.00"}), "invoice.xml")
    reviewed = clerk.post(f"/api/v1/documents/{document['id']}/review",
                          json={"decision": "return", "corrections": {"invoice_date": "2030-01-01"},
                                "comment": "date checked with the seller"}).json()

    assert reviewed["extraction_version"] == 2
    rules = [issue["rule"] for issue in reviewed["validation"]]
    assert "BR-CO-15" in rules and "date_in_future" in rules


def test_damaged_xml_fails_with_its_reason_and_the_original_is_kept(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    damaged = ubl_invoice()[:-200]
    document = processed(clerk, run_jobs, damaged, "invoice.xml")
    assert document["status"] == "failed"
    assert document["failure_reason"].startswith("The XML is not well-formed XML")
    assert clerk.get(f"/api/v1/documents/{document['id']}/file").content == damaged


PRINTED = {"Invoice No:": "INV-2026-0042", "Invoice Date:": "2026-11-20", "Total": "EUR 1,344.50"}


def test_a_pdf_with_an_e_invoice_inside_takes_the_xml_and_locates_it_on_the_page(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    document = processed(clerk, run_jobs, pdf_with_einvoice(ubl_invoice(), PRINTED), "factur-x.pdf")
    assert document["doc_type"] == "invoice" and document["pages"][0]["source"] == "pdf_text"
    total = document["fields"]["total_amount"]
    assert (total["value"], total["source"], total["page"]) == ("1344.50", "einvoice", 1) and len(total["bbox"]) == 4
    assert document["fields"]["vendor_iban"]["value"] == "DE89370400440532013000"
    assert not any(issue["rule"] == "einvoice_mismatch" for issue in document["validation"])


def test_a_page_that_disagrees_with_its_xml_goes_to_review_with_both_values(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    printed = PRINTED | {"Total": "EUR 1,434.50"}
    document = processed(clerk, run_jobs, pdf_with_einvoice(ubl_invoice(), printed), "factur-x.pdf")
    assert document["status"] == "needs_review" and document["fields"]["total_amount"]["value"] == "1344.50"
    assert any("'1344.50'" in reason and "'1434.50'" in reason for reason in document["review_reasons"])


def test_a_fully_digital_ofd_invoice_gives_its_tagged_fields_on_its_drawn_page(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    document = processed(clerk, run_jobs, tagged_ofd(), "invoice.ofd")
    assert (document["media_type"], document["doc_type"]) == ("application/ofd", "invoice")
    [page] = document["pages"]
    assert page["source"] == "ofd" and page["words"] > 0 and page["image_url"]
    assert clerk.get(page["image_url"]).headers["content-type"] == "image/png"
    number = document["fields"]["invoice_number"]
    assert number["source"] == "einvoice" and number["page"] == 1 and len(number["bbox"]) == 4


def test_an_ofd_without_invoice_data_fails_with_its_reason(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    document = processed(clerk, run_jobs, no_invoice_ofd(), "invoice.ofd")
    assert document["status"] == "failed" and "carries no invoice data" in document["failure_reason"]
