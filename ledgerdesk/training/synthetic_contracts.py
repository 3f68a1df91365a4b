"""Contracts drawn as flowing A4 or Letter prose of one to three pages: a centred or ruled title, the number and
parties, numbered clauses with bold headings, and signature blocks for each party."""

from __future__ import annotations

import random

from ledgerdesk.training.synthetic_contract_text import ContractText, contract_text
from ledgerdesk.training.synthetic_pdf import Sheet, Truth

LAYOUTS = ("centred-title", "ruled-heading")


def draw_contract(rng: random.Random, language: str) -> tuple[bytes, Truth, str]:
    """A contract in ``language``; its bytes, truth and layout name."""
    truth = Truth()
    text = contract_text(rng, language, truth)
    layout, chinese = rng.choice(LAYOUTS), language == "zh"
    sheet = Sheet(210, 297, chinese=chinese)
    sheet.flowing(rng.choice((18, 22, 25)), 20)
    heading(sheet, text, layout)
    size = rng.choice((9, 9.5, 10.5))
    for clause, body in text.clauses:
        sheet.flow(clause, size + 0.5, bold=True, after=0.5)
        sheet.flow(body, size, after=2.5)
    signatures(sheet, text, chinese)
    return sheet.output(), truth, f"contract/{layout}"


def heading(sheet: Sheet, text: ContractText, layout: str) -> None:
    if layout == "centred-title":
        sheet.flow(text.title, 16, bold=True, align="C", after=4)
        for line in text.header:
            sheet.flow(line, 9.5, align="C", after=0.5)
    else:
        sheet.flow(text.title, 14, bold=True, after=1)
        y = sheet.pdf.get_y()
        sheet.rule(sheet.pdf.l_margin, y, sheet.width - sheet.pdf.r_margin, y, 0.6)
        sheet.pdf.ln(2)
        for line in text.header:
            sheet.flow(line, 9.5, after=0.5)
    sheet.pdf.ln(5)


def signatures(sheet: Sheet, text: ContractText, chinese: bool) -> None:
    """One signature block per party."""
    sheet.pdf.ln(4)
    if chinese:
        for label, name in zip(("甲方", "乙方", "丙方"), text.signatories):
            sheet.flow(f"{label}（盖章）：{name}", 10, after=1)
            sheet.flow("法定代表人或授权代表（签字）：__________    日期：______年____月____日", 9.5, after=5)
        return
    sheet.flow("IN WITNESS WHEREOF, the parties have executed this Agreement as of the Effective Date.", 9.5, after=5)
    for name in text.signatories:
        sheet.flow(f"For and on behalf of {name}", 9.5, bold=True, after=1)
        sheet.flow("Signature: ____________________   Name: ____________________   Date: ____________", 9, after=6)
