"""A small network from a document's feature row (``doc_features``) to its type, and its file.

One hidden layer over standardised features, trained full-batch with class weights (types are not equally
common) and a little label smoothing (so a probability of 0.99 still means something). The model is one
safetensors file of well under a megabyte, its types and feature scaling inside: ``save`` and
``load_classifier``; no pickle, no network."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class TrainingOptions:
    hidden: int = 64
    epochs: int = 300
    learning_rate: float = 3e-3
    weight_decay: float = 1e-3
    dropout: float = 0.2
    label_smoothing: float = 0.05
    seed: int = 7


class DocumentClassifier:
    """A trained network with its feature scaling; ``probabilities`` of each type for rows of features."""

    def __init__(self, doc_types: Sequence[str], network, mean: np.ndarray, scale: np.ndarray,
                 info: dict | None = None):
        self.doc_types, self.network = tuple(doc_types), network
        self.mean, self.scale, self.info = mean, scale, info or {}

    @property
    def inputs(self) -> int:
        return int(self.mean.shape[0])

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """(documents x types) probabilities, each row adding up to 1."""
        import torch

        scaled = torch.from_numpy(((rows - self.mean) / self.scale).astype(np.float32))
        with torch.inference_mode():
            return torch.softmax(self.network(scaled), dim=1).numpy()

    def save(self, path: Path) -> None:
        """The model as one safetensors file, written whole or not at all."""
        import torch
        from safetensors.torch import save_file

        tensors = {f"network.{k}": v.contiguous() for k, v in self.network.state_dict().items()}
        tensors.update(mean=torch.from_numpy(self.mean), scale=torch.from_numpy(self.scale))
        # one header entry: the file's header keys come out in no fixed order, and the same model should be the
        # same bytes
        header = {"model": json.dumps({"doc_types": self.doc_types, "info": self.info}, ensure_ascii=False)}
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        save_file(tensors, str(partial), metadata=header)
        partial.replace(path)


def load_classifier(path: Path) -> DocumentClassifier:
    """A model ``save`` wrote."""
    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as stored:
        header = stored.metadata()
        tensors = {name: stored.get_tensor(name) for name in stored.keys()}
    described = json.loads(header["model"])
    doc_types = described["doc_types"]
    weights = {k.removeprefix("network."): v for k, v in tensors.items() if k.startswith("network.")}
    network = build_network(tensors["mean"].shape[0], weights["0.weight"].shape[0], len(doc_types), dropout=0.0)
    network.load_state_dict(weights)
    network.eval()
    info = described.get("info", {}) | {"path": str(path)}
    return DocumentClassifier(doc_types, network, tensors["mean"].numpy(), tensors["scale"].numpy(), info)


def build_network(inputs: int, hidden: int, outputs: int, dropout: float):
    from torch import nn

    return nn.Sequential(nn.Linear(inputs, hidden), nn.GELU(), nn.Dropout(dropout), nn.Linear(hidden, outputs))


def train_classifier(rows: np.ndarray, labels: Sequence[str], doc_types: Sequence[str],
                     options: TrainingOptions = TrainingOptions(), info: dict | None = None) -> DocumentClassifier:
    """A classifier fitted to ``rows`` labelled ``labels``; the same inputs and options give the same model."""
    import torch

    torch.manual_seed(options.seed)
    mean = rows.mean(axis=0).astype(np.float32)
    scale = (rows.std(axis=0) + 0.05).astype(np.float32)
    targets = np.array([list(doc_types).index(label) for label in labels])
    network = build_network(rows.shape[1], options.hidden, len(doc_types), options.dropout)
    _fit(network, ((rows - mean) / scale).astype(np.float32), targets, len(doc_types), options)
    network.eval()
    return DocumentClassifier(doc_types, network, mean, scale, info)


def class_weights(targets: np.ndarray, classes: int) -> np.ndarray:
    """Rare types weigh more in the loss, by the square root of how much rarer they are (fully balancing would
    let three examples of a type outweigh hundreds); types without examples weigh nothing."""
    counts = np.bincount(targets, minlength=classes).astype(np.float32)
    present = counts > 0
    weights = np.zeros(classes, dtype=np.float32)
    weights[present] = np.sqrt(counts[present].max() / counts[present])
    return weights / weights[present].mean()


def _fit(network, features: np.ndarray, targets: np.ndarray, classes: int, options: TrainingOptions) -> None:
    import torch

    inputs, wanted = torch.from_numpy(features), torch.from_numpy(targets)
    loss_of = torch.nn.CrossEntropyLoss(weight=torch.from_numpy(class_weights(targets, classes)),
                                        label_smoothing=options.label_smoothing)
    optimizer = torch.optim.AdamW(network.parameters(), lr=options.learning_rate, weight_decay=options.weight_decay)
    network.train()
    for _ in range(options.epochs):
        optimizer.zero_grad()
        loss_of(network(inputs), wanted).backward()
        optimizer.step()
