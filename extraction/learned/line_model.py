"""The line model: labels each line of a document as the start of an item, the continuation of one (a wrapped
description, a receipt's ``2 x 3.50`` line under its article), the header of an item table, or anything else.

A small network (one hidden layer) gives each line a probability per label from its features
(``line_features.py``); a Viterbi pass then picks the likeliest sequence of labels under the transitions counted in
the training documents (a continuation follows a start or a continuation, a header comes before items). The
probabilities are calibrated with one temperature fitted on documents the network did not learn from.

Inference is numpy alone. The model is one safetensors file of a few hundred KB: weights, feature scaling,
transitions, temperature, and the training's settings in its header."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from extraction.learned.scorer import TrainingOptions

LABELS = ("other", "header", "start", "continuation")
OTHER, HEADER, START, CONTINUATION = range(len(LABELS))
TENSORS = ("hidden_weight", "hidden_bias", "output_weight", "output_bias", "mean", "scale", "transitions", "initial")
TEMPERATURES = np.exp(np.linspace(np.log(0.25), np.log(8.0), 41))
HIDDEN = 64
EPOCHS = 40


@dataclass
class LineModel:
    """A trained line labeller."""

    tensors: dict[str, np.ndarray]
    temperature: float = 1.0
    info: dict = field(default_factory=dict)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """(lines x labels) calibrated probabilities of each line's label on its own."""
        return softmax(self.logits(features) / self.temperature)

    def logits(self, features: np.ndarray) -> np.ndarray:
        t = self.tensors
        scaled = (features - t["mean"]) / t["scale"]
        hidden = np.maximum(scaled @ t["hidden_weight"].T + t["hidden_bias"], 0.0)
        return hidden @ t["output_weight"].T + t["output_bias"]

    def read(self, features: np.ndarray) -> tuple[list[int], np.ndarray]:
        """The likeliest labels of a document's lines and the lines' probabilities."""
        probabilities = self.probabilities(features)
        return viterbi(np.log(probabilities + 1e-9), self.tensors["transitions"], self.tensors["initial"]), \
            probabilities

    def save(self, path: Path) -> None:
        from safetensors.numpy import save_file

        path.parent.mkdir(parents=True, exist_ok=True)
        tensors = {name: np.ascontiguousarray(value, dtype=np.float32) for name, value in self.tensors.items()}
        settings = {"labels": LABELS, "temperature": self.temperature, "info": self.info}
        save_file(tensors, str(path), metadata={"settings": json.dumps(settings)})  # one key: the same bytes each time


def load_line_model(path: Path) -> LineModel:
    """A model ``save`` wrote; no network, no pickle."""
    from safetensors import safe_open

    with safe_open(str(path), framework="numpy") as stored:
        settings = json.loads(stored.metadata()["settings"])
        tensors = {name: stored.get_tensor(name) for name in stored.keys()}
    return LineModel(tensors, float(settings["temperature"]), settings["info"])


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def viterbi(emissions: np.ndarray, transitions: np.ndarray, initial: np.ndarray) -> list[int]:
    """The label sequence maximising the summed log emissions and log transitions."""
    if len(emissions) == 0:
        return []
    score, back = initial + emissions[0], []
    for row in emissions[1:]:
        candidates = score[:, None] + transitions
        back.append(candidates.argmax(axis=0))
        score = candidates.max(axis=0) + row
    path = [int(score.argmax())]
    for pointers in reversed(back):
        path.append(int(pointers[path[-1]]))
    return path[::-1]


def label_transitions(sequences: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Log transition and initial probabilities counted over labelled documents (add-one smoothed)."""
    counts, first = np.ones((len(LABELS), len(LABELS))), np.ones(len(LABELS))
    for labels in sequences:
        if labels:
            first[labels[0]] += 1
        for before, after in zip(labels, labels[1:]):
            counts[before, after] += 1
    return np.log(counts / counts.sum(axis=1, keepdims=True)), np.log(first / first.sum())


def train_line_model(features: list[np.ndarray], labels: list[list[int]], calibration: tuple[list, list],
                     options: TrainingOptions = TrainingOptions(epochs=EPOCHS), info: dict | None = None) -> LineModel:
    """A line model trained on documents (``features[i]`` rows, ``labels[i]`` their labels) and calibrated on
    ``calibration`` (features and labels of other documents); the same inputs and options give the same model."""
    stacked, targets = np.concatenate(features), np.concatenate([np.asarray(l) for l in labels])
    mean, scale = stacked.mean(axis=0), stacked.std(axis=0) + 1e-6
    weights = _fit((stacked - mean) / scale, targets, options)
    transitions, initial = label_transitions(labels)
    tensors = weights | {"mean": mean, "scale": scale, "transitions": transitions, "initial": initial}
    model = LineModel({k: v.astype(np.float32) for k, v in tensors.items()}, 1.0, info or {})
    model.temperature = fitted_temperature(model, *calibration) if calibration[0] else 1.0
    return model


def _fit(scaled: np.ndarray, targets: np.ndarray, options: TrainingOptions) -> dict[str, np.ndarray]:
    import torch
    from torch import nn

    torch.manual_seed(options.seed)
    network = nn.Sequential(nn.Linear(scaled.shape[1], HIDDEN), nn.ReLU(), nn.Dropout(options.dropout),
                            nn.Linear(HIDDEN, len(LABELS)))
    optimizer = torch.optim.AdamW(network.parameters(), lr=options.learning_rate, weight_decay=options.weight_decay)
    inputs, wanted = torch.from_numpy(scaled.astype(np.float32)), torch.from_numpy(targets.astype(np.int64))
    order = np.random.default_rng(options.seed)
    network.train()
    for _ in range(options.epochs):
        for batch in np.array_split(order.permutation(len(targets)), max(len(targets) // 256, 1)):
            loss = nn.functional.cross_entropy(network(inputs[batch]), wanted[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    state = {k: v.detach().numpy() for k, v in network.state_dict().items()}
    return {"hidden_weight": state["0.weight"], "hidden_bias": state["0.bias"],
            "output_weight": state["3.weight"], "output_bias": state["3.bias"]}


def fitted_temperature(model: LineModel, features: list[np.ndarray], labels: list[list[int]]) -> float:
    """The temperature that makes the labels of ``features`` most likely."""
    logits, targets = model.logits(np.concatenate(features)), np.concatenate([np.asarray(l) for l in labels])
    return float(min(TEMPERATURES, key=lambda t: _negative_log_likelihood(logits / t, targets)))


def _negative_log_likelihood(logits: np.ndarray, targets: np.ndarray) -> float:
    top = logits.max(axis=1, keepdims=True)
    log_total = (top + np.log(np.exp(logits - top).sum(axis=1, keepdims=True)))[:, 0]
    return float((log_total - logits[np.arange(len(targets)), targets]).sum())
