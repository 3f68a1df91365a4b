"""Contract fields from the shipped learned model, on contracts these tests write themselves (fpdf2 PDFs in
English and Chinese), read through the real text layer; and the chooser's multi-value option."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from fpdf import FPDF

from extraction.layout import document_lines
from extraction.learned.contracts import MODEL_PATH, contract_model, extract_contract_fields
from extraction.learned.scorer import ABSENT, ScoredDocument, ScorerSpec, TrainingOptions, load_scorer, train_scorer
from extraction.pipeline import DocumentInput, analyse_pages
from tests.helpers import pdf_pages

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

ENGLISH_NDA = (
    ("MUTUAL NON-DISCLOSURE AGREEMENT", True),
    ('This Mutual Non-Disclosure Agreement (the "Agreement") is entered into as of March 3, 2023 (the "Effective '
     'Date") by and between Harbor Analytics, Inc., a Delaware corporation ("Harbor"), and Bluefin Logistics LLC, '
     'a Texas limited liability company ("Bluefin").', False),
    ("1. Purpose. The parties wish to explore a possible business relationship and, in connection with it, may "
     "disclose confidential information to each other.", False),
    ('2. Confidential Information. "Confidential Information" means any non-public information disclosed by one '
     "party to the other, whether in writing or orally, that is marked confidential or would reasonably be "
     "understood to be confidential.", False),
    ("3. Term. This Agreement shall remain in effect for a period of two (2) years from the Effective Date.", False),
    ("4. Return of Materials. Upon request, the receiving party shall promptly return or destroy all Confidential "
     "Information of the disclosing party.", False),
    ("5. Governing Law. This Agreement shall be governed by and construed in accordance with the laws of the State "
     "of New York, without regard to its conflict of laws principles.", False),
    ("IN WITNESS WHEREOF, the parties have executed this Agreement as of the Effective Date.", False),
    ("HARBOR ANALYTICS, INC.      BLUEFIN LOGISTICS LLC", False),
    ("By: /s/ Maria Lopez      By: /s/ Daniel Reed", False),
)
CHINESE_CONTRACT = (
    ("技术服务合同", True),
    ("合同编号：HT20230815", False),
    ("甲方：上海明远信息科技有限公司", False),
    ("乙方：北京华辰数据服务有限公司", False),
    ("第一条 合同期限", True),
    ("本合同有效期为两年，自2023年8月15日起至2025年8月14日止。", False),
    ("第二条 合同价款及支付方式", True),
    ("本合同总金额为人民币120,000.00元（含税），收到发票后30日内支付。", False),
    ("第三条 保密条款", True),
    ("双方应对在履行本合同过程中知悉的对方商业秘密承担保密义务，未经对方书面同意不得向任何第三方披露。", False),
    ("第四条 法律适用", True),
    ("本合同的订立、效力、解释和履行均适用中华人民共和国法律。", False),
    ("甲方（盖章）：上海明远信息科技有限公司", False),
    ("乙方（盖章）：北京华辰数据服务有限公司", False),
)
PROSE = (
    ("A Short History of the Riverside Museum", True),
    ("The museum opened its doors on May 4, 1998, after a decade of fundraising by local families. Its first "
     "exhibition showed river boats built in Ohio and Kentucky during the nineteenth century.", False),
    ("Over the following twenty years the collection grew to more than four thousand objects, from fishing nets "
     "to steam whistles, and the reading room became a favourite place for students of local history.", False),
    ("Visitors today can walk along the old towpath, watch volunteers repair wooden hulls in the workshop, and "
     "listen to recorded memories of the people who lived and worked on the water.", False),
)


def contract_pdf(paragraphs: tuple[tuple[str, bool], ...], chinese: bool = False) -> bytes:
    """A one-page PDF of ``paragraphs`` (text, bold) as flowing prose."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_margins(20, 20, 20)
    if chinese:
        if not CJK_FONT.exists():
            pytest.fail(f"the font {CJK_FONT} is missing: `apt-get install fonts-wqy-microhei`", pytrace=False)
        pdf.add_font("cjk", "", str(CJK_FONT))
    for text, bold in paragraphs:
        if chinese:
            pdf.set_font("cjk", "", 14 if bold else 11)
        else:
            pdf.set_font("Helvetica", "B" if bold else "", 14 if bold else 10.5)
        pdf.multi_cell(0, 6, text, align="C" if bold and paragraphs[0][0] == text else "L")
        pdf.ln(3)
    return bytes(pdf.output())


def fields_of(paragraphs: tuple[tuple[str, bool], ...], chinese: bool = False) -> dict:
    return extract_contract_fields(document_lines(pdf_pages(contract_pdf(paragraphs, chinese))))


def assert_located(field, printed: str) -> None:
    """The field says where it was read: page 1, a box inside the page, and a sentence holding it."""
    assert field.page == 1
    x0, y0, x1, y1 = field.bbox
    assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1
    assert printed.replace(" ", "") in field.evidence.replace(" ", "")
    assert 0 < field.confidence <= 1


def test_english_contract_fields_with_evidence_and_box():
    fields = fields_of(ENGLISH_NDA)

    assert sorted(fields["parties"].value) == ["Bluefin Logistics LLC", "Harbor Analytics Inc."]
    assert fields["effective_date"].value == "2023-03-03"
    assert fields["term"].value == "2 years"
    assert fields["jurisdiction"].value == "New York"
    assert_located(fields["effective_date"], "March 3, 2023")
    assert_located(fields["term"], "two (2) years")
    assert_located(fields["jurisdiction"], "New York")
    assert_located(fields["parties"], "Harbor Analytics, Inc.")


def test_chinese_contract_fields_with_evidence_and_box():
    fields = fields_of(CHINESE_CONTRACT, chinese=True)

    assert sorted(fields["parties"].value) == ["上海明远信息科技有限公司", "北京华辰数据服务有限公司"]
    assert fields["effective_date"].value == "2023-08-15"
    assert fields["expiration_date"].value == "2025-08-14"
    assert fields["term"].value == "2 years"
    assert fields["jurisdiction"].value == "中华人民共和国"
    assert fields["total_value"].value == "120000.00"
    assert fields["currency"].value == "CNY"
    assert_located(fields["effective_date"], "2023年8月15日")
    assert_located(fields["jurisdiction"], "中华人民共和国")


def test_a_contract_without_a_term_leaves_it_empty():
    shorter = tuple(p for p in ENGLISH_NDA if not p[0].startswith("3. Term"))

    fields = fields_of(shorter)

    assert "term" not in fields
    assert fields["effective_date"].value == "2023-03-03"
    assert fields["jurisdiction"].value == "New York"


def test_a_contract_naming_no_law_and_no_place_has_no_jurisdiction():
    """(A contract without a governing-law clause that says ``a Delaware corporation`` gets ``Delaware``: the
    NDAs the model learned from name a governing law almost always, and their state otherwise.)"""
    placeless = tuple((text.replace("a Delaware corporation", "a corporation")
                       .replace("a Texas limited liability company", "a limited liability company"), bold)
                      for text, bold in ENGLISH_NDA if not text.startswith("5. Governing Law"))

    fields = fields_of(placeless)

    assert "jurisdiction" not in fields
    assert fields["term"].value == "2 years"


def test_prose_that_is_no_contract_gets_no_contract_fields():
    fields = fields_of(PROSE)

    assert not {"parties", "effective_date", "term", "jurisdiction"} & set(fields)


def test_no_lines_no_fields():
    assert extract_contract_fields([]) == {}


def test_the_pipeline_extracts_a_contracts_fields():
    pages = pdf_pages(contract_pdf(ENGLISH_NDA))
    document = DocumentInput("d1", "c1", "blob", "application/pdf", "contract")

    result = analyse_pages(pages, document, date(2024, 1, 1))

    assert result.doc_type == "contract"
    assert result.fields["jurisdiction"].value == "New York"
    assert result.fields["jurisdiction"].source == "pdf_text"
    assert not [issue for issue in result.issues if issue.rule == "no_extractor"]


def test_the_shipped_model_loads_offline_and_is_small():
    model = contract_model()

    assert MODEL_PATH.stat().st_size < 5 * 1024 * 1024
    assert {"parties", "effective_date", "term", "jurisdiction"} <= set(model.spec.fields)
    assert model.spec.multiple == ("parties",)
    assert 0 < model.info["thresholds"]["parties"] < 1


def _toy_documents(count: int, seed: int) -> list[ScoredDocument]:
    """Documents of four candidates: the two with a high first feature are both right for ``many``; the one with
    the highest second feature is right for ``one``."""
    rng, documents = np.random.default_rng(seed), []
    for _ in range(count):
        features = rng.normal(size=(4, 3)).astype(np.float32)
        features[:2, 0] += 6.0
        best = int(np.argmax(features[:, 1]))
        documents.append(ScoredDocument(features, np.zeros(4, dtype=np.int64), {"many": [0, 1], "one": [best]}))
    documents.append(ScoredDocument(np.full((2, 3), -3.0, np.float32), np.zeros(2, dtype=np.int64),
                                    {"many": [ABSENT], "one": [ABSENT]}))
    return documents


def test_a_multiple_field_chooses_every_likely_candidate(tmp_path):
    spec = ScorerSpec(("many", "one"), ("thing",), {"many": ("thing",), "one": ("thing",)}, hidden=16,
                      multiple=("many",))
    scorer = train_scorer(spec, _toy_documents(60, 1), _toy_documents(15, 2), TrainingOptions(epochs=20))
    scorer.save(tmp_path / "toy.safetensors")
    loaded = load_scorer(tmp_path / "toy.safetensors")
    document = _toy_documents(1, 3)[0]

    chosen = loaded.choose_all(document)

    assert loaded.spec.multiple == ("many",)
    assert sorted(c.index for c in chosen["many"]) == [0, 1]
    assert [c.index for c in chosen["one"]] == document.targets["one"]
    assert loaded.choose(document)["many"].index in (0, 1)
