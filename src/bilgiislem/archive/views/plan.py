"""The file plan browser (Dosya Planı): the tree of SDP codes with their retention."""

from django.shortcuts import render

from bilgiislem.registry.views.common import page

from .. import selectors
from ..services.fileplan import letter_of


@page
def plan_browser(request):
    """The codes of a plan version as a tree; a search keeps the matches and their parents
    (Turkish letters folded: "bilgi islem" finds "Bilgi İşlem")."""
    version = selectors.plan_version_get(request.GET.get("version"))
    q = (request.GET.get("q") or "").strip()
    rows = selectors.plan_tree(version, q)
    for row in rows:
        row.letter = letter_of(row.code.disposition)
    context = {
        "version": version,
        "versions": selectors.plan_versions(),
        "rows": rows,
        "q": q,
        "matches": sum(1 for r in rows if r.match),
    }
    template = "archive/plan.html"
    if request.htmx and not request.htmx.boosted:
        template += "#tree"
    return render(request, template, context)
