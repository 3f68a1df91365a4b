"""The words of synthetic contracts: service agreements, NDAs and leases in English, 服务合同, 保密协议 and 房屋租赁合同
in Chinese. A contract is a title, a number and numbered clauses of prose with the parties, dates, term, value,
payment terms, governing law and renewal written into them; the truth is recorded as the text is written. Pure:
no drawing here (``synthetic_contracts`` draws)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ledgerdesk.training.synthetic_formats import canonical_amount, money, printed_date
from ledgerdesk.training.synthetic_parties import company
from ledgerdesk.training.synthetic_pdf import Truth
from ledgerdesk.training.synthetic_values import CURRENCIES, some_date

KINDS = {"en": ("Service Agreement", "Master Services Agreement", "Mutual Non-Disclosure Agreement",
                "Commercial Lease Agreement", "Consulting Agreement"),
         "zh": ("技术服务合同", "保密协议", "房屋租赁合同", "采购合同")}
TERMS_EN = ((12, "twelve (12) months"), (12, "12 months"), (24, "two (2) years"), (36, "three (3) years"),
            (12, "one (1) year"), (6, "six (6) months"), (60, "five (5) years"))
TERMS_ZH = ((12, "一年"), (24, "两年"), (36, "三年"), (12, "十二个月"), (6, "六个月"))
JURISDICTIONS = {"us": ("the State of Delaware", "the State of New York", "the State of California"),
                 "uk": ("England and Wales",), "sg": ("the Republic of Singapore",), "my": ("Malaysia",),
                 "ie": ("Ireland",)}
PAYMENT_EN = ("within thirty (30) days of receipt of a valid invoice", "Net 30", "monthly in advance",
              "within fourteen (14) days of the invoice date")
PAYMENT_ZH = ("收到发票后30日内支付", "按月支付", "合同签订后10个工作日内一次性支付")
RENEWAL_EN = "automatically renews for successive one-year periods"
RENEWAL_ZH = "合同期满后自动续展一年"
ROLES = {"Service Agreement": ("the Client", "the Provider"), "Master Services Agreement": ("Customer", "Supplier"),
         "Mutual Non-Disclosure Agreement": ("Disclosing Party", "Receiving Party"),
         "Commercial Lease Agreement": ("Landlord", "Tenant"), "Consulting Agreement": ("Company", "Consultant")}
BOILERPLATE_EN = (
    ("Confidentiality", "Each party shall keep confidential all information of the other party that is marked "
     "confidential or would reasonably be understood to be confidential, and shall use it only to perform this "
     "Agreement. This obligation survives termination for five years."),
    ("Limitation of Liability", "Neither party shall be liable for any indirect, incidental or consequential loss. "
     "Each party's total liability under this Agreement is limited to the fees paid in the twelve months before "
     "the claim arose."),
    ("Termination", "Either party may terminate this Agreement by written notice if the other party commits a "
     "material breach and fails to remedy it within thirty days of being notified of it."),
    ("Notices", "Notices shall be in writing and delivered by hand, by registered post or by e-mail to the "
     "addresses set out above, and take effect on receipt."),
    ("Entire Agreement", "This Agreement constitutes the entire agreement between the parties and supersedes all "
     "prior negotiations, representations and agreements relating to its subject matter."),
    ("Assignment", "Neither party may assign or transfer its rights under this Agreement without the prior written "
     "consent of the other party, which shall not be unreasonably withheld."),
    ("Force Majeure", "Neither party is liable for any delay caused by events beyond its reasonable control, "
     "including fire, flood, epidemic, strike or failure of public networks."),
    ("Intellectual Property", "All intellectual property rights in materials created by a party before or outside "
     "this Agreement remain with that party. Deliverables created specifically for the other party under this "
     "Agreement vest in that other party on full payment, and each party grants the other a non-exclusive licence "
     "to use its pre-existing materials to the extent needed to use the deliverables."),
    ("Data Protection", "Where a party processes personal data on behalf of the other, it shall do so only on "
     "documented instructions, keep the data secure with appropriate technical and organisational measures, assist "
     "with requests from data subjects, notify the other party of any personal data breach without undue delay, "
     "and delete or return the data at the end of the services."),
    ("Warranties", "Each party warrants that it has full power and authority to enter into this Agreement. The "
     "services shall be performed with reasonable skill and care, by suitably qualified personnel, and in "
     "accordance with good industry practice and all applicable laws and regulations."),
    ("Insurance", "During the term and for one year after it, each party shall maintain with reputable insurers "
     "public liability, professional indemnity and employer's liability insurance in amounts customary for its "
     "business, and shall produce evidence of cover on reasonable request."),
    ("Independent Contractors", "The parties are independent contractors. Nothing in this Agreement creates a "
     "partnership, joint venture or employment relationship, and neither party may bind the other."),
    ("Severability", "If any provision of this Agreement is held invalid or unenforceable, the remaining provisions "
     "continue in full force, and the invalid provision shall be replaced by a valid one that comes closest to "
     "the parties' original intention."),
    ("Counterparts", "This Agreement may be executed in any number of counterparts, including by electronic "
     "signature, each of which is an original and all of which together form one agreement."),
)
BOILERPLATE_ZH = (
    ("保密条款", "双方应对在履行本合同过程中知悉的对方商业秘密和技术信息承担保密义务，未经对方书面同意不得向任何第三方披露。"
     "本条款在合同终止后五年内继续有效。"),
    ("违约责任", "任何一方违反本合同约定的，应承担违约责任，并赔偿因此给对方造成的全部损失。"),
    ("不可抗力", "因地震、火灾、疫情等不可抗力导致不能履行合同的，受影响一方应及时通知对方，并在合理期限内提供证明。"),
    ("争议解决", "因本合同引起的争议，双方应友好协商解决；协商不成的，任何一方均可向合同签订地人民法院提起诉讼。"),
    ("双方权利义务", "甲方应按照本合同约定及时支付款项，并为乙方履行合同提供必要的协助和配合。乙方应按照国家标准和行业规范"
     "履行合同义务，保证所提供的产品或服务符合本合同约定的质量要求，并接受甲方的监督和检查。"),
    ("验收", "甲方应在乙方交付后十个工作日内组织验收，验收合格的，双方签署验收单；验收不合格的，乙方应在合理期限内"
     "整改并重新提交验收，由此产生的费用由乙方承担。"),
    ("知识产权", "乙方保证其交付的成果不侵犯任何第三方的知识产权。因履行本合同产生的成果，其知识产权归甲方所有，"
     "双方另有约定的除外。"),
    ("通知与送达", "双方在合同首部列明的地址、电话及电子邮箱为有效送达地址，一方变更联系方式的，应提前五日书面通知对方。"),
    ("其他", "本合同一式两份，双方各执一份，具有同等法律效力。本合同自双方签字盖章之日起生效。"),
)


@dataclass(frozen=True)
class ContractText:
    """A contract as words: its title, heading lines and clauses (heading, paragraph), and the signature names."""

    title: str
    header: tuple[str, ...]
    clauses: tuple[tuple[str, str], ...]
    signatories: tuple[str, ...]


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` calendar months on (the last day of a shorter month where needed)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def contract_text(rng: random.Random, language: str, truth: Truth) -> ContractText:
    """A contract in ``language`` (``en`` or ``zh``), recording its fields in ``truth``."""
    return (chinese_contract if language == "zh" else english_contract)(rng, truth)


def english_contract(rng: random.Random, truth: Truth) -> ContractText:
    region = rng.choice(("us", "uk", "sg", "my", "ie"))
    kind = rng.choice(KINDS["en"])
    title = truth.exact("title", kind.upper() if rng.random() < 0.6 else kind)
    parties = [company(rng, region) for _ in range(rng.choice((2, 2, 2, 3)))]
    truth.put("parties", [p.name for p in parties], "; ".join(p.name for p in parties))
    number = truth.exact("contract_number", f"{''.join(w[0] for w in kind.split())}-{rng.randint(2018, 2025)}-"
                                            f"{rng.randint(1, 999):03d}")
    style = rng.choice(("month-d-y", "d-month-y"))
    effective, (months, term) = some_date(rng), rng.choice(TERMS_EN)
    ends = add_months(effective, months) - timedelta(days=1)
    clauses = [_en_parties_clause(truth, kind, parties, effective, style),
               _en_term_clause(rng, truth, months, term, ends, style)]
    if "Non-Disclosure" not in kind:
        clauses.append(_en_fees_clause(rng, truth, region))
    clauses += rng.sample(BOILERPLATE_EN, rng.randint(3, len(BOILERPLATE_EN)))
    jurisdiction = truth.exact("jurisdiction", rng.choice(JURISDICTIONS[region]))
    clauses.append(("Governing Law", f"This Agreement is governed by and construed in accordance with the laws of "
                                     f"{jurisdiction}, and the courts of {jurisdiction} have exclusive jurisdiction."))
    return ContractText(title, (f"Contract No. {number}",), _numbered(clauses), tuple(p.name for p in parties))


def _en_parties_clause(truth: Truth, kind: str, parties: list, effective: date, style: str) -> tuple[str, str]:
    day = truth.put("effective_date", effective.isoformat(), printed_date(effective, style))
    roles = ROLES[kind] + ("Guarantor",)
    named = "; ".join(f"{p.name}, of {', '.join(p.address)} (\"{roles[i]}\")" for i, p in enumerate(parties))
    return ("Parties", f"This {kind} (the \"Agreement\") is entered into as of {day} (the \"Effective Date\") by "
                       f"and between {named}.")


def _en_term_clause(rng: random.Random, truth: Truth, months: int, term: str, ends: date,
                    style: str) -> tuple[str, str]:
    text = (f"This Agreement commences on the Effective Date and continues for a term of "
            f"{truth.put('term', term, term)}, until {truth.put('expiration_date', ends.isoformat(), printed_date(ends, style))}.")
    if rng.random() < 0.5:
        renewal = truth.put("renewal", RENEWAL_EN, RENEWAL_EN)
        text += f" Thereafter this Agreement {renewal} unless either party gives ninety (90) days' written notice."
    return ("Term", text)


def _en_fees_clause(rng: random.Random, truth: Truth, region: str) -> tuple[str, str]:
    currency = truth.exact("currency", CURRENCIES[region])
    value = Decimal(rng.randint(20, 900) * 500)
    total = truth.put("total_value", canonical_amount(value), money(value))
    terms = truth.exact("payment_terms", rng.choice(PAYMENT_EN))
    return ("Fees and Payment", f"The total fees payable under this Agreement are {currency} {total}, exclusive of "
                                f"applicable taxes. Invoices are payable {terms}. Late payments bear interest at "
                                f"1% per month.")


def chinese_contract(rng: random.Random, truth: Truth) -> ContractText:
    kind = truth.exact("title", rng.choice(KINDS["zh"]))
    parties = [company(rng, "zh") for _ in range(rng.choice((2, 2, 3)))]
    truth.put("parties", [p.name for p in parties], "；".join(p.name for p in parties))
    number = truth.exact("contract_number", f"HT{rng.randint(2018, 2025)}{rng.randint(1, 9999):04d}")
    effective, (months, term) = some_date(rng), rng.choice(TERMS_ZH)
    ends = add_months(effective, months) - timedelta(days=1)
    labels = ("甲方", "乙方", "丙方")
    header = (f"合同编号：{number}", *(f"{labels[i]}：{p.name}" for i, p in enumerate(parties)))
    clauses = [("合同期限", _zh_term(rng, truth, effective, ends, term))]
    if kind != "保密协议":
        clauses.append(("合同价款及支付方式", _zh_price(rng, truth)))
    clauses += rng.sample(BOILERPLATE_ZH, rng.randint(2, len(BOILERPLATE_ZH)))
    law = truth.put("jurisdiction", "中华人民共和国法律", "中华人民共和国法律")
    clauses.append(("法律适用", f"本合同的订立、效力、解释和履行均适用{law}。"))
    return ContractText(kind, header, _numbered_zh(clauses), tuple(p.name for p in parties))


def _zh_term(rng: random.Random, truth: Truth, effective: date, ends: date, term: str) -> str:
    start = truth.put("effective_date", effective.isoformat(), printed_date(effective, "zh-short"))
    end = truth.put("expiration_date", ends.isoformat(), printed_date(ends, "zh-short"))
    text = f"本合同有效期为{truth.put('term', term, term)}，自{start}起至{end}止。"
    return text + (f"{truth.put('renewal', RENEWAL_ZH, RENEWAL_ZH)}，双方另有约定的除外。" if rng.random() < 0.5 else "")


def _zh_price(rng: random.Random, truth: Truth) -> str:
    value = Decimal(rng.randint(20, 900) * 500)
    total = truth.put("total_value", canonical_amount(value), money(value))
    truth.put("currency", "CNY", "人民币")
    terms = truth.exact("payment_terms", rng.choice(PAYMENT_ZH))
    return f"本合同总金额为人民币{total}元（含税），{terms}。乙方应在收款前开具合法有效的增值税发票。"


def _numbered(clauses: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((f"{index}. {heading}", text) for index, (heading, text) in enumerate(clauses, 1))


ZH_DIGITS = "一二三四五六七八九"
ZH_NUMERALS = (*ZH_DIGITS, "十", *(f"十{d}" for d in ZH_DIGITS), "二十")
"""一 to 二十, the numbers of clauses (第十二条)."""


def _numbered_zh(clauses: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((f"第{ZH_NUMERALS[index]}条 {heading}", text) for index, (heading, text) in enumerate(clauses))
