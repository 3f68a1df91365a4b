"""ISO 20022 bank-to-customer cash management messages: CAMT.053 statements, CAMT.052 account reports and CAMT.054
debit/credit notifications, in any version (``camt.053.001.02`` to ``.08`` and on): the elements read here are the
same in all of them. Pure: bytes in, ``Statement`` values out.

The XML is parsed by lxml with every door shut: no DTD, no entities resolved, no network, no huge trees (a DTD
refuses the file before lxml sees it: ``detect.xml_root``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from core.errors import InvalidStatement
from reconciliation.statements.detect import xml_root
from reconciliation.statements.model import Balance, Statement, Transaction
from reconciliation.statements.remittance import compact_iban, transaction

RECORDS = {"camt.053": ("BkToCstmrStmt", "Stmt"), "camt.052": ("BkToCstmrAcctRpt", "Rpt"),
           "camt.054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn")}
"""Each message's element below ``Document`` (``BkToCstmrAcctRptV01`` in the first versions) and its records (one per
account and period)."""
OPENING_CODES = ("OPBD", "PRCD")
"""Opening booked balance, else the previous statement's closing balance."""
CLOSING_CODES = ("CLBD",)


class _Record:
    """One ``Stmt``, ``Rpt`` or ``Ntfctn`` element, read with the message's namespace."""

    def __init__(self, element: etree._Element, namespace: str, position: int):
        self.element, self.ns, self.position = element, {"c": namespace}, position

    def text(self, path: str, within: etree._Element | None = None) -> str | None:
        found = (self.element if within is None else within).xpath(path, namespaces=self.ns)
        value = found[0] if found else None
        text = value.text if isinstance(value, etree._Element) else value
        return " ".join(text.split()) if text and text.strip() else None

    def all(self, path: str, within: etree._Element | None = None) -> list[etree._Element]:
        return (self.element if within is None else within).xpath(path, namespaces=self.ns)


def parse_camt(data: bytes, message: str) -> list[Statement]:
    """Every record of a CAMT message of the kind ``message`` (``camt.053`` ...), each a statement."""
    namespace, _ = xml_root(data[:65536])
    root = _parse(data)
    kind, record = RECORDS[message]
    elements = root.xpath(f"c:*[starts-with(local-name(), '{kind}')]/c:{record}", namespaces={"c": namespace})
    if not elements:
        raise InvalidStatement(f"the {message} message holds no {record} element: there is no statement in it",
                               where=f"<{kind}>")
    return [_statement(_Record(element, namespace, n), message) for n, element in enumerate(elements, start=1)]


def _parse(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise InvalidStatement(f"the XML is not well formed: {exc.msg}", where=f"line {line}" if line else None) \
            from None
    if root.getroottree().docinfo.doctype:
        raise InvalidStatement("the XML declares a DTD, which no bank statement needs; it was not read",
                               where="<!DOCTYPE>")
    return root


def _statement(record: _Record, message: str) -> Statement:
    iban = compact_iban(record.text("c:Acct/c:Id/c:IBAN"))
    account = iban or record.text("c:Acct/c:Id/c:Othr/c:Id")
    balances = [_balance(record, element) for element in record.all("c:Bal")]
    currency = record.text("c:Acct/c:Ccy") or _first_currency(record, balances)
    lines = tuple(_line(record, element, n) for n, element in enumerate(record.all("c:Ntry"), start=1))
    return Statement(format=message, account=account, currency=currency, transactions=lines,
                     opening=_balance_of(balances, OPENING_CODES), closing=_balance_of(balances, CLOSING_CODES),
                     iban=iban, account_name=record.text("c:Acct/c:Nm"), reference=record.text("c:Id"))


def _first_currency(record: _Record, balances: list[tuple[str, Balance]]) -> str | None:
    if balances:
        return balances[0][1].currency
    return record.text("c:Ntry/c:Amt/@Ccy")


def _balance(record: _Record, element: etree._Element) -> tuple[str, Balance]:
    where = f"{_where(record)}/Bal"
    code = record.text("c:Tp/c:CdOrPrtry/c:Cd", element) or record.text("c:Tp/c:CdOrPrtry/c:Prtry", element) or ""
    amount = _amount(record, element, where)
    day = _day(record.text("c:Dt/c:Dt", element) or record.text("c:Dt/c:DtTm", element), f"{where}/Dt")
    return code, Balance(amount, record.text("c:Amt/@Ccy", element) or "", day)


def _balance_of(balances: list[tuple[str, Balance]], codes: tuple[str, ...]) -> Balance | None:
    return next((balance for code in codes for found, balance in balances if found == code), None)


def _line(record: _Record, entry: etree._Element, number: int) -> Transaction:
    where = f"{_where(record)}/Ntry {number}"
    amount = _amount(record, entry, where)
    details = record.all("c:NtryDtls/c:TxDtls", entry)
    first = details[0] if details else None
    money_in = amount > 0
    texts = [text for detail in details for text in _texts(record, detail)]
    texts += [record.text("c:AddtlNtryInf", entry) or ""]
    structured = [ref for detail in details for ref in _structured_references(record, detail)]
    booking = _day(_date_of(record, entry, "c:BookgDt"), f"{where}/BookgDt")
    value = _day(_date_of(record, entry, "c:ValDt"), f"{where}/ValDt")
    return transaction(
        amount=amount, currency=record.text("c:Amt/@Ccy", entry) or "",
        booking_date=booking or value or _record_day(record, where),
        value_date=value, counterparty_name=_party(record, first, money_in),
        counterparty_account=_party_account(record, first, money_in),
        remittance=" ".join([*structured[1:], *texts]), structured_reference=structured[0] if structured else None,
        end_to_end_id=record.text("c:Refs/c:EndToEndId", first) if first is not None else None,
        bank_reference=record.text("c:AcctSvcrRef", entry) or record.text("c:NtryRef", entry),
        booked=_booked(record, entry), where=where)


def _texts(record: _Record, detail: etree._Element) -> list[str]:
    unstructured = [element.text or "" for element in record.all("c:RmtInf/c:Ustrd", detail)]
    additional = [element.text or "" for element in record.all("c:RmtInf/c:Strd/c:AddtlRmtInf", detail)]
    return unstructured + additional + [record.text("c:AddtlTxInf", detail) or ""]


def _structured_references(record: _Record, detail: etree._Element) -> list[str]:
    return [element.text.strip() for element in record.all("c:RmtInf/c:Strd/c:CdtrRefInf/c:Ref", detail)
            if element.text and element.text.strip()]


def _party(record: _Record, detail: etree._Element | None, money_in: bool) -> str | None:
    """The other side: who paid money in (the debtor), or who was paid (the creditor)."""
    if detail is None:
        return None
    party = "Dbtr" if money_in else "Cdtr"
    return record.text(f"c:RltdPties/c:{party}/c:Nm | c:RltdPties/c:{party}/c:Pty/c:Nm", detail)


def _party_account(record: _Record, detail: etree._Element | None, money_in: bool) -> str | None:
    if detail is None:
        return None
    return record.text(f"c:RltdPties/c:{'Dbtr' if money_in else 'Cdtr'}Acct/c:Id/c:IBAN", detail)


def _booked(record: _Record, entry: etree._Element) -> bool:
    status = record.text("c:Sts/c:Cd", entry) or record.text("c:Sts", entry) or "BOOK"
    return status == "BOOK"


def _date_of(record: _Record, entry: etree._Element, element: str) -> str | None:
    return record.text(f"{element}/c:Dt", entry) or record.text(f"{element}/c:DtTm", entry)


def _amount(record: _Record, element: etree._Element, where: str) -> Decimal:
    """The signed amount: ``DBIT`` (money out, or an overdrawn balance) is negative."""
    text = record.text("c:Amt", element)
    try:
        amount = Decimal(text or "")
    except InvalidOperation:
        raise InvalidStatement(f"the amount {text!r} is not a number", where=f"{where}/Amt") from None
    if not amount.is_finite() or amount < 0:
        raise InvalidStatement(f"the amount {text!r} is not a positive number", where=f"{where}/Amt")
    return -amount if record.text("c:CdtDbtInd", element) == "DBIT" else amount


def _day(text: str | None, where: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidStatement(f"{text!r} is not a date (YYYY-MM-DD)", where=where) from None


def _record_day(record: _Record, where: str) -> date:
    """The day of an entry that gives none (a notification of a payment under way): the day its record was made."""
    made = record.text("c:CreDtTm") or record.text("c:FrToDt/c:ToDtTm") or record.text("../c:GrpHdr/c:CreDtTm")
    day = _day(made, f"{where}/CreDtTm")
    if day is None:
        raise InvalidStatement("the entry has neither a booking date nor a value date, and its statement no date of "
                               "its own", where=where)
    return day


def _where(record: _Record) -> str:
    return f"{etree.QName(record.element).localname} {record.position}"
