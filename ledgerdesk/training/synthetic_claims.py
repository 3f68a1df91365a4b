"""Expense claims drawn as an English claim form (boxed header fields, an item table, signatures), a printed
expense report (summary lines, a date-ordered list, the report total) and the Chinese 费用报销单 (报销人, 报销事由,
日期/费用类别/摘要/金额, 合计金额（大写）with （小写）¥, 附单据 and the approvers)."""

from __future__ import annotations

import random

from ledgerdesk.training.synthetic_formats import canonical_amount, capital_amount, money, printed_date
from ledgerdesk.training.synthetic_pdf import Sheet, Truth
from ledgerdesk.training.synthetic_values import CURRENCY_SIGNS, ClaimValues

EN_DATE_STYLES = ("dmy-slash", "d-mon-y", "iso", "dmy-dot")
COLUMNS_X = (15, 42, 80, 195)
"""Left edges of date, category and description; the right edge of the amount."""


def draw_claim(rng: random.Random, values: ClaimValues) -> tuple[bytes, Truth, str]:
    """The claim in a layout of its language; its bytes, truth and layout name."""
    truth = Truth()
    if values.language == "zh":
        sheet, layout = Sheet(210, 148.5 if len(values.items) <= 4 else 297, chinese=True), "baoxiaodan"
        chinese_form(rng, sheet, truth, values)
    else:
        sheet, layout = Sheet(210, 297), rng.choice(("form-table", "report"))
        style = rng.choice(EN_DATE_STYLES)
        (claim_form if layout == "form-table" else claim_report)(rng, sheet, truth, values, style)
    return sheet.output(), truth, f"expense_claim/{layout}"


def header_values(truth: Truth, values: ClaimValues, day) -> list[tuple[str, str]]:
    """(label, printed value) of the claimant and the period, recording each."""
    return [("Employee Name", truth.exact("employee_name", values.employee)),
            ("Employee ID", truth.exact("employee_id", values.employee_id)),
            ("Department", values.department),
            ("Purpose", truth.exact("purpose", values.purpose)),
            ("Period From", truth.put("period_start", values.period_start.isoformat(), day(values.period_start))),
            ("Period To", truth.put("period_end", values.period_end.isoformat(), day(values.period_end))),
            ("Currency", truth.exact("currency", values.currency))]


def claim_form(rng: random.Random, sheet: Sheet, truth: Truth, values: ClaimValues, style: str) -> None:
    sheet.text(15, 14, values.company.name, 11, True)
    sheet.centred(26, "EXPENSE CLAIM FORM", 15, True)
    day = lambda d: printed_date(d, style)  # noqa: E731
    for index, (label, value) in enumerate(header_values(truth, values, day)):
        x, y = 15 + (index % 2) * 90, 38 + (index // 2) * 11
        sheet.box(x, y, 90, 11)
        sheet.text(x + 1.5, y + 1, label, 6.5)
        sheet.text(x + 1.5, y + 5.5, value, 9.5, True)
    y = item_table(sheet, truth, values, day, 38 + 4 * 11 + 8)
    sheet.text(15, y + 10, "I certify that these expenses were incurred wholly for business purposes.", 8)
    for x, label in ((15, "Employee signature"), (80, "Approved by (manager)"), (145, "Finance")):
        sheet.rule(x, y + 30, x + 50, y + 30, 0.2)
        sheet.text(x, y + 31, label, 7.5)


def item_table(sheet: Sheet, truth: Truth, values: ClaimValues, day, y: float) -> float:
    """Date, category, description and amount per item, and the total row; returns the y below."""
    sheet.shade(15, y - 1, 180, 7)
    for x, title in zip(COLUMNS_X[:3], ("Date", "Category", "Description")):
        sheet.text(x + 1, y, title, 9, True)
    sheet.right(COLUMNS_X[3] - 1, y, "Amount", 9, True)
    y += 8
    for item in values.items:
        for x, text in zip(COLUMNS_X[:3], (day(item.day), item.category, item.description)):
            sheet.text(x + 1, y, text, 9)
        sheet.right(COLUMNS_X[3] - 1, y, money(item.amount), 9)
        y += 6
    sheet.rule(15, y, 195, y, 0.4)
    total = truth.put("total_amount", canonical_amount(values.total), money(values.total))
    sheet.text(80, y + 2, f"Total claimed ({values.currency})", 10, True)
    sheet.right(COLUMNS_X[3] - 1, y + 2, total, 10, True)
    return y + 8


def claim_report(rng: random.Random, sheet: Sheet, truth: Truth, values: ClaimValues, style: str) -> None:
    """A printed report: title, summary lines, the items by date, the total at the foot."""
    day = lambda d: printed_date(d, style)  # noqa: E731
    sheet.text(15, 15, "Expense Report", 20, True)
    sheet.text(15, 25, values.company.name, 9)
    lines = (f"Prepared for: {truth.exact('employee_name', values.employee)} "
             f"(ID {truth.exact('employee_id', values.employee_id)}), {values.department}",
             f"Business purpose: {truth.exact('purpose', values.purpose)}",
             f"Report period: {truth.put('period_start', values.period_start.isoformat(), day(values.period_start))}"
             f" - {truth.put('period_end', values.period_end.isoformat(), day(values.period_end))}",
             f"Reimbursement currency: {truth.exact('currency', values.currency)}")
    for index, line in enumerate(lines):
        sheet.text(15, 35 + index * 5.5, line, 9.5)
    y = item_table(sheet, truth, values, day, 65)
    sign = CURRENCY_SIGNS[values.currency]
    sheet.right(195, y + 8, f"Report Total: {sign}{money(values.total)}", 12, True)
    sheet.text(15, y + 24, f"Submitted {day(values.period_end)} · awaiting approval", 8)


def chinese_form(rng: random.Random, sheet: Sheet, truth: Truth, values: ClaimValues) -> None:
    """费用报销单: header cells, the item grid, the total in capital numerals and figures, the signatures."""
    sheet.colour(0, 60, 120)
    sheet.centred(10, f"{values.company.name}", 9)
    sheet.centred(16, "费用报销单", 16)
    sheet.colour(0, 0, 0)
    day = lambda d: printed_date(d, "zh")  # noqa: E731
    cells = (("报销人", truth.exact("employee_name", values.employee)), ("工号", truth.exact("employee_id", values.employee_id)),
             ("部门", values.department), ("币种", truth.put("currency", values.currency, "人民币")))
    for index, (label, value) in enumerate(cells):
        sheet.box(10 + index * 47.5, 26, 47.5, 8)
        sheet.text(11.5 + index * 47.5, 28, f"{label}：{value}", 8.5)
    sheet.box(10, 34, 190, 8)
    period = (f"{truth.put('period_start', values.period_start.isoformat(), day(values.period_start))}至"
              f"{truth.put('period_end', values.period_end.isoformat(), day(values.period_end))}")
    sheet.text(11.5, 36, f"报销事由：{truth.exact('purpose', values.purpose)}    期间：{period}", 8.5)
    y = chinese_items(sheet, values, 42)
    total = truth.put("total_amount", canonical_amount(values.total), money(values.total, "plain"))
    sheet.box(10, y, 190, 9)
    sheet.text(11.5, y + 2.5, f"合计金额（大写）：{capital_amount(values.total)}", 9)
    sheet.text(140, y + 2.5, f"（小写）¥{total}", 9)
    sheet.text(11.5, y + 12, f"附单据 {len(values.items)} 张", 8.5)
    for index, label in enumerate(("审批人", "财务审核", "出纳", "报销人")):
        sheet.text(11.5 + index * 47.5, y + 20, f"{label}：", 8.5)


def chinese_items(sheet: Sheet, values: ClaimValues, y: float) -> float:
    for x, width, title in ((10, 35, "日期"), (45, 30, "费用类别"), (75, 85, "摘要"), (160, 40, "金额")):
        sheet.box(x, y, width, 7)
        sheet.text(x, y + 1.8, title, 8.5, align="C", width=width)
    y += 7
    for item in values.items:
        for x, width, text in ((10, 35, printed_date(item.day, "zh")), (45, 30, item.category),
                               (75, 85, item.description)):
            sheet.box(x, y, width, 7)
            sheet.text(x + 1.5, y + 1.8, text, 8.5)
        sheet.box(160, y, 40, 7)
        sheet.right(198, y + 1.8, money(item.amount, "plain"), 8.5)
        y += 7
    return y
