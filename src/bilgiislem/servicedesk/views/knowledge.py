"""Knowledge base pages (Bilgi Bankası): search, read, write, and write from a resolved
request in one step. An article the person may not read is 404; writing is for the service
desk's staff (403 for other readers)."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import permissions
from ..choices import Category
from ..models import KnowledgeArticle, Ticket
from ..services import knowledge
from ._pages import Forbidden, page, posted, run_service

PER_PAGE = 50


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        required=False,
        choices=[("", gettext_lazy("All categories")), *Category.choices],
    )


class ArticleForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Category.choices)
    body = forms.CharField(
        label=gettext_lazy("Solution"), widget=forms.Textarea(attrs={"rows": 12})
    )
    for_partners = forms.BooleanField(
        label=gettext_lazy("Visible to partners"),
        required=False,
        help_text=gettext_lazy("Schools, muhtarlıks and other partner bodies can read it."),
    )
    published = forms.BooleanField(
        label=gettext_lazy("Published"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Unpublished articles are seen by the service desk only."),
    )


def _readable(request):
    """404 for people who may read no article at all (the page does not exist for them)."""
    if not knowledge.may_read(request.user):
        raise Http404(_("No such page."))


def _article(request, pk) -> KnowledgeArticle:
    return get_object_or_404(
        knowledge.articles_visible_to(request.user).select_related("created_by", "source_ticket"),
        pk=pk,
    )


def _writer(request):
    if not knowledge.may_write(request.user):
        raise Forbidden(_("Only the service desk's staff write articles."))


@page
def article_list(request):
    _readable(request)
    form = SearchForm(request.GET or None)
    query, category = "", ""
    if form.is_valid():
        query, category = form.cleaned_data["q"], form.cleaned_data["category"]
    articles = knowledge.article_search(request.user, query, category).only(
        "pk", "title", "category", "for_partners", "published", "updated_at"
    )
    page_obj = Paginator(articles, PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "servicedesk/knowledge/list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "query": query,
            "params": params.urlencode(),
            "may_write": knowledge.may_write(request.user),
        },
    )


@page
def article_detail(request, pk):
    article = _article(request, pk)
    source = article.source_ticket
    return render(
        request,
        "servicedesk/knowledge/detail.html",
        {
            "article": article,
            "may_write": knowledge.may_write(request.user),
            "source_visible": source is not None and permissions.is_desk_side(request.user, source),
        },
    )


@page
def article_new(request):
    _readable(request)
    _writer(request)
    form = ArticleForm(posted(request))
    if form.is_bound and form.is_valid():
        article = run_service(
            form, lambda: knowledge.article_create(actor=request.user, **form.cleaned_data)
        )
        if article is not None:
            messages.success(request, _("Article saved."))
            return redirect("servicedesk:knowledge-detail", pk=article.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "servicedesk/knowledge/form.html", {"form": form, "article": None}, status=status
    )


@page
def article_edit(request, pk):
    article = _article(request, pk)
    _writer(request)
    initial = {
        name: getattr(article, name)
        for name in ("title", "category", "body", "for_partners", "published")
    }
    form = ArticleForm(posted(request), initial=initial)
    if form.is_bound and form.is_valid():
        saved = run_service(
            form,
            lambda: knowledge.article_update(
                actor=request.user, article=article, **form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("Article saved."))
            return redirect("servicedesk:knowledge-detail", pk=article.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "servicedesk/knowledge/form.html",
        {"form": form, "article": article},
        status=status,
    )


@page
def article_from_ticket(request, pk):
    """One step from a resolved request: the form starts with its problem and solution."""
    ticket = get_object_or_404(Ticket, pk=pk)
    if not permissions.is_desk_side(request.user, ticket):
        raise Http404(_("No such request."))
    if not knowledge.may_write_from(request.user, ticket):
        raise Forbidden(_("Only a resolved request with a resolution note becomes an article."))
    form = ArticleForm(posted(request), initial=knowledge.article_draft_from_ticket(ticket))
    if form.is_bound and form.is_valid():
        article = run_service(
            form,
            lambda: knowledge.article_from_ticket(
                actor=request.user, ticket=ticket, **form.cleaned_data
            ),
        )
        if article is not None:
            messages.success(request, _("Article saved."))
            return redirect("servicedesk:knowledge-detail", pk=article.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "servicedesk/knowledge/form.html",
        {"form": form, "article": None, "ticket": ticket},
        status=status,
    )
