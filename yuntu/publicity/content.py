"""Rich text, images and video links from editors and entrants, made safe before they are stored.

Rich text goes through nh3 (Ammonia) with a short list of tags: no script, no event handler, no
style survives. Images are opened by content with Pillow (never trusted by name or declared type),
limited in size and pixels, re-encoded as JPEG without metadata and resized to at most 1280 px.
Video links must be https.
"""

import io
import uuid

import nh3
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

TAGS = {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "a", "table",
        "thead", "tbody", "tr", "th", "td", "span"}
ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}
IMAGE_MAX_BYTES = 8 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_MAX_SIDE = 1280
IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def clean_html(text: str) -> str:
    return nh3.clean(text or "", tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer").strip()


def plain_text(html: str) -> str:
    return nh3.clean(html or "", tags=set()).strip()


def clean_image(upload, field: str = "image") -> SimpleUploadedFile | None:
    """A checked, resized JPEG of the upload, or a Chinese ValidationError."""
    if not upload:
        return None
    if upload.size > IMAGE_MAX_BYTES:
        raise ValidationError({field: "图片不能超过8MB。"})
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
        if kind not in IMAGE_FORMATS:
            raise ValidationError({field: "只能上传JPG、PNG、GIF或WebP图片。"})
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > IMAGE_MAX_PIXELS:
                raise ValidationError({field: "图片尺寸过大。"})
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError({field: "文件不是有效的图片。"}) from error
    return SimpleUploadedFile(f"{uuid.uuid4().hex}.jpg", out.getvalue(), content_type="image/jpeg")


def clean_video_url(url: str, field: str = "video_url") -> str:
    url = (url or "").strip()
    if url and not url.startswith("https://"):
        raise ValidationError({field: "视频链接须以 https:// 开头。"})
    return url
