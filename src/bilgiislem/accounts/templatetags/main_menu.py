"""The main menu as HTML, written in Python: it is on every page and has dozens of links,
which the template language renders several times slower (it set the lists' page-to-bare
ratio, issues 3 and 7)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

register = template.Library()


def _badge(count, *, spoken: bool) -> str:
    if not count:
        return ""
    if not spoken:
        return format_html(' <span class="badge">{}</span>', count)
    waiting = ngettext("item waiting", "items waiting", count)
    return format_html(
        ' <span class="badge">{}<span class="visually-hidden"> {}</span></span>', count, waiting
    )


def _current(flag: bool) -> str:
    return mark_safe(' aria-current="page"') if flag else ""


@register.simple_tag(takes_context=True)
def main_menu(context) -> str:
    """``<ul>`` of the sections in ``nav_menu``, each with its sub-menu; the section of the
    page (``nav_current``) and the exact page are marked ``aria-current``."""
    request = context.get("request")
    path = request.path if request is not None else ""
    current = context.get("nav_current")
    sections = []
    for item in context.get("nav_menu") or ():
        children = item["children"]
        sub = ""
        if children:
            sub = format_html(
                '<ul class="subnav">{}</ul>',
                format_html_join(
                    "",
                    '<li><a href="{}"{}>{}{}</a></li>',
                    (
                        (
                            child["url"],
                            _current(path == child["url"]),
                            child["label"],
                            _badge(child["count"], spoken=False),
                        )
                        for child in children
                    ),
                ),
            )
        sections.append(
            format_html(
                '<li{}><a href="{}"{}>{}{}</a>{}</li>',
                mark_safe(' class="has-children"') if children else "",
                item["url"],
                _current(item["key"] == current),
                item["label"],
                _badge(item["count"], spoken=True),
                sub,
            )
        )
    return format_html("<ul>{}</ul>", format_html_join("", "{}", ((s,) for s in sections)))
