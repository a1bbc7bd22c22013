"""The authorization matrix of every asset page and API endpoint (issue 7).

The URL lists are walked from ``assets/urls.py`` and ``assets/api/urls.py``: a new page or
endpoint without a row in ``EXPECTED`` fails ``test_every_url_has_a_row``, so nothing is
left out of the matrix. Each row is requested by seven people, each request in a savepoint
that is rolled back (the next one sees the same world):

- ``anon``: nobody logged in (pages: 302 to the login page; API: 403);
- ``partner``: a partner account of the service desk (a school), with no post;
- ``other``: ``yaziisleri``, staff of another directorate (sees its unit's items only);
- ``memur``: Bilgi İşlem staff without an asset role (Teknik Destek);
- ``kalem``: the taşınır kayıt yetkilisi;
- ``sef``: the Chief, named taşınır kontrol yetkilisi;
- ``mudur``: the Director, harcama yetkilisi.

Writes are sent with a valid body where the row names one (``body=``), else empty: a person
who may act gets 200/201 (a page that did it redirects: written 303 in the table, so 302 is
always the login page), the form again (200) or a 400 naming a field; one who may not gets
403 (the object is visible) or 404 (it is not). A refusal or a 400 must leave no audit event
behind: nothing changed. PDFs are rendered from their templates but not typeset (speed).

A new page or endpoint: ``ASSETS_MATRIX_DUMP=/tmp/m.txt pytest -k print_table <this file>``
writes every row's answers in the table's format; decide whether they are right, then copy.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from bilgiislem.audit.models import AuditEvent

from ._matrix import PK_OF, bodies, no_weasyprint, world

__all__ = ["no_weasyprint", "world"]  # fixtures

pytestmark = pytest.mark.django_db

ROLES = ("anon", "partner", "other", "memur", "kalem", "sef", "mudur")
USERNAMES = {"other": "yaziisleri", "memur": "memur", "kalem": "kalem", "sef": "sef"}
USERNAMES["mudur"] = "mudur"
REFUSED = {302, 400, 401, 403, 404, 405}
# A page that did what was asked redirects (302) too: the table writes that 303, so 302 is
# always the login page.
DONE = 303
# Refusals logged on purpose: a bad heartbeat (issue 7: "refused, logged") and an unknown
# label scanned in a count. Nothing else refused (or bad input) leaves an event behind.
LOGGED_REFUSALS = ("assets.device.heartbeat_refused", "assets.count.unknown_label")

# Columns: anon partner other memur kalem sef mudur. A row is "name METHOD [param=value]";
# route parameters not given take the world's object of that URL (see ``World.kwargs``).
EXPECTED = """
# name, method [route/query parameters] [body=]           anon part othr memr kalm  sef mudr
# ---- pages under /tasinir/
assets:asset-detail GET                                      302  404  404  200  200  200  200
assets:asset-edit GET                                        302  404  404  403  200  403  200
assets:asset-edit POST                                       302  404  404  403  200  403  200
assets:asset-label GET                                       302  404  404  200  200  200  200
assets:asset-move GET                                        302  404  404  403  200  403  200
assets:asset-move POST                                       302  404  404  403  200  403  200
assets:asset-new GET                                         302  403  403  403  200  403  200
assets:asset-new POST                                        302  403  403  403  200  403  200
assets:asset-repair GET                                      302  404  404  403  200  403  200
assets:asset-repair POST                                     302  404  404  403  303  403  303
assets:asset-repair-back GET                                 302  404  404  403  200  403  200
assets:asset-repair-back POST                                302  404  404  403  303  403  303
assets:clearance GET                                         302  404  404  404  200  404  200
assets:code-edit GET                                         302  403  403  403  200  403  200
assets:code-edit POST                                        302  403  403  403  200  403  200
assets:code-new GET                                          302  403  403  403  200  403  200
assets:code-new POST                                         302  403  403  403  200  403  200
assets:codes GET                                             302  200  200  200  200  200  200
assets:contracts GET                                         302  404  404  200  200  200  200
assets:count-action GET action=ikinci                        405  405  405  405  405  405  405
assets:count-action POST action=ikinci                       302  404  404  403  403  303  303
assets:count-action POST action=kapat                        302  404  404  403  303  403  303
assets:count-board-new GET                                   302  404  404  403  403  403  200
assets:count-board-new POST                                  302  404  404  403  403  403  400
assets:count-detail GET                                      302  404  404  200  200  200  200
assets:count-list GET                                        302  404  404  200  200  200  200
assets:count-new GET                                         302  404  404  403  403  403  200
assets:count-new POST                                        302  404  404  403  403  403  400
assets:count-pdf GET pk=@closed_count which=cetvel           302  404  404  200  200  200  200
assets:count-pdf GET pk=@closed_count which=tutanak          302  404  404  200  200  200  200
assets:count-scan GET                                        302  404  404  200  200  200  403
assets:count-scan POST                                       302  404  404  400  400  400  403
assets:data-line-outage GET                                  302  404  404  200  200  200  200
assets:data-line-outage POST                                 302  404  404  303  303  303  303
assets:data-lines GET                                        302  404  404  200  200  200  200
assets:device-token GET                                      302  404  404  200  200  200  200
assets:device-token POST                                     302  404  404  200  200  200  200
assets:handover-detail GET                                   302  404  404  200  200  200  200
assets:handover-detail POST                                  302  404  404  403  200  403  403
assets:handover-pdf GET                                      302  404  404  200  200  200  200
assets:home GET                                              302  200  200  200  200  200  200
assets:license-detail GET                                    302  404  404  200  200  200  200
assets:license-detail POST                                   302  404  404  200  200  200  200
assets:license-key GET                                       302  404  404  303  303  303  303
assets:license-key POST                                      302  404  404  403  403  200  200
assets:license-unassign GET                                  302  404  404  303  303  303  303
assets:license-unassign POST                                 302  404  404  303  303  303  303
assets:licenses GET                                          302  404  404  200  200  200  200
assets:loan-detail GET                                       302  404  404  200  200  200  200
assets:loan-detail POST                                      302  404  404  403  200  403  200
assets:loan-list GET                                         302  404  404  200  200  200  200
assets:loan-new GET                                          302  403  403  403  200  403  200
assets:loan-new POST                                         302  403  403  403  200  403  200
assets:loan-pdf GET                                          302  404  404  200  200  200  200
assets:my-items GET                                          302  200  200  200  200  200  200
assets:need-detail GET                                       302  404  404  200  200  200  200
assets:need-detail POST                                      302  404  404  403  403  200  200
assets:need-list GET                                         302  200  200  200  200  200  200
assets:need-list-csv GET                                     302  404  404  200  200  200  200
assets:need-new GET                                          302  403  200  200  200  200  200
assets:need-new POST                                         302  403  200  200  200  200  200
assets:receipt-detail GET                                    302  404  404  200  200  200  200
assets:receipt-detail POST                                   302  404  404  403  200  403  200
assets:receipt-list GET                                      302  404  404  200  200  200  200
assets:receipt-new GET                                       302  404  404  403  200  403  403
assets:receipt-new POST                                      302  404  404  403  200  403  403
assets:receipt-pdf GET                                       302  404  404  200  200  200  200
assets:report-consumables GET                                302  404  404  404  200  200  200
assets:report-durables-book GET                              302  404  404  404  200  200  200
assets:report-last-vif GET                                   302  404  404  404  200  200  200
assets:report-management-account GET                         302  404  404  404  200  200  200
assets:reports GET                                           302  404  404  404  200  200  200
assets:request-detail GET                                    302  404  404  200  200  200  200
assets:request-detail POST                                   302  404  404  200  200  200  200
assets:request-list GET                                      302  200  200  200  200  200  200
assets:request-new GET                                       302  403  200  200  200  200  200
assets:request-new POST                                      302  403  200  200  200  200  200
assets:request-pdf GET                                       302  404  404  200  200  200  200
assets:room-edit GET                                         302  404  404  403  200  200  200
assets:room-edit POST                                        302  404  404  403  200  200  200
assets:room-new GET                                          302  404  404  403  200  200  200
assets:room-new POST                                         302  404  404  403  200  200  200
assets:shared-list GET                                       302  404  404  200  200  200  200
assets:shared-list-pdf GET                                   302  404  404  200  200  200  200
assets:shared-list-sign GET                                  302  405  405  405  405  405  405
assets:shared-list-sign POST                                 302  404  404  403  303  403  303
assets:site-detail GET                                       302  404  404  200  200  200  200
assets:site-edit GET                                         302  404  404  403  200  200  200
assets:site-edit POST                                        302  404  404  403  200  200  200
assets:site-new GET                                          302  404  404  403  200  200  200
assets:site-new POST                                         302  404  404  403  200  200  200
assets:sites GET                                             302  404  404  200  200  200  200
assets:sites-overview GET                                    302  404  404  200  200  200  200
assets:stock GET                                             302  404  404  200  200  200  200
assets:stock-issue GET                                       302  404  404  403  200  403  403
assets:stock-issue POST                                      302  404  404  403  200  403  403
assets:stock-item GET                                        302  404  404  200  200  200  200
assets:stock-item POST                                       302  404  404  403  200  403  200
assets:stock-item-new GET                                    302  404  404  403  200  403  200
assets:stock-item-new POST                                   302  404  404  403  200  403  200
assets:stock-parts GET ticket=0                              302  404  404  404  404  404  404
assets:stock-receive GET                                     302  404  404  403  200  403  403
assets:stock-receive POST                                    302  404  404  403  200  403  403
assets:stock-reorder GET                                     302  404  404  200  200  200  200
assets:store-detail GET                                      302  404  404  200  200  200  200
assets:store-edit GET                                        302  404  404  403  200  200  200
assets:store-edit POST                                       302  404  404  403  200  200  200
assets:store-handover-detail GET                             302  404  404  200  200  200  200
assets:store-handover-detail POST                            302  404  404  200  403  403  200
assets:store-handover-list GET                               302  404  404  200  200  200  200
assets:store-handover-new GET                                302  404  404  403  200  403  200
assets:store-handover-new POST                               302  404  404  403  200  403  200
assets:store-handover-pdf GET                                302  404  404  200  200  200  200
assets:store-new GET                                         302  404  404  403  200  200  200
assets:store-new POST                                        302  404  404  403  200  200  200
assets:stores GET                                            302  404  404  200  200  200  200
assets:vif-action GET action=sign                            302  405  405  405  405  405  405
assets:vif-action POST action=cancel                         302  404  404  403  303  403  303
assets:vif-action POST action=control                        302  404  404  403  403  303  403
assets:vif-action POST action=sign                           302  404  404  403  303  403  403
assets:vif-detail GET                                        302  404  404  200  200  200  200
assets:vif-list GET                                          302  404  404  200  200  200  200
assets:vif-new GET                                           302  404  404  403  200  403  200
assets:vif-new POST                                          302  404  404  403  200  403  200
assets:vif-pdf GET                                           302  404  404  200  200  200  200
assets:wipe-new GET                                          302  404  404  200  200  200  200
assets:wipe-new POST                                         302  404  404  200  200  200  200
assets:writeoff-commission-new GET                           302  404  404  403  403  403  200
assets:writeoff-commission-new POST                          302  404  404  403  403  403  200
assets:writeoff-detail GET                                   302  404  404  200  200  200  200
assets:writeoff-detail POST                                  302  404  404  403  403  403  200
assets:writeoff-minute GET                                   302  404  404  404  404  404  404
assets:writeoff-new GET                                      302  404  404  200  200  200  200
assets:writeoff-new POST                                     302  404  404  200  200  200  200
assets:writeoff-on-report GET                                302  404  404  403  200  403  200
assets:writeoff-on-report POST                               302  404  404  403  400  403  400
assets:writeoff-year-report GET                              302  404  404  200  200  200  200
assets:writeoff-year-report-file GET year=2026 fmt=csv       302  404  404  200  200  200  200
assets:writeoff-year-report-file GET year=2026 fmt=pdf       302  404  404  200  200  200  200
assets:writeoff-year-reports GET                             302  404  404  303  303  303  303
assets:writeoffs GET                                         302  404  404  200  200  200  200
# ---- API under /api/assets/
assets-api:asset-detail GET                                  403  404  404  200  200  200  200
assets-api:asset-detail PATCH                                403  404  404  403  200  403  200
assets-api:asset-history GET                                 403  404  404  200  200  200  200
assets-api:asset-list GET                                    403  200  200  200  200  200  200
assets-api:asset-list POST body=asset                        403  403  403  403  201  403  201
assets-api:asset-move POST body=move                         403  404  404  403  200  403  200
assets-api:clearance-detail GET                              403  404  404  404  200  404  200
assets-api:code-detail GET                                   403  200  200  200  200  200  200
assets-api:code-detail PATCH                                 403  403  403  403  200  403  200
assets-api:code-list GET                                     403  200  200  200  200  200  200
assets-api:code-list POST body=code                          403  403  403  403  201  403  201
assets-api:contract-coverage-detail DELETE                   403  404  404  403  403  204  204
assets-api:contract-coverage-list GET                        403  404  404  200  200  200  200
assets-api:contract-coverage-list POST body=coverage         403  404  404  403  403  201  201
assets-api:count-board-list POST body=board                  403  403  403  403  403  403  201
assets-api:count-close POST                                  403  404  404  403  200  403  200
assets-api:count-detail GET                                  403  404  404  200  200  200  200
assets-api:count-differences GET                             403  404  404  200  200  200  200
assets-api:count-list GET                                    403  200  200  200  200  200  200
assets-api:count-list POST body=count                        403  403  403  403  403  403  201
assets-api:count-result GET                                  403  404  404  200  200  200  200
assets-api:count-scan POST body=scan                         403  404  404  201  201  201  403
assets-api:count-second-round POST                           403  404  404  403  403  200  200
assets-api:data-line-detail GET                              403  404  404  200  200  200  200
assets-api:data-line-list GET                                403  404  404  200  200  200  200
assets-api:data-line-list POST body=data_line                403  404  404  403  403  201  201
assets-api:data-line-outage POST body=outage                 403  404  404  201  201  201  201
assets-api:data-line-outage-end POST                         403  404  404  400  400  400  400
assets-api:device-detail GET                                 403  404  404  200  200  200  200
assets-api:device-list GET                                   403  404  404  200  200  200  200
assets-api:device-token POST                                 403  404  404  201  201  201  201
assets-api:expiring-list GET                                 403  404  404  200  200  200  200
assets-api:handover-acknowledge POST                         403  404  404  200  403  403  403
assets-api:handover-detail GET                               403  404  404  200  200  200  200
assets-api:handover-list GET                                 403  200  200  200  200  200  200
assets-api:handover-scan POST body=handover_scan             403  404  404  403  200  403  403
assets-api:handover-return-item POST                         403  404  404  403  200  403  403
assets-api:heartbeat POST                                    401  401  401  401  401  401  401
assets-api:license-assign POST body=assign                   403  404  404  201  201  201  201
assets-api:license-detail GET                                403  404  404  200  200  200  200
assets-api:license-detail PATCH                              403  404  404  403  403  200  200
assets-api:license-key GET                                   403  404  404  403  403  200  200
assets-api:license-list GET                                  403  404  404  200  200  200  200
assets-api:license-list POST body=license                    403  404  404  403  403  201  201
assets-api:license-unassign POST body=unassign               403  404  404  200  200  200  200
assets-api:loan-detail GET                                   403  404  404  200  200  200  200
assets-api:loan-list GET                                     403  404  404  200  200  200  200
assets-api:loan-list POST body=loan                          403  404  404  403  201  403  201
assets-api:loan-return-item POST body=loan_return            403  404  404  403  200  403  200
assets-api:need-assess POST body=assess                      403  404  404  403  403  200  200
assets-api:need-detail GET                                   403  404  404  200  200  200  200
assets-api:need-list GET                                     403  200  200  200  200  200  200
assets-api:need-list POST body=need                          403  403  400  201  400  201  201
assets-api:need-list-csv GET year=2027                       403  404  404  200  200  200  200
assets-api:repair-back POST body=repair_back                 403  404  404  403  200  403  200
assets-api:repair-list GET                                   403  404  404  200  200  200  200
assets-api:repair-list POST body=repair                      403  404  404  403  201  403  201
assets-api:report-consumables-issued GET month=2026-01       403  404  404  404  200  200  200
assets-api:report-durables-book GET year=2026                403  404  404  404  200  200  200
assets-api:report-last-vif GET year=2026                     403  404  404  404  200  200  200
assets-api:report-management-account GET year=2026           403  404  404  404  200  200  200
assets-api:request-approve POST                              403  404  404  403  403  403  200
assets-api:request-detail GET                                403  404  404  200  200  200  200
assets-api:request-issue POST body=issue                     403  404  404  403  400  403  403
assets-api:request-list GET                                  403  200  200  200  200  200  200
assets-api:request-list POST body=request                    403  403  403  201  201  201  201
assets-api:request-reject POST                               403  404  404  403  403  403  400
assets-api:room-detail GET                                   403  404  404  200  200  200  200
assets-api:room-detail PATCH                                 403  404  404  403  200  200  200
assets-api:room-list GET                                     403  404  404  200  200  200  200
assets-api:room-list POST body=room                          403  403  403  403  201  201  201
assets-api:shared-list-detail GET                            403  404  404  200  200  200  200
assets-api:shared-list-sign POST                             403  404  404  403  201  403  201
assets-api:site-detail GET                                   403  404  404  200  200  200  200
assets-api:site-detail PATCH                                 403  404  404  403  200  200  200
assets-api:site-list GET                                     403  404  404  200  200  200  200
assets-api:site-list POST body=site                          403  403  403  403  201  201  201
assets-api:stock-issue-detail GET                            403  404  404  200  200  200  200
assets-api:stock-issue-list GET                              403  404  404  200  200  200  200
assets-api:stock-issue-list POST body=stock_issue            403  404  404  403  201  403  403
assets-api:stock-item-detail GET                             403  404  404  200  200  200  200
assets-api:stock-item-list GET                               403  404  404  200  200  200  200
assets-api:stock-item-list POST body=stock_item              403  404  404  403  201  403  201
assets-api:stock-item-minimum POST body=minimum              403  404  404  403  200  403  200
assets-api:stock-lot-detail GET                              403  404  404  200  200  200  200
assets-api:stock-lot-list GET                                403  404  404  200  200  200  200
assets-api:stock-receipt-list POST body=stock_receipt        403  404  404  403  201  403  403
assets-api:store-content GET                                 403  404  404  200  200  200  200
assets-api:store-detail GET                                  403  404  404  200  200  200  200
assets-api:store-detail PATCH                                403  404  404  403  200  200  200
assets-api:store-handover-accept POST                        403  404  404  200  403  403  403
assets-api:store-handover-cancel POST body=cancel            403  404  404  403  403  403  200
assets-api:store-handover-detail GET                         403  404  404  200  200  200  200
assets-api:store-handover-list GET                           403  404  404  200  200  200  200
assets-api:store-handover-list POST body=store_handover      403  404  404  403  400  403  400
assets-api:store-handover-pdf GET                            403  404  404  200  200  200  200
assets-api:store-list GET                                    403  404  404  200  200  200  200
assets-api:store-list POST body=store                        403  403  403  403  201  201  201
assets-api:temporary-receipt-accept POST body=receipt_accept 403  404  404  403  200  403  200
assets-api:temporary-receipt-detail GET                      403  404  404  200  200  200  200
assets-api:temporary-receipt-list GET                        403  404  404  200  200  200  200
assets-api:temporary-receipt-list POST body=receipt          403  404  404  403  201  403  403
assets-api:temporary-receipt-pdf GET                         403  404  404  200  200  200  200
assets-api:temporary-receipt-refuse POST body=receipt_refuse 403  404  404  403  200  403  200
assets-api:vif-cancel POST                                   403  404  404  403  200  403  200
assets-api:vif-control POST                                  403  404  404  403  403  400  403
assets-api:vif-detail GET                                    403  404  404  200  200  200  200
assets-api:vif-list GET                                      403  404  404  200  200  200  200
assets-api:vif-list POST body=vif                            403  404  404  403  201  403  201
assets-api:vif-sign POST                                     403  404  404  403  200  403  403
assets-api:wipe-list POST body=wipe                          403  404  404  201  201  400  201
assets-api:writeoff-approve POST                             403  404  404  403  403  403  200
assets-api:writeoff-commission-detail GET                    403  404  404  200  200  200  200
assets-api:writeoff-commission-list GET                      403  404  404  200  200  200  200
assets-api:writeoff-commission-list POST body=commission      403  404  404  403  403  403  201
assets-api:writeoff-detail GET                               403  404  404  200  200  200  200
assets-api:writeoff-list GET                                 403  404  404  200  200  200  200
assets-api:writeoff-list POST body=writeoff                  403  404  404  201  201  201  403
assets-api:writeoff-on-report POST body=on_report            403  404  404  403  201  403  201
assets-api:writeoff-reject POST body=reject                  403  404  404  403  403  403  200
assets-api:writeoff-report-csv GET                           403  404  404  200  200  200  200
assets-api:writeoff-report-detail GET                        403  404  404  200  200  200  200
"""


# ---------------------------------------------------------------- walking the URL lists


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


@functools.cache
def _patterns() -> dict[str, URLPattern]:
    return dict(_walk(get_resolver().url_patterns))


def asset_urls() -> dict[str, set[str]]:
    """Every asset URL name with the methods it answers (API: the router's actions)."""
    found: dict[str, set[str]] = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        if not name.startswith(("assets:", "assets-api:")):
            continue
        actions = getattr(pattern.callback, "actions", None)
        if actions:
            # DRF adds "head" to a GET action's map at its first request: not a method of
            # its own here.
            methods = {m.upper() for m in actions} - {"HEAD", "OPTIONS"}
        elif name.startswith("assets-api:"):
            view = getattr(pattern.callback, "view_class", None)
            methods = {
                m.upper()
                for m in ("get", "post", "patch", "put", "delete")
                if view is not None and hasattr(view, m)
            }
        else:
            methods = {"GET"}
        found.setdefault(name, set()).update(methods)
    return found


def parse_expected(text: str = EXPECTED) -> list[tuple[str, str, dict, dict[str, int]]]:
    rows = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        name, method = parts[0], parts[1]
        params = {}
        while "=" in parts[2]:
            key, value = parts.pop(2).split("=", 1)
            params[key] = value
        codes = [int(c) for c in parts[2:]]
        assert len(codes) == len(ROLES), raw
        rows.append((name, method, params, dict(zip(ROLES, codes, strict=True))))
    return rows


def url_of(world, name: str, params: dict) -> str:
    """The URL of a row: route parameters from ``params`` or the world; the rest of
    ``params`` goes to the query string."""
    pattern = _patterns()[name]
    route = str(pattern.pattern)
    wanted = set(re.findall(r"<(?:\w+:)?(\w+)>", route)) | set(pattern.pattern.regex.groupindex)
    kwargs, query = {}, {}
    for key, value in params.items():
        if value.startswith("@"):  # another object of the world: pk=@closed_count
            value = world[value[1:]].pk
        (kwargs if key in wanted else query)[key] = value
    short = name.split(":", 1)[1]
    if "pk" in wanted and "pk" not in kwargs:
        kwargs["pk"] = world[PK_OF[short]].pk
    if "room" in wanted and "room" not in kwargs:
        kwargs["room"] = world["room"].pk
    if "assignment" in wanted and "assignment" not in kwargs:
        kwargs["assignment"] = world["assignment"].pk
    if "year" in wanted and "year" not in kwargs:
        kwargs["year"] = world["year"]
    url = reverse(name, kwargs=kwargs)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def client_for(role: str, world) -> Client:
    """A client logged in as the role's person; a crash is an answer (500) in the table, not
    an exception that hides the other rows."""
    from bilgiislem.organization.models import Person

    client = Client(raise_request_exception=False)
    if role == "partner":
        client.force_login(world["partner"])
    elif role != "anon":
        client.force_login(Person.objects.get(username=USERNAMES[role]))
    return client


def answer(client: Client, method: str, url: str, body=None) -> int:
    """The status of one request, rolled back afterwards (the next sees the same world)."""
    events = AuditEvent.objects.exclude(action__in=LOGGED_REFUSALS)
    before = events.count()
    if callable(body):
        body = body()
    with transaction.atomic():
        if method in ("GET", "DELETE"):
            response = getattr(client, method.lower())(url)
        elif url.startswith("/api/") and not any(
            isinstance(v, File) for v in (body or {}).values()
        ):
            response = getattr(client, method.lower())(url, body or {}, "application/json")
        else:
            response = getattr(client, method.lower())(url, body or {})
        status = response.status_code
        if status == 500 and os.environ.get("ASSETS_MATRIX_DUMP"):
            import traceback

            print("".join(traceback.format_exception(*response.exc_info))[-1500:], file=sys.stderr)
        if status == 302 and not response["Location"].startswith(resolve_url(settings.LOGIN_URL)):
            status = DONE
        written = events.count() - before
        transaction.set_rollback(True)
    if status in REFUSED and written:
        raise AssertionError(f"{method} {url} answered {status} but wrote {written} events")
    return status


def test_every_url_has_a_row():
    """A page or endpoint added without deciding who may use it fails here."""
    rows = {(name, method) for name, method, _params, _codes in parse_expected()}
    urls = asset_urls()
    wanted = {(name, method) for name, methods in urls.items() for method in methods}
    # A page's form is posted to its own URL: its POST rows are welcome, not required.
    posts = {(name, "POST") for name in urls if name.startswith("assets:")}
    assert sorted(wanted - rows) == [], "add these to EXPECTED"
    assert sorted(rows - wanted - posts) == [], "these rows name no URL any more"


@pytest.mark.parametrize("role", ROLES)
def test_matrix(role, world, no_weasyprint):
    client = client_for(role, world)
    payloads = bodies(world)
    wrong = []
    for name, method, params, codes in parse_expected():
        params = dict(params)
        body = payloads[params.pop("body")] if "body" in params else None
        url = url_of(world, name, params)
        got = answer(client, method, url, body)
        if got != codes[role]:
            wrong.append(f"{name} {method} {url}: {got}, expected {codes[role]}")
    assert wrong == []


# The API lists that answer everyone logged in: filtered to what the person may see.
OPEN_LISTS = ("asset-list", "handover-list", "count-list", "request-list", "need-list")


def _ids(response) -> list[int]:
    data = response.json()
    rows = data["results"] if isinstance(data, dict) else data
    return [row["id"] for row in rows]


def test_lists_open_to_everyone_show_outsiders_only_their_own(world, other_room, asset_factory):
    """Another unit's staff see their unit's asset and nothing of Bilgi İşlem's; a partner
    account sees nothing; Bilgi İşlem's staff see both."""
    theirs = asset_factory(room=other_room, status="in_use")
    other, partner = client_for("other", world), client_for("partner", world)
    for name in OPEN_LISTS:
        url = reverse(f"assets-api:{name}")
        assert _ids(partner.get(url)) == [], name
        expected = [theirs.pk] if name == "asset-list" else []
        assert _ids(other.get(url)) == expected, name
    everything = _ids(client_for("memur", world).get(reverse("assets-api:asset-list")))
    assert {theirs.pk, world["asset"].pk} <= set(everything)
    page = other.get(reverse("assets:home")).content.decode()
    assert theirs.sicil_no in page and world["asset"].sicil_no not in page
    assert world["asset"].sicil_no not in partner.get(reverse("assets:home")).content.decode()


def test_an_asset_is_seen_by_its_unit_and_404_for_another(world, other_room, asset_factory):
    theirs = asset_factory(room=other_room, status="in_use")
    other, partner = client_for("other", world), client_for("partner", world)
    for name in ("assets:asset-detail", "assets:asset-label", "assets-api:asset-detail"):
        assert other.get(reverse(name, args=[theirs.pk])).status_code == 200, name
        assert partner.get(reverse(name, args=[theirs.pk])).status_code == 404, name
        assert other.get(reverse(name, args=[world["asset"].pk])).status_code == 404, name
    # Seeing is not changing: the unit's own asset is still the kayıt yetkilisi's to edit.
    assert other.get(reverse("assets:asset-edit", args=[theirs.pk])).status_code == 403
    moved = other.post(
        reverse("assets-api:asset-move", args=[theirs.pk]),
        {"room": world["room"].pk},
        "application/json",
    )
    assert moved.status_code == 403
    theirs.refresh_from_db()
    assert theirs.room_id == other_room.pk


def print_table(world) -> None:
    """Every row's answers (and those of URLs without a row, or without an object in the
    world) in the table's own format, for deciding the rows of a new page:
    ``ASSETS_MATRIX_DUMP=/tmp/m.txt pytest -k print_table <this file>``."""
    made = {role: client_for(role, world) for role in ROLES}
    payloads = bodies(world)
    rows = parse_expected()
    listed = {(name, method) for name, method, _params, _codes in rows}
    rows += [
        (name, method, {}, {})
        for name, methods in sorted(asset_urls().items())
        for method in sorted(methods)
        if (name, method) not in listed
    ]
    lines = []
    for name, method, params, codes in rows:
        head = " ".join([name, method, *(f"{k}={v}" for k, v in params.items())])
        params = dict(params)
        body = payloads[params.pop("body")] if "body" in params else None
        try:
            url = url_of(world, name, params)
        except (KeyError, NoReverseMatch):
            lines.append(f"{head:60}no object in the world")
            continue
        got = {role: answer(made[role], method, url, body) for role in ROLES}
        changed = "  # changed" if codes and got != codes else ""
        lines.append(f"{head:60}" + " ".join(f"{got[r]:>4}" for r in ROLES) + changed)
    Path(os.environ["ASSETS_MATRIX_DUMP"]).write_text("\n".join(lines) + "\n")


if os.environ.get("ASSETS_MATRIX_DUMP"):

    def test_print_table(world, no_weasyprint):
        print_table(world)
