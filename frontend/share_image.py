"""The share image of a thread (og:image, twitter:image): 1200×630 PNG with
the title, the tags and, when a verified HR member answered, "Réponse RH
vérifiée · <organisation>". Drawn with Pillow and the DejaVu Sans shipped in
frontend/share_fonts/ (its LICENSE beside it), so it looks the same on every
machine and needs no system font."""

import hashlib
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
FONTS = Path(__file__).parent / "share_fonts"
# Bump when the drawing changes: it is part of every cache key and image URL.
DESIGN_VERSION = "1"

BRAND = (43, 74, 203)
BRAND_SOFT = (237, 241, 253)
INK = (23, 28, 46)
MUTED = (86, 94, 120)
VERIFIED = (21, 112, 66)
VERIFIED_SOFT = (228, 245, 235)
MARGIN = 72
TITLE_SIZES = (64, 56, 50, 44)


@dataclass(frozen=True)
class ShareCard:
    """Everything the image shows: its version is a hash of it."""

    title: str
    tags: tuple[str, ...]
    verified_line: str  # "" when no verified HR member answered
    site_name: str

    @property
    def version(self) -> str:
        text = "\x1f".join([DESIGN_VERSION, self.title, *self.tags, self.verified_line, self.site_name])
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@cache
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _line_height(font) -> int:
    return int(font.size * 1.22)


def _fit_title(draw: ImageDraw.ImageDraw, title: str, width: int, height: int):
    """The largest size at which the title fits the box; at the smallest, the
    last line that fits ends with an ellipsis."""
    for size in TITLE_SIZES:
        font = _font(True, size)
        lines = _wrap(draw, title, font, width)
        if len(lines) * _line_height(font) <= height:
            return font, lines
    lines = lines[: max(1, height // _line_height(font))]
    last = lines[-1]
    while last and draw.textlength(last + "…", font=font) > width:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return font, lines


def render(card: ShareCard) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, WIDTH, 14], fill=BRAND)
    text_width = WIDTH - 2 * MARGIN

    # The site's mark and name, top left.
    draw.rounded_rectangle([MARGIN, 56, MARGIN + 48, 104], radius=12, fill=BRAND)
    draw.text((MARGIN + 24, 80), "?", font=_font(True, 34), fill="white", anchor="mm")
    draw.text((MARGIN + 64, 80), card.site_name, font=_font(True, 30), fill=INK, anchor="lm")

    bottom = HEIGHT - 64
    footer = (80 if card.verified_line else 0) + (72 if card.tags else 0)
    top = 144
    font, lines = _fit_title(draw, card.title, text_width, bottom - footer - top)
    y = top
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=INK)
        y += _line_height(font)

    if card.verified_line:
        label_font = _font(True, 30)
        label = "✓ " + card.verified_line
        while draw.textlength(label, font=label_font) > text_width - 40 and len(label) > 4:
            label = label[:-2] + "…"
        box_width = int(draw.textlength(label, font=label_font)) + 40
        draw.rounded_rectangle([MARGIN, bottom - 56, MARGIN + box_width, bottom], radius=14, fill=VERIFIED_SOFT)
        draw.text((MARGIN + 20, bottom - 28), label, font=label_font, fill=VERIFIED, anchor="lm")
        bottom -= 80

    tag_font = _font(False, 28)
    x = MARGIN
    for tag in card.tags:
        pill = int(draw.textlength(tag, font=tag_font)) + 36
        if x + pill > WIDTH - MARGIN:
            break
        draw.rounded_rectangle([x, bottom - 48, x + pill, bottom], radius=24, fill=BRAND_SOFT)
        draw.text((x + 18, bottom - 24), tag, font=tag_font, fill=BRAND, anchor="lm")
        x += pill + 14

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
