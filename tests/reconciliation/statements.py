"""Bank statement files the tests write: CAMT (.052, .053, .054; version 2 and 8 shapes), MT940 and MT942, OFX (bank,
credit card, several accounts), CSV and Excel."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

IBAN = "DE89370400440532013000"
OTHER_IBAN = "GB33BUKB20201555555555"
VENDOR_IBAN = "DE44500105175407324931"
RF = "RF18 5390 0754 7034"
"""A valid ISO 11649 creditor reference (RF18539007547034)."""


@dataclass(frozen=True)
class Entry:
    amount: Decimal
    """Signed: money in positive."""
    booked: date = date(2026, 3, 2)
    value: date | None = date(2026, 3, 3)
    name: str | None = "Northwind GmbH"
    iban: str | None = VENDOR_IBAN
    text: str = "Invoice INV-2026-0042"
    reference: str | None = None
    """A structured creditor reference (CdtrRefInf/Ref)."""
    end_to_end: str | None = "E2E-0042"
    bank_reference: str | None = "BANKREF-1"
    status: str = "BOOK"


@dataclass(frozen=True)
class Account:
    iban: str = IBAN
    currency: str = "EUR"
    opening: Decimal | None = Decimal("1000.00")
    closing: Decimal | None = None
    """Default: opening plus the entries (a balanced statement)."""
    entries: list[Entry] = field(default_factory=list)
    statement_id: str = "STMT-1"

    @property
    def closing_balance(self) -> Decimal | None:
        if self.closing is not None or self.opening is None:
            return self.closing
        return self.opening + sum((e.amount for e in self.entries if e.status == "BOOK"), Decimal("0"))


CAMT_ELEMENTS = {"053": ("BkToCstmrStmt", "Stmt"), "052": ("BkToCstmrAcctRpt", "Rpt"),
                 "054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn")}


def camt(accounts: list[Account], message: str = "053", version: str = "02") -> bytes:
    """A CAMT message of ``message`` (053, 052, 054) in ``version`` (02 ... 08) with a record per account."""
    outer, record = CAMT_ELEMENTS[message]
    records = "".join(_camt_record(account, record, version) for account in accounts)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:'
            f'camt.{message}.001.{version}"><{outer}><GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-03-04T10:00:00+01:00'
            f'</CreDtTm></GrpHdr>{records}</{outer}></Document>').encode()


def _camt_record(account: Account, record: str, version: str) -> str:
    balances = [("OPBD", account.opening, "2026-03-01"), ("CLBD", account.closing_balance, "2026-03-31")]
    balance_xml = "".join(_camt_balance(code, amount, day, account.currency) for code, amount, day in balances
                          if amount is not None)
    entries = "".join(_camt_entry(entry, account.currency, version) for entry in account.entries)
    return (f"<{record}><Id>{account.statement_id}</Id><CreDtTm>2026-03-04T10:00:00+01:00</CreDtTm><Acct><Id><IBAN>"
            f"{account.iban}</IBAN></Id><Ccy>{account.currency}</Ccy><Nm>Acme operating account</Nm></Acct>"
            f"{balance_xml}{entries}</{record}>")


def _camt_balance(code: str, amount: Decimal, day: str, currency: str) -> str:
    sign = "DBIT" if amount < 0 else "CRDT"
    return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"{currency}\">{abs(amount)}</Amt>"
            f"<CdtDbtInd>{sign}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>")


def _camt_entry(entry: Entry, currency: str, version: str) -> str:
    money_in = entry.amount > 0
    status = f"<Sts><Cd>{entry.status}</Cd></Sts>" if version >= "06" else f"<Sts>{entry.status}</Sts>"
    value = f"<ValDt><Dt>{entry.value}</Dt></ValDt>" if entry.value else ""
    return (f"<Ntry><Amt Ccy=\"{currency}\">{abs(entry.amount)}</Amt><CdtDbtInd>{'CRDT' if money_in else 'DBIT'}"
            f"</CdtDbtInd>{status}<BookgDt><Dt>{entry.booked}</Dt></BookgDt>{value}"
            f"{_tag('AcctSvcrRef', entry.bank_reference)}<NtryDtls><TxDtls>"
            f"<Refs>{_tag('EndToEndId', entry.end_to_end)}</Refs>{_camt_parties(entry, money_in, version)}"
            f"<RmtInf><Ustrd>{entry.text}</Ustrd>{_camt_reference(entry.reference)}</RmtInf></TxDtls></NtryDtls>"
            f"</Ntry>")


def _camt_parties(entry: Entry, money_in: bool, version: str) -> str:
    party = "Dbtr" if money_in else "Cdtr"
    name = f"<Pty><Nm>{entry.name}</Nm></Pty>" if version >= "08" else f"<Nm>{entry.name}</Nm>"
    account = f"<{party}Acct><Id><IBAN>{entry.iban}</IBAN></Id></{party}Acct>" if entry.iban else ""
    return f"<RltdPties><{party}>{name}</{party}>{account}</RltdPties>"


def _camt_reference(reference: str | None) -> str:
    if not reference:
        return ""
    return (f"<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>{reference}</Ref></CdtrRefInf>"
            "</Strd>")


def _tag(name: str, value: str | None) -> str:
    return f"<{name}>{value}</{name}>" if value else ""


def mt940(account: Account, *, interim: bool = False, number: str = "00001") -> bytes:
    """One MT940 message (MT942 when ``interim``: floor limit and time, no balances) with structured ``:86:``."""
    lines = [":20:STARTUMS", f":25:{account.iban}", f":28C:{number}/001"]
    if interim:
        lines += [f":34F:{account.currency}0,00", ":13D:2603041000+0100"]
    else:
        lines.append(_mt940_balance("60F", account.opening, account.currency))
    for entry in account.entries:
        lines += _mt940_entry(entry)
    if not interim:
        lines.append(_mt940_balance("62F", account.closing_balance, account.currency))
    return ("\r\n".join(lines) + "\r\n-\r\n").encode("latin-1")


def _mt940_balance(tag: str, amount: Decimal, currency: str) -> str:
    mark = "D" if amount < 0 else "C"
    return f":{tag}:{mark}260301{currency}{_mt940_amount(abs(amount))}"


def _mt940_amount(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def _mt940_entry(entry: Entry) -> list[str]:
    mark = "C" if entry.amount > 0 else "D"
    value = (entry.value or entry.booked).strftime("%y%m%d")
    statement_line = (f":61:{value}{entry.booked:%m%d}{mark}{_mt940_amount(abs(entry.amount))}NTRFNONREF"
                      f"//{entry.bank_reference or ''}")
    details = (f":86:166?00SEPA-UEBERWEISUNG?20EREF+{entry.end_to_end or 'NOTPROVIDED'}?21SVWZ+{entry.text}"
               f"?31{entry.iban or ''}?32{entry.name or ''}")
    return [statement_line, details]


def ofx(accounts: list[tuple[str, Account]]) -> bytes:
    """An OFX 1.02 (SGML) file with a statement per ``(kind, account)``: ``bank`` or ``card``."""
    bank = "".join(_ofx_statement(account) for kind, account in accounts if kind == "bank")
    cards = "".join(_ofx_card(account) for kind, account in accounts if kind == "card")
    header = ("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\n"
              "COMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n")
    signon = ("<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20260304<LANGUAGE>ENG"
              "</SONRS></SIGNONMSGSRSV1>")
    messages = (f"<BANKMSGSRSV1>{bank}</BANKMSGSRSV1>" if bank else "") + \
               (f"<CREDITCARDMSGSRSV1>{cards}</CREDITCARDMSGSRSV1>" if cards else "")
    return f"{header}<OFX>{signon}{messages}</OFX>\n".encode("ascii")


def _ofx_statement(account: Account) -> str:
    body = (f"<CURDEF>{account.currency}<BANKACCTFROM><BANKID>123456789<ACCTID>{account.iban}<ACCTTYPE>CHECKING"
            f"</BANKACCTFROM>{_ofx_lines(account)}")
    return f"<STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS>{body}</STMTRS></STMTTRNRS>"


def _ofx_card(account: Account) -> str:
    body = f"<CURDEF>{account.currency}<CCACCTFROM><ACCTID>{account.iban}</CCACCTFROM>{_ofx_lines(account)}"
    return f"<CCSTMTTRNRS><TRNUID>2<STATUS><CODE>0<SEVERITY>INFO</STATUS><CCSTMTRS>{body}</CCSTMTRS></CCSTMTTRNRS>"


def _ofx_lines(account: Account) -> str:
    lines = "".join(f"<STMTTRN><TRNTYPE>{'CREDIT' if e.amount > 0 else 'DEBIT'}<DTPOSTED>{e.booked:%Y%m%d}"
                    f"<TRNAMT>{e.amount}<FITID>{e.bank_reference}<NAME>{e.name}<MEMO>{e.text}</STMTTRN>"
                    for e in account.entries)
    return (f"<BANKTRANLIST><DTSTART>20260301<DTEND>20260331{lines}</BANKTRANLIST>"
            f"<LEDGERBAL><BALAMT>{account.closing_balance}<DTASOF>20260331</LEDGERBAL>")


def csv_statement(rows: list[list[str]], *, header: list[str], title: str | None = None, delimiter: str = ";",
                  encoding: str = "utf-8") -> bytes:
    lines = ([title] if title else []) + [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_statement(rows: list[list[object]], *, header: list[str]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
