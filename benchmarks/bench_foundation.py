"""Figures for the foundation (issue 2): audit trail, access checks, login hashing, pages.

Each figure is measured next to a baseline taken in the same run, so the ratio means
something on a noisy shared machine (perf-limits.md).
"""

import statistics
import time

from django.conf import settings
from django.db import transaction


def _median_seconds(fn, repeat=7):
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def _ensure_org():
    from bilgiislem.organization.loading import demo_load, organization_load
    from bilgiislem.organization.models import Person

    if not Person.objects.filter(username="mudur").exists():
        organization_load(settings.BILGIISLEM_ORGANIZATION_FILE)
        demo_load(settings.BILGIISLEM_ORGANIZATION_FILE)


def run():
    from django.test import Client

    from bilgiislem.accounts.hashers import TunedArgon2PasswordHasher
    from bilgiislem.audit.services import audit_record
    from bilgiislem.audit.verify import verify_chain
    from bilgiislem.organization import permissions
    from bilgiislem.organization.models import Institution, Person

    _ensure_org()
    n = 1000

    # Baseline: a plain row saved in its own transaction (the ORM's single-commit cost).
    def plain():
        for i in range(n):
            with transaction.atomic():
                inst = Institution.objects.first()
                inst.short_name = f"b{i}"
                inst.save(update_fields=["short_name"])

    def audited():
        for i in range(n):
            with transaction.atomic():
                audit_record(actor=None, action="bench.event.created", changes={"i": i})

    base = _median_seconds(plain, repeat=3)
    aud = _median_seconds(audited, repeat=3)
    yield "audit_append_rate", round(n / aud), "events/s"
    yield "baseline_single_update_rate", round(n / base), "commits/s"
    yield "audit_append_vs_single_update", round(base / aud, 2), "ratio"

    t0 = time.perf_counter()
    checked, fault = verify_chain()
    elapsed = time.perf_counter() - t0
    assert fault is None, fault
    yield "audit_verify_rate", round(checked / elapsed), "events/s"

    mudur = Person.objects.get(username="mudur")

    def access():
        for _ in range(100):
            permissions.clear_cache(mudur)
            permissions.can_view_audit(mudur)

    yield "access_check_uncached", round(_median_seconds(access) / 100 * 1000, 3), "ms"

    hasher = TunedArgon2PasswordHasher()
    default = settings.PASSWORD_HASHERS[1]
    from django.utils.module_loading import import_string

    default_hasher = import_string(default)()
    tuned = _median_seconds(lambda: hasher.encode("correct horse battery", hasher.salt()), 5)
    stock = _median_seconds(
        lambda: default_hasher.encode("correct horse battery", default_hasher.salt()), 5
    )
    yield "login_hash_argon2_tuned", round(tuned * 1000, 1), "ms"
    yield "login_hash_argon2_django_default", round(stock * 1000, 1), "ms"

    client = Client(HTTP_HOST="localhost")
    client.force_login(mudur)
    for name, url in (
        ("page_home", "/"),
        ("page_org_chart", "/kurum/"),
        ("page_audit_list", "/denetim/"),
        ("api_units_list", "/api/org/units/"),
    ):
        status = client.get(url).status_code  # warm-up
        if status != 200:
            yield f"{name}_status", status, "http"
            continue
        yield name, round(_median_seconds(lambda u=url: client.get(u), 9) * 1000, 1), "ms"
