"""The person's notices (Bildirimler): newest first, unread ones marked, read one or all.

Marking a notice read is the person's own view state, not an official act: it goes through
the notify service but leaves no audit event. Another person's notice answers 404.
"""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from bilgiislem.core.paginator import CappedPaginator

from ..services.notify import (
    notification_mark_read,
    notification_unread_count,
    notifications_of,
)
from ._pages import page

PER_PAGE = 50


@page
def notification_list(request):
    paginator = CappedPaginator(notifications_of(request.user), PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    unread = notification_unread_count(request.user) > 0
    return render(
        request,
        "servicedesk/notifications.html",
        {"page_obj": page_obj, "rows": page_obj.object_list, "any_unread": unread},
    )


@require_POST
@page
def notification_read(request, pk):
    notice = get_object_or_404(notifications_of(request.user), pk=pk)
    notification_mark_read(actor=request.user, notification_ids=[notice.pk])
    return redirect("servicedesk:notifications")


@require_POST
@page
def notification_read_all(request):
    notification_mark_read(actor=request.user)
    return redirect("servicedesk:notifications")
