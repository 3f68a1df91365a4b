"""The system fonts that generated documents and test pictures are drawn in, found in one place.

DejaVu Sans (Debian package ``fonts-dejavu-core``) draws Latin, Greek and Cyrillic text and the currency signs;
WenQuanYi Micro Hei (``fonts-wqy-microhei``) draws Chinese. A missing font is an error that names the package to
install, never a silent fallback to another face."""

from __future__ import annotations

import os
from pathlib import Path

FONT_DIRS = (Path("/usr/share/fonts/truetype"), Path("/usr/local/share/fonts"), Path("/usr/share/fonts"))
"""Where the fonts are looked for; ``LEDGERDESK_FONT_DIR`` comes first when it is set."""
FONTS = {
    "latin": ("dejavu/DejaVuSans.ttf", "fonts-dejavu-core"),
    "latin-bold": ("dejavu/DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
    "cjk": ("wqy/wqy-microhei.ttc", "fonts-wqy-microhei"),
}
"""Each face: its file under a font folder and the Debian package that installs it."""


class MissingFont(RuntimeError):
    """A font the documents are drawn in is not installed."""


def font_path(kind: str) -> Path:
    """The file of the face ``kind`` (``latin``, ``latin-bold`` or ``cjk``); MissingFont names the package to
    install when it is not found."""
    relative, package = FONTS[kind]
    for folder in font_dirs():
        if (folder / relative).is_file():
            return folder / relative
    raise MissingFont(f"The font {Path(relative).name} is not installed (looked in "
                      f"{', '.join(map(str, font_dirs()))}): `apt-get install {package}`.")


def font_dirs() -> tuple[Path, ...]:
    extra = os.environ.get("LEDGERDESK_FONT_DIR")
    return (Path(extra), *FONT_DIRS) if extra else FONT_DIRS
