"""HTML → PDF/A with WeasyPrint, the Arimo font embedded and no outside resources.

Shared by the registry's register book and the official letter (stack-notes §5): the PDF never
depends on the fonts a server happens to have, and the renderer reads nothing but the bundled
font files (and, when asked, ``data:`` URIs the caller built itself, e.g. a QR code).
"""

from __future__ import annotations

from functools import lru_cache

# PDF/A-2b: PDF 1.7 base, allows the signature dictionaries PAdES needs (PDF/A-1 predates
# them), and unlike PDF/A-3 does not allow arbitrary embedded files (docs/adr/0012).
DEFAULT_VARIANT = "pdf/a-2b"


@lru_cache(maxsize=1)
def font_css() -> str:
    """@font-face rules for Arimo (a variable font, weights 400–700) from fontpkg."""
    import fontpkg

    regular = fontpkg.path("arimo", weight=400, style="normal")
    italic = fontpkg.path("arimo", weight=400, style="italic")
    return (
        f"@font-face {{ font-family: Arimo; src: url('{regular.as_uri()}') format('truetype');"
        " font-style: normal; }\n"
        f"@font-face {{ font-family: Arimo; src: url('{italic.as_uri()}') format('truetype');"
        " font-style: italic; }\n"
    )


def font_fetcher(*, allow_data_uris: bool = False):
    """A WeasyPrint fetcher that reads only the bundled font files (and ``data:`` URIs if
    allowed): nothing else on disk or the web."""
    import fontpkg_arimo
    from weasyprint.urls import URLFetcher

    allowed = (fontpkg_arimo.ROOT / "files").as_uri() + "/"
    protocols = ["file", "data"] if allow_data_uris else ["file"]

    class FontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if not (url.startswith(allowed) or (allow_data_uris and url.startswith("data:"))):
                raise ValueError(f"resource not allowed in this PDF: {url[:80]}")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols=protocols)


def html_to_pdf(
    html: str, *, pdf_variant: str = DEFAULT_VARIANT, allow_data_uris: bool = False
) -> bytes:
    """Render trusted HTML (from our own templates) to PDF bytes with Arimo embedded."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    fetcher = font_fetcher(allow_data_uris=allow_data_uris)
    css = CSS(string=font_css(), font_config=fonts, url_fetcher=fetcher)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[css], font_config=fonts, pdf_variant=pdf_variant
    )
