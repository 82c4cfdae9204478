"""Every template is CSP-clean: no inline <script> code, no on…= handlers, no style attributes or <style>.

Scans templates/ and every yuntu/*/templates/ directory, so templates of modules added later are
held to the same rule as soon as they land.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOTS = [Path(settings.BASE_DIR) / "templates", *sorted(Path(settings.BASE_DIR).glob("yuntu/*/templates"))]
TEMPLATES = sorted(path for root in ROOTS for path in root.rglob("*.html"))

SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
HANDLER = re.compile(r"<[a-zA-Z][^>]*?\son[a-z]+\s*=", re.S)
STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*?\sstyle\s*=", re.S | re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def inline_code(text: str) -> list[str]:
    found = []
    for match in SCRIPT.finditer(text):
        attrs, body = match.group("attrs"), match.group("body")
        is_data = re.search(r"""type\s*=\s*["']application/(ld\+)?json["']""", attrs)
        if body.strip() and not is_data:
            found.append("inline <script>")
    if HANDLER.search(text):
        found.append("on…= event handler")
    if STYLE_ATTRIBUTE.search(text):
        found.append("style= attribute")
    if STYLE_ELEMENT.search(text):
        found.append("<style> element")
    if JAVASCRIPT_URL.search(text):
        found.append("javascript: URL")
    return found


def test_templates_are_found():
    assert len(TEMPLATES) > 20
    assert any("ledger" in str(path) for path in TEMPLATES) and any("voices" in str(path) for path in TEMPLATES)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_template_has_no_inline_code(path):
    problems = inline_code(path.read_text(encoding="utf-8"))
    assert not problems, f"{path}: {', '.join(problems)} — move it to static/<app>/<app>.js or .css"


@pytest.mark.parametrize("snippet", [
    '<script>alert(1)</script>', '<button onclick="go()">x</button>', '<span style="width: 5%">',
    '<style>body{}</style>', '<a href="javascript:void(0)">', '<div\n  onmouseover="x()">',
])
def test_the_scanner_catches_each_kind(snippet):
    assert inline_code(snippet)


@pytest.mark.parametrize("snippet", [
    '<script src="/static/a.js" defer></script>', '{{ data|json_script:"x" }}',
    '<script type="application/json" id="d">{"a": 1}</script>', '<form data-onsubmit="x">', '<p class="online">',
])
def test_the_scanner_lets_clean_markup_pass(snippet):
    assert not inline_code(snippet)
