"""How a page image must be turned to stand upright and level, and doing it (Pillow)."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

WHITE = (255, 255, 255)


@dataclass(frozen=True)
class Orientation:
    """Applied in this order: a quarter turn clockwise, a small rotation to level the lines, half a turn."""

    quarter_turn: bool = False
    skew: float = 0.0
    """Degrees the lines slope down to the right; the page is rotated back by this much."""
    half_turn: bool = False

    @property
    def degrees(self) -> int:
        """How far the page was turned to stand upright (0, 90, 180 or 270, clockwise)."""
        return (90 * self.quarter_turn + 180 * self.half_turn) % 360

    def apply(self, image: Image.Image) -> Image.Image:
        """The upright, level page: the image the stored words' boxes belong to."""
        if self.quarter_turn:
            image = image.transpose(Image.Transpose.ROTATE_270)
        if self.skew:
            image = level(image, self.skew)
        if self.half_turn:
            image = image.transpose(Image.Transpose.ROTATE_180)
        return image


def level(image: Image.Image, skew: float) -> Image.Image:
    """The page rotated so that lines sloping by ``skew`` degrees run level; the corners are filled white."""
    return image.rotate(skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=WHITE)
