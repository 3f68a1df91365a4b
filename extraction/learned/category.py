"""The spending category of a receipt, read by meaning: each line of the receipt (the merchant's name, the goods
bought) is compared with a short description of each category in English and Chinese, through the same MiniLM
line embeddings the field model has already computed (so it costs a few matrix products).

A line's similarity to a category is its similarity to the closest of the category's phrases, less its mean over
the categories; a category is scored by the mean of its three most similar lines; the scores become a confidence
through a softmax. Nothing was fitted on labelled receipts (no labelled set of receipt categories exists yet), so the
confidence is capped at ``MAX_CONFIDENCE``: it ranks the categories, it does not promise a measured accuracy."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from core.embeddings import Encode, shared_encoder
from extraction.learned.layout_fields import searched_lines
from extraction.model import ExtractedField, Line

CATEGORIES: dict[str, tuple[str, ...]] = {
    "meals": ("restaurant, cafe, coffee shop, food and drinks, lunch, dinner, burger, noodles, fried rice",
              "restoran, kedai makan, nasi goreng, mee, teh tarik, kopi",
              "餐厅 饭店 咖啡 餐饮 午餐 晚餐 饮料 面馆"),
    "groceries": ("supermarket grocery store, bread, milk, eggs, fruit, vegetables, household goods",
                  "超市 便利店 牛奶 面包 鸡蛋 水果 蔬菜 日用品"),
    "lodging": ("hotel inn guest house, room charge, accommodation, nights stay", "酒店 宾馆 住宿费 房费"),
    "travel": ("airline flight ticket, train ticket, railway, coach bus ticket, boarding pass",
               "机票 航空 高铁 火车票 车票 登机牌"),
    "local_transport": ("taxi cab fare, ride hailing, parking fee, toll, metro card", "出租车 打车 停车费 过路费 地铁"),
    "fuel": ("petrol station, fuel, unleaded petrol, gasoline, diesel, litres pump", "加油站 汽油 柴油 燃油 加油"),
    "office_supplies": ("stationery shop, paper, pens, notebook, printer ink toner, office supplies",
                        "文具店 办公用品 打印纸 中性笔 笔记本 墨盒"),
    "hardware": ("hardware store, tools, screws, nails, paint, building materials, electrical parts",
                 "五金店 工具 螺丝 钉子 油漆 建材 电料"),
    "telecom": ("mobile phone top-up, internet, telephone bill, SIM card, broadband", "话费 充值 通信 宽带 电话卡"),
    "software": ("software licence, online subscription, cloud service, app store", "软件 订阅 云服务 应用商店"),
}
"""The categories a receipt may get, each described by phrases in English (Malay for Malaysian meals) and Chinese;
posting maps them to accounts."""
CHINESE = re.compile(r"[\u4e00-\u9fff]")
TOP_LINES = 3
TEMPERATURE = 0.02
"""How sharply similarity differences become confidence (cosine similarities differ by a few hundredths)."""
LEXICAL_WEIGHT = 0.3
"""How much a Chinese phrase of a category found in a line adds (MiniLM was trained on English text, so its
embeddings of Chinese lines say little)."""
MAX_CONFIDENCE = 0.8
MIN_SCORE = 0.08
"""Below this, no line resembles a category more than the others and the receipt gets none."""


@lru_cache(maxsize=1)
def category_embeddings() -> list[np.ndarray]:
    """Per category, one unit row per phrase of its descriptions."""
    encoder = shared_encoder()
    return [encoder.encode(_phrases(texts)) for texts in CATEGORIES.values()]


def receipt_category(lines: list[Line], encode_lines: Encode | None = None) -> dict[str, ExtractedField]:
    """``{"category": field}`` for a receipt whose lines resemble a category, else ``{}``."""
    lines = searched_lines(lines)
    if not lines:
        return {}
    texts = [line.text for line in lines]
    embeddings = (encode_lines or shared_encoder().encode_lines)(texts)
    similarity = line_similarities(embeddings) + LEXICAL_WEIGHT * phrase_overlaps(texts)
    scores = category_scores(similarity)
    best = int(np.argmax(scores))
    if scores[best] < MIN_SCORE:
        return {}
    return {"category": _field(best, confidences(scores)[best], similarity[:, best], lines)}


def line_similarities(embeddings: np.ndarray) -> np.ndarray:
    """Lines x categories: each line's similarity to the closest phrase of each category, less the line's mean
    over the categories (a line like every category, an address say, tells nothing)."""
    closest = np.stack([(embeddings @ phrases.T).max(axis=1) for phrases in category_embeddings()], axis=1)
    return closest - closest.mean(axis=1, keepdims=True)


def phrase_overlaps(texts: list[str]) -> np.ndarray:
    """Lines x categories: the largest share of a category's Chinese phrase whose character pairs the line
    holds (加油站 in 中国石化加油站 is 1.0)."""
    return np.asarray([[max((len(pairs & _pairs(text)) / len(pairs) for pairs in category), default=0.0)
                        for category in _category_pairs()] for text in texts], dtype=np.float32)


@lru_cache(maxsize=1)
def _category_pairs() -> list[list[set[str]]]:
    return [[_pairs(p) for p in _phrases(described) if _pairs(p)] for described in CATEGORIES.values()]


def _pairs(text: str) -> set[str]:
    """The pairs of adjacent Chinese characters in ``text``."""
    return {a + b for a, b in zip(text, text[1:]) if CHINESE.match(a) and CHINESE.match(b)}


def category_scores(similarity: np.ndarray) -> np.ndarray:
    """Each category's mean similarity over the ``TOP_LINES`` lines closest to it (``similarity``: lines x
    categories)."""
    top = min(TOP_LINES, similarity.shape[0])
    return -np.sort(-similarity, axis=0)[:top].mean(axis=0)


def confidences(scores: np.ndarray) -> np.ndarray:
    """The scores as probabilities, capped at ``MAX_CONFIDENCE`` (they are not calibrated on labelled data)."""
    weights = np.exp((scores.astype(np.float64) - scores.max()) / TEMPERATURE)
    return np.minimum(weights / weights.sum(), MAX_CONFIDENCE)


def _field(category: int, confidence: float, similarity: np.ndarray, lines: list[Line]) -> ExtractedField:
    order = np.argsort(-similarity)[:TOP_LINES]
    evidence = " / ".join(lines[i].text for i in order)
    strongest = lines[int(order[0])]
    return ExtractedField(list(CATEGORIES)[category], float(confidence), strongest.page, strongest.bbox,
                          "pdf_text", f"resembles {list(CATEGORIES)[category]}: {evidence}")


def _phrases(texts: tuple[str, ...]) -> list[str]:
    return [phrase.strip() for text in texts for phrase in re.split(r"[,，]|\s(?=\S*[\u4e00-\u9fff])", text)
            if phrase.strip()]
