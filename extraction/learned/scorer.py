"""A learned chooser: for each field, which of a document's candidates holds its value, or none of them.

Each candidate is a row of features. A small network scores every candidate for every field; for one field
the scores of the candidates that could hold it (by value kind: an amount for a total, a date for a date) and
one "not on this document" score compete in a softmax, so the model learns to pick one value per document
and says how sure it is. A field that holds several values (a contract's parties) can be declared ``multiple``:
each of its candidates is then judged on its own (a sigmoid of its score against the field's "absent" score), and
``choose_all`` returns every candidate likely enough. The probabilities are calibrated with one temperature per
field, fitted on documents the network was not trained on.

The model is a file of a few hundred KB (safetensors, with its settings in the header): ``save`` and ``load``;
nothing here knows what the features mean."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ABSENT = -1
"""A target meaning: the field is not on this document."""


@dataclass(frozen=True)
class ScorerSpec:
    """What the model chooses: ``fields``, each from candidates of the kinds ``field_kinds`` names; the fields in
    ``multiple`` may hold several candidates at once."""

    fields: tuple[str, ...]
    kinds: tuple[str, ...]
    field_kinds: dict[str, tuple[str, ...]]
    hidden: int = 128
    multiple: tuple[str, ...] = ()

    def multiple_rows(self) -> np.ndarray:
        """A boolean per field: True for the fields that hold several values."""
        return np.array([name in self.multiple for name in self.fields], dtype=bool)

    def compatibility(self) -> np.ndarray:
        """A (fields x kinds) mask: which kinds of candidate may hold which field."""
        mask = np.zeros((len(self.fields), len(self.kinds)), dtype=bool)
        for row, name in enumerate(self.fields):
            for kind in self.field_kinds[name]:
                mask[row, self.kinds.index(kind)] = True
        return mask


@dataclass
class ScoredDocument:
    """One document's candidates: ``features`` (candidates x features), ``kinds`` (index into the spec's kinds)
    and, for training, ``targets``: field -> the indices of the candidates holding its value, ``[ABSENT]`` when
    the document has no such field; a field left out is not known and not trained on."""

    features: np.ndarray
    kinds: np.ndarray
    targets: dict[str, list[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Choice:
    index: int | None
    """The chosen candidate, None when the model thinks the field is not on the document."""
    probability: float


@dataclass(frozen=True)
class TrainingOptions:
    epochs: int = 30
    learning_rate: float = 2e-3
    weight_decay: float = 1e-4
    dropout: float = 0.1
    seed: int = 7


class FieldScorer:
    """A trained chooser with its feature scaling and per-field temperatures."""

    def __init__(self, spec: ScorerSpec, network, mean: np.ndarray, scale: np.ndarray, temperatures: np.ndarray,
                 info: dict | None = None):
        self.spec, self.network, self.mean, self.scale = spec, network, mean, scale
        self.temperatures, self.info = temperatures, info or {}
        self._mask = spec.compatibility()
        self._multiple = spec.multiple_rows()

    def choose_all(self, document: ScoredDocument, threshold: float = 0.5) -> dict[str, list[Choice]]:
        """Every field's chosen candidates, most likely first: for a ``multiple`` field each candidate whose
        probability reaches ``threshold``, for the others the one ``choose`` picks (none when it picks absent)."""
        probabilities = self.probabilities(document)
        chosen = {}
        for row, name in enumerate(self.spec.fields):
            if self._multiple[row]:
                order = np.argsort(-probabilities[row, :-1], kind="stable")
                chosen[name] = [Choice(int(i), float(probabilities[row, i])) for i in order
                                if probabilities[row, i] >= threshold]
            else:
                best = int(np.argmax(probabilities[row]))
                chosen[name] = [] if best == len(document.kinds) else [Choice(best, float(probabilities[row, best]))]
        return chosen

    def choose(self, document: ScoredDocument) -> dict[str, Choice]:
        """The best candidate (or none) for every field, with its calibrated probability."""
        probabilities = self.probabilities(document)
        choices = {}
        for row, name in enumerate(self.spec.fields):
            best = int(np.argmax(probabilities[row]))
            index = None if best == len(document.kinds) else best
            choices[name] = Choice(index, float(probabilities[row, best]))
        return choices

    def probabilities(self, document: ScoredDocument) -> np.ndarray:
        """(fields x candidates+1): each field's calibrated distribution over its candidates and "absent" (last).
        A ``multiple`` field's row holds each candidate's own probability instead, and last the chance that the
        likeliest of them is not the field's."""
        raw = self._logits(document)
        logits = raw / self.temperatures[:, None]
        logits = logits - logits.max(axis=1, keepdims=True)
        weights = np.exp(logits)
        probabilities = weights / weights.sum(axis=1, keepdims=True)
        for row in np.flatnonzero(self._multiple):
            probabilities[row] = independent_probabilities(raw[row], self.temperatures[row])
        return probabilities

    def _logits(self, document: ScoredDocument) -> np.ndarray:
        import torch

        features = torch.from_numpy(self._scaled(document.features))
        with torch.inference_mode():
            scores, absent = self.network(features)
        return masked_logits(scores.numpy().T, absent.detach().numpy(), self._mask[:, document.kinds])

    def _scaled(self, features: np.ndarray) -> np.ndarray:
        return ((features - self.mean) / self.scale).astype(np.float32)

    def save(self, path: Path) -> None:
        """The model as one safetensors file; the spec, scaling and temperatures are in it too."""
        from safetensors.torch import save_file
        import torch

        tensors = {f"network.{k}": v.contiguous() for k, v in self.network.state_dict().items()}
        tensors.update(mean=torch.from_numpy(self.mean), scale=torch.from_numpy(self.scale),
                       temperatures=torch.from_numpy(self.temperatures))
        header = {"spec": json.dumps({"fields": self.spec.fields, "kinds": self.spec.kinds,
                                      "field_kinds": self.spec.field_kinds, "hidden": self.spec.hidden,
                                      "multiple": self.spec.multiple}),
                  "info": json.dumps(self.info)}
        path.parent.mkdir(parents=True, exist_ok=True)
        save_file(tensors, str(path), metadata=header)


def load_scorer(path: Path) -> FieldScorer:
    """A model ``save`` wrote; no network, no pickle."""
    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as stored:
        header = stored.metadata()
        tensors = {name: stored.get_tensor(name) for name in stored.keys()}
    raw = json.loads(header["spec"])
    spec = ScorerSpec(tuple(raw["fields"]), tuple(raw["kinds"]),
                      {k: tuple(v) for k, v in raw["field_kinds"].items()}, raw["hidden"],
                      tuple(raw.get("multiple", ())))
    network = build_network(tensors["mean"].shape[0], spec, dropout=0.0)
    network.load_state_dict({k.removeprefix("network."): v for k, v in tensors.items() if k.startswith("network.")})
    network.eval()
    return FieldScorer(spec, network, tensors["mean"].numpy(), tensors["scale"].numpy(),
                       tensors["temperatures"].numpy(), json.loads(header.get("info", "{}")))


def independent_probabilities(logits: np.ndarray, temperature: float) -> np.ndarray:
    """A ``multiple`` field's row: each candidate's sigmoid of its logit above the "absent" one (last), and last
    one minus the largest of them."""
    margins = (logits[:-1] - logits[-1]) / temperature
    probabilities = np.where(np.isfinite(margins), 1.0 / (1.0 + np.exp(-np.clip(margins, -60, 60))), 0.0)
    top = probabilities.max() if len(probabilities) else 0.0
    return np.append(probabilities, 1.0 - top)


def masked_logits(scores: np.ndarray, absent: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """(fields x candidates+1) logits: candidates a field cannot come from at minus infinity, "absent" last."""
    blocked = np.where(allowed, scores, -np.inf)
    return np.concatenate([blocked, absent[:, None]], axis=1)


def build_network(inputs: int, spec: ScorerSpec, dropout: float):
    """An MLP scoring each candidate for each field, and a learned "absent" score per field."""
    import torch
    from torch import nn

    class Network(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.body = nn.Sequential(nn.Linear(inputs, spec.hidden), nn.GELU(), nn.Dropout(dropout),
                                      nn.Linear(spec.hidden, spec.hidden), nn.GELU(), nn.Dropout(dropout),
                                      nn.Linear(spec.hidden, len(spec.fields)))
            self.absent = nn.Parameter(torch.zeros(len(spec.fields)))

        def forward(self, features):
            return self.body(features), self.absent

    return Network()


def train_scorer(spec: ScorerSpec, training: Sequence[ScoredDocument], calibration: Sequence[ScoredDocument],
                 options: TrainingOptions = TrainingOptions(), info: dict | None = None) -> FieldScorer:
    """A scorer trained on ``training`` and calibrated on ``calibration`` (documents it did not learn from);
    the same inputs and options give the same model."""
    import torch

    torch.manual_seed(options.seed)
    stacked = np.concatenate([d.features for d in training])
    mean, scale = stacked.mean(axis=0), stacked.std(axis=0) + 1e-6
    network = build_network(stacked.shape[1], spec, options.dropout)
    _fit(network, spec, training, mean, scale, options)
    network.eval()
    scorer = FieldScorer(spec, network, mean.astype(np.float32), scale.astype(np.float32),
                         np.ones(len(spec.fields), dtype=np.float32), info)
    scorer.temperatures = fitted_temperatures(scorer, calibration or training)
    return scorer


def _fit(network, spec: ScorerSpec, training: Sequence[ScoredDocument], mean: np.ndarray, scale: np.ndarray,
         options: TrainingOptions) -> None:
    import torch

    optimizer = torch.optim.AdamW(network.parameters(), lr=options.learning_rate, weight_decay=options.weight_decay)
    prepared = [_prepared(document, spec, mean, scale) for document in training]
    multiple = torch.from_numpy(spec.multiple_rows())
    order = np.random.default_rng(options.seed)
    network.train()
    for _ in range(options.epochs):
        for index in order.permutation(len(prepared)):
            loss = _document_loss(network, *prepared[index], multiple)
            if loss is None:
                continue
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def _prepared(document: ScoredDocument, spec: ScorerSpec, mean: np.ndarray, scale: np.ndarray):
    """Tensors for one document: scaled features, the compatibility mask and the targets as a mask."""
    import torch

    allowed = spec.compatibility()[:, document.kinds]
    targets = np.zeros((len(spec.fields), len(document.kinds) + 1), dtype=bool)
    known = np.zeros(len(spec.fields), dtype=bool)
    for row, name in enumerate(spec.fields):
        indices = document.targets.get(name)
        if indices:
            known[row] = True
            for index in indices:
                targets[row, len(document.kinds) if index == ABSENT else index] = True
    features = torch.from_numpy(((document.features - mean) / scale).astype(np.float32))
    return features, torch.from_numpy(allowed), torch.from_numpy(targets), torch.from_numpy(known)


def _document_loss(network, features, allowed, targets, known, multiple=None):
    """The negative log of the probability the model gives the right candidates, over the known fields; for a
    ``multiple`` field, the binary cross-entropy of each of its candidates (summed, per right candidate)."""
    import torch

    if not bool(known.any()):
        return None
    multiple = torch.zeros_like(known) if multiple is None else multiple
    scores, absent = network(features)
    logits = torch.cat([scores.T.masked_fill(~allowed, float("-inf")), absent[:, None]], dim=1)
    single = known & ~multiple
    losses = []
    if bool(single.any()):
        log_total = torch.logsumexp(logits[single], dim=1)
        log_right = torch.logsumexp(logits[single].masked_fill(~targets[single], float("-inf")), dim=1)
        losses.append(log_total - log_right)
    for row in torch.nonzero(known & multiple).flatten().tolist():
        losses.append(_independent_loss(logits[row], allowed[row], targets[row])[None])
    return torch.cat(losses).mean()


def _independent_loss(logits, allowed, targets):
    """One ``multiple`` field's loss: each allowed candidate's binary cross-entropy, its logit taken above the
    field's "absent" logit, summed and divided by the number of right candidates (at least one)."""
    import torch

    margins = (logits[:-1] - logits[-1])[allowed]
    wanted = targets[:-1][allowed].float()
    if margins.numel() == 0:
        return logits[-1] * 0.0
    total = torch.nn.functional.binary_cross_entropy_with_logits(margins, wanted, reduction="sum")
    return total / wanted.sum().clamp(min=1.0)


MIN_CALIBRATION = 20
"""Documents a field needs in the calibration set for a temperature of its own; fewer share the pooled one."""
TEMPERATURES = np.exp(np.linspace(np.log(0.1), np.log(100.0), 61))
"""The temperatures searched (a handful of values is all calibration needs; wide, because a network trained to
certainty on generated documents can need its scores divided by tens on real ones)."""


def fitted_temperatures(scorer: FieldScorer, documents: Sequence[ScoredDocument]) -> np.ndarray:
    """Per field, the temperature that makes the probabilities most likely on ``documents``; a field with fewer
    than ``MIN_CALIBRATION`` labelled documents takes the one fitted on every field's documents together."""
    logits = [(scorer._logits(d), d) for d in documents]
    pairs = {name: [(raw[row], d.targets[name]) for raw, d in logits if d.targets.get(name)]
             for row, name in enumerate(scorer.spec.fields)}
    pooled = _best_temperature([pair for found in pairs.values() for pair in found])
    return np.asarray([_best_temperature(found) if len(found) >= MIN_CALIBRATION else pooled
                       for found in pairs.values()], dtype=np.float32)


def _best_temperature(pairs: list[tuple[np.ndarray, list[int]]]) -> float:
    if not pairs:
        return 1.0
    return float(min(TEMPERATURES, key=lambda t: _negative_log_likelihood(pairs, t)))


def _negative_log_likelihood(pairs: list[tuple[np.ndarray, list[int]]], temperature: float) -> float:
    total = 0.0
    for raw, indices in pairs:
        scaled = raw / temperature
        right = np.array([len(raw) - 1 if i == ABSENT else i for i in indices])
        total += _log_sum_exp(scaled) - _log_sum_exp(scaled[right])
    return total


def _log_sum_exp(values: np.ndarray) -> float:
    """log(sum(exp(values))) without underflow (a right answer far below the best is still a finite loss)."""
    top = values.max()
    return float(top + np.log(np.exp(values - top).sum())) if np.isfinite(top) else float(top)
