"""The default engine: PaddleOCR's PP-OCRv6 models on onnxruntime through ``rapidocr`` 3.x.

The model files ship inside the ``rapidocr`` wheel; they are named explicitly, so nothing is ever downloaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from extraction.ocr.engines import EngineOptions, EngineUnavailable, Recognized
from extraction.ocr.geometry import Quad

MODEL_FILES = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx",
               "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx"}
UPSIDE_DOWN_CERTAINTY = 0.9


class RapidModels:
    name = "rapidocr"

    def __init__(self, options: EngineOptions):
        self._ocr = _configured(options)
        self._detector = self._ocr._load_det_model()
        self._classifier = self._ocr._load_cls_model()
        self._recognizer = self._ocr._load_rec_model()

    def detect(self, image: np.ndarray) -> list[Quad]:
        boxes = self._detector(image).boxes
        return [] if boxes is None else [np.asarray(box, dtype=np.float32) for box in boxes]

    def upside_down(self, crops: Sequence[np.ndarray]) -> list[bool]:
        labels = self._classifier(list(crops)).cls_res or []
        return [label == "180" and score >= UPSIDE_DOWN_CERTAINTY for label, score in labels]

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognized]:
        from rapidocr.ch_ppocr_rec import TextRecInput
        output = self._recognizer(TextRecInput(img=list(crops)))
        return [Recognized(text, float(score)) for text, score in zip(output.txts or (), output.scores)]


def _configured(options: EngineOptions):
    try:
        import rapidocr
        from rapidocr import RapidOCR
    except ImportError as exc:
        raise EngineUnavailable("the rapidocr package is not installed (pip install rapidocr onnxruntime)") from exc
    models = Path(rapidocr.__file__).parent / "models"
    params = {f"{step}.model_path": str(_model_file(models, name)) for step, name in MODEL_FILES.items()}
    return RapidOCR(params=params | {
        "Global.log_level": "warning", "Global.use_cls": False,
        "Det.limit_type": "max", "Det.limit_side_len": options.detection_side,
        "EngineConfig.onnxruntime.intra_op_num_threads": options.threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    })


def _model_file(models: Path, name: str) -> Path:
    path = models / name
    if not path.is_file():
        raise EngineUnavailable(f"the rapidocr wheel has no model {name} in {models}; install rapidocr>=3.10,<4")
    return path
