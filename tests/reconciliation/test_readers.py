"""The statement readers on files the tests write: every format gives the same values (amounts signed, dates,
balances, counterparty, references), the checks' warnings, fingerprints and references."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from core.errors import InvalidStatement, UnsupportedFileType
from reconciliation.statements.fingerprint import fingerprints
from reconciliation.statements.reading import read_statements
from reconciliation.statements.remittance import creditor_reference, reference_tokens, transaction
from reconciliation.statements.tabular import ColumnProfile
from tests.reconciliation.statements import (IBAN, OTHER_IBAN, RF, VENDOR_IBAN, Account, Entry, camt, csv_statement,
                                             mt940, ofx, xlsx_statement)

PAID = Entry(Decimal("-99.95"), booked=date(2026, 3, 3), value=date(2026, 3, 4), name="Contoso", iban=OTHER_IBAN,
             text=f"Invoice 2026/0042 {RF}", end_to_end="E2E-7", bank_reference="B2")
RECEIVED = Entry(Decimal("250.00"), reference=RF, bank_reference="B1")


def only(data: bytes, profile: ColumnProfile | None = None):
    [statement] = read_statements(data, profile)
    return statement


@pytest.mark.parametrize("message,version", [("053", "02"), ("053", "08"), ("052", "02"), ("052", "08"),
                                             ("054", "04")])
def test_camt_versions_give_the_same_statement(message, version):
    statement = only(camt([Account(entries=[RECEIVED, PAID])], message, version))
    assert (statement.format, statement.account, statement.iban, statement.currency, statement.reference) == (
        f"camt.{message}", IBAN, IBAN, "EUR", "STMT-1")
    assert (statement.opening.amount, statement.closing.amount, statement.warnings) == (
        Decimal("1000.00"), Decimal("1150.05"), ())
    received, paid = statement.transactions
    assert (received.amount, received.counterparty_name, received.counterparty_iban, received.creditor_reference) == (
        Decimal("250.00"), "Northwind GmbH", VENDOR_IBAN, "RF18539007547034")
    assert (paid.amount, paid.booking_date, paid.value_date, paid.counterparty_name, paid.counterparty_iban) == (
        Decimal("-99.95"), date(2026, 3, 3), date(2026, 3, 4), "Contoso", OTHER_IBAN)
    assert (paid.creditor_reference, paid.end_to_end_id, paid.bank_reference, paid.reference_tokens) == (
        "RF18539007547034", "E2E-7", "B2", ("2026/0042",))


def test_camt_pending_entries_are_read_but_not_imported_and_not_summed():
    pending = Entry(Decimal("40.00"), status="PDNG", bank_reference="P1")
    statement = only(camt([Account(entries=[RECEIVED, pending])], "052", "08"))
    assert [line.booked for line in statement.transactions] == [True, False]
    assert statement.booked == statement.transactions[:1]
    assert statement.warnings == ("1 pending or information-only entry not imported: a later statement books them",)


def test_a_camt_file_with_two_statements_of_two_accounts():
    data = camt([Account(entries=[RECEIVED]), Account(iban=OTHER_IBAN, currency="GBP", opening=Decimal("-5.00"),
                                                      entries=[PAID], statement_id="STMT-2")])
    first, second = read_statements(data.replace(b'<Ntry><Amt Ccy="GBP">', b'<Ntry><Amt Ccy="EUR">'))
    assert (first.account, second.account, second.currency, second.opening.amount, second.closing.amount) == (
        IBAN, OTHER_IBAN, "GBP", Decimal("-5.00"), Decimal("-104.95"))
    assert second.warnings == ("1 line(s) in another currency than the account's GBP, the first (Stmt 2/Ntry 1) in "
                               "EUR",)


def test_mt940_structured_details_give_counterparty_and_references():
    statement = only(mt940(Account(entries=[RECEIVED, PAID])))
    assert (statement.format, statement.account, statement.currency, statement.reference) == (
        "mt940", IBAN, "EUR", "STARTUMS/00001/001")
    assert (statement.opening.amount, statement.closing.amount, statement.warnings) == (
        Decimal("1000.00"), Decimal("1150.05"), ())
    received, paid = statement.transactions
    assert (received.amount, received.booking_date, received.value_date) == (
        Decimal("250.00"), date(2026, 3, 2), date(2026, 3, 3))
    assert (paid.amount, paid.counterparty_name, paid.counterparty_iban, paid.end_to_end_id, paid.bank_reference) == (
        Decimal("-99.95"), "Contoso", OTHER_IBAN, "E2E-7", "B2")
    assert (paid.creditor_reference, paid.reference_tokens) == ("RF18539007547034", ("2026/0042",))


def test_mt940_with_several_messages_gives_a_statement_each_and_mt942_is_told_apart():
    march = mt940(Account(entries=[RECEIVED]), number="00001")
    april = mt940(Account(opening=Decimal("1250.00"), entries=[PAID]), number="00002")
    first, second = read_statements(march + april)
    assert (first.closing.amount, second.opening.amount, second.closing.amount) == (
        Decimal("1250.00"), Decimal("1250.00"), Decimal("1150.05"))
    interim = only(mt940(Account(entries=[PAID]), interim=True))
    assert (interim.format, interim.opening, interim.closing, len(interim.transactions)) == ("mt942", None, None, 1)


def test_ofx_bank_and_credit_card_statements_and_several_accounts():
    card = Account(iban="4111111111111111", currency="USD", entries=[Entry(Decimal("-12.50"), bank_reference="F9")])
    bank, second_bank, credit_card = read_statements(ofx([("bank", Account(entries=[RECEIVED, PAID])),
                                                          ("bank", Account(iban=OTHER_IBAN)), ("card", card)]))
    assert (bank.format, bank.account, bank.opening, bank.closing.amount) == ("ofx", IBAN, None, Decimal("1150.05"))
    assert bank.warnings == ("the balances were not checked: the file gives no opening balance",)
    assert [(line.amount, line.bank_reference, line.counterparty_name) for line in bank.transactions] == [
        (Decimal("250.00"), "B1", "Northwind GmbH"), (Decimal("-99.95"), "B2", "Contoso")]
    assert (second_bank.account, second_bank.transactions) == (OTHER_IBAN, ())
    assert (credit_card.account, credit_card.currency, credit_card.account_name) == (
        "4111111111111111", "USD", "credit card")


def test_csv_with_a_decimal_comma_and_debit_and_credit_columns():
    profile = ColumnProfile(name="b", columns={"booking_date": "Datum", "debit": "Soll", "credit": "Haben",
                                               "remittance": "Text", "account": "Konto"},
                            date_format="%d.%m.%Y", decimal_separator=",", currency="EUR")
    rows = [["02.03.2026", "", "1.250,00", "RE-4711", IBAN], ["03.03.2026", "99,95", "", "Miete", IBAN],
            ["03.03.2026", "(10,00)", "", "fee", OTHER_IBAN]]
    first, second = read_statements(csv_statement(rows, header=["Datum", "Soll", "Haben", "Text", "Konto"]), profile)
    assert [line.amount for line in first.transactions] == [Decimal("1250.00"), Decimal("-99.95")]
    assert (second.account, [line.amount for line in second.transactions]) == (OTHER_IBAN, [Decimal("-10.00")])
    assert first.warnings == ("the balances were not checked: the file gives no opening and no closing balance",)


def test_csv_with_a_sign_column_and_a_running_balance_newest_first():
    profile = ColumnProfile(name="s", columns={"booking_date": "Date", "amount": "Amount", "sign": "Dr/Cr",
                                               "balance": "Balance"},
                            debit_marks=("DR",), currency="USD", account="12345678", delimiter=",")
    rows = [["2026-03-05", "20.00", "DR", "80.00"], ["2026-03-01", "100.00", "CR", "100.00"]]
    statement = only(csv_statement(rows, header=["Date", "Amount", "Dr/Cr", "Balance"], delimiter=","), profile)
    assert [line.amount for line in statement.transactions] == [Decimal("-20.00"), Decimal("100.00")]
    assert (statement.opening.amount, statement.closing.amount, statement.warnings) == (
        Decimal("0.00"), Decimal("80.00"), ())


def test_xlsx_cells_are_read_as_dates_and_numbers():
    profile = ColumnProfile(name="x", columns={"booking_date": "Date", "amount": "Amount"}, currency="EUR",
                            account=IBAN)
    data = xlsx_statement([[date(2026, 3, 2), 250.5], ["2026-03-03", "-20"]], header=["Date", "Amount"])
    statement = only(data, profile)
    assert [(line.booking_date, line.amount) for line in statement.transactions] == [
        (date(2026, 3, 2), Decimal("250.5")), (date(2026, 3, 3), Decimal("-20"))]


def test_the_format_is_told_from_the_contents_not_the_name():
    with pytest.raises(UnsupportedFileType):
        read_statements(b"Datum;Betrag\n01.03.2026;5,00\n")
    assert only(b"\xef\xbb\xbf\r\n" + mt940(Account(entries=[RECEIVED]))).format == "mt940"
    with pytest.raises(InvalidStatement, match="nothing to import"):
        read_statements(b":20:EMPTY\r\n:28C:1\r\n-")


def test_an_unbalanced_statement_keeps_a_warning_naming_the_difference():
    statement = only(camt([Account(closing=Decimal("1100.00"), entries=[RECEIVED, PAID])]))
    assert statement.warnings == ("unbalanced: opening balance 1000.00 + 2 lines +150.05 = 1150.05, but the closing "
                                  "balance is 1100.00 (a difference of -50.05): lines are missing, or the file was "
                                  "changed",)


def test_creditor_references_are_checked_and_tokens_leave_out_dates_amounts_and_ibans():
    assert creditor_reference("rf18 5390 0754 7034") == "RF18539007547034"
    assert creditor_reference("RF19 5390 0754 7034") is None, "a wrong check digit"
    tokens = reference_tokens([f"Inv. INV-2026-0042 of 20.03.2026, EUR 1.234,56 to {VENDOR_IBAN} ref 0000042188659"],
                              set())
    assert tokens == ("INV-2026-0042", "0000042188659")
    line = transaction(amount=Decimal("1"), currency="EUR", booking_date=date(2026, 3, 2),
                       counterparty_account="DE00 1234 5678 9012 3456 78", remittance="x RF18539007547035",
                       structured_reference="NONREF")
    assert (line.counterparty_iban, line.creditor_reference) == (None, None), "a wrong IBAN and a wrong RF are no such"
    assert line.reference_tokens == ("RF18539007547035",), "a mistyped reference is still worth matching on"


def test_fingerprints_tell_alike_lines_of_one_statement_apart_and_the_same_line_of_two_statements_alike():
    fee = transaction(amount=Decimal("-5.00"), currency="EUR", booking_date=date(2026, 3, 4), remittance="Fee")
    other_day = replace(fee, booking_date=date(2026, 3, 5))
    first, second = fingerprints([fee, fee])
    assert first != second
    assert fingerprints([fee, fee, other_day])[:2] == [first, second]
    assert fingerprints([other_day, fee]) == [fingerprints([other_day])[0], first]
