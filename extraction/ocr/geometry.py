"""Text-line boxes found on a page image and how the page lies: turned a quarter, skewed, upside down.

A quad is four corners ``[top-left, top-right, bottom-right, bottom-left]`` in pixels, as the detectors give
them. Pure numpy; the images themselves are turned by ``extraction.ocr.orientation``.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

import numpy as np

Quad = np.ndarray
"""A (4, 2) float array of corners, top-left first, clockwise."""

ELONGATED = 2.5
"""A box this many times longer than it is high is a line of text whose direction can be trusted."""
MAX_SKEW_DEGREES = 20.0
"""Steeper lines are text set at an angle on purpose (a stamp), not a skewed scan."""


def edge_lengths(quad: Quad) -> tuple[float, float]:
    """The box's extent along its top edge and along its left edge."""
    return float(np.linalg.norm(quad[1] - quad[0])), float(np.linalg.norm(quad[3] - quad[0]))


def is_sideways(quads: Sequence[Quad]) -> bool:
    """Most long boxes run up and down: the page lies turned by a quarter."""
    tall = wide = 0
    for quad in quads:
        along, across = edge_lengths(quad)
        tall += across > ELONGATED * along
        wide += along > ELONGATED * across
    return tall > wide


def skew_degrees(quads: Sequence[Quad]) -> float:
    """The median slope of the long boxes' top edges, in degrees clockwise (0 when too few to tell)."""
    slopes = [_slope(quad) for quad in quads if _is_long(quad)]
    slopes = [slope for slope in slopes if abs(slope) <= MAX_SKEW_DEGREES]
    return statistics.median(slopes) if len(slopes) >= 3 else 0.0


def _is_long(quad: Quad) -> bool:
    along, across = edge_lengths(quad)
    return along > ELONGATED * across


def _slope(quad: Quad) -> float:
    dx, dy = quad[1] - quad[0]
    return math.degrees(math.atan2(dy, dx))


def turned_half(quad: Quad, width: int, height: int) -> Quad:
    """The same box on the page turned 180 degrees, corners again top-left first."""
    turned = np.stack([width - quad[:, 0], height - quad[:, 1]], axis=1)
    return turned[[2, 3, 0, 1]]


def bounds(quad: Quad) -> tuple[float, float, float, float]:
    """``x0, y0, x1, y1`` of the box's corners."""
    return float(quad[:, 0].min()), float(quad[:, 1].min()), float(quad[:, 0].max()), float(quad[:, 1].max())
