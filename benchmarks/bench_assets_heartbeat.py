"""Figure for monitored devices (issue 7, "Performance").

- ``assets.heartbeat_per_s``: heartbeats accepted per second through the real API view
  (URL routing, DRF, the ``Device`` token looked up by its hash, ``last_seen_at`` updated),
  with Django's test client, from BENCH_HEARTBEAT_DEVICES devices (default 2,000) taking
  turns for BENCH_HEARTBEAT_N requests (default 3,000). Goal: ≥ 500. The best of ROUNDS.
"""

import os
import time

ROUNDS = 3


def _devices(count: int) -> list[str]:
    """``count`` access points with a token each (made once; tokens returned in clear)."""
    import secrets

    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from bilgiislem.assets.choices import AssetKind, SiteKind
    from bilgiislem.assets.models import Asset, Site, Store, TasinirCode
    from bilgiislem.assets.services.devices import token_hash
    from bilgiislem.organization.loading import demo_load, organization_load
    from bilgiislem.organization.models import OrgUnit, Person

    if not Person.objects.filter(username="mudur").exists():
        organization_load(settings.BILGIISLEM_ORGANIZATION_FILE)
        demo_load(settings.BILGIISLEM_ORGANIZATION_FILE)
    unit = OrgUnit.objects.get(code="bilgi-islem")
    code, _ = TasinirCode.objects.get_or_create(
        code="255.99.99.01", defaults={"title": "Kablosuz erişim noktası (bench)"}
    )
    store, _ = Store.objects.get_or_create(
        unit=unit, code="HB", defaults={"name": "Heartbeat bench store"}
    )
    site, _ = Site.objects.get_or_create(
        name="Heartbeat bench park", defaults={"kind": SiteKind.PARK}
    )
    expires = timezone.now() + timezone.timedelta(days=30)
    tokens = [secrets.token_urlsafe(32) for _ in range(count)]
    Asset.objects.filter(code=code).delete()
    with transaction.atomic():
        Asset.objects.bulk_create(
            [
                Asset(
                    code=code,
                    kind=AssetKind.ACCESS_POINT,
                    sicil_no=f"HB-{n:06d}",
                    entry_year=2026,
                    sequence=n + 1,
                    store=store,
                    site=site,
                    device_token_hash=token_hash(token),
                    device_token_expires=expires,
                )
                for n, token in enumerate(tokens)
            ],
            batch_size=1000,
        )
    return tokens


def _round(client, url: str, tokens: list[str], n: int) -> float:
    t0 = time.perf_counter()
    for i in range(n):
        response = client.post(url, HTTP_AUTHORIZATION=f"Device {tokens[i % len(tokens)]}")
        if response.status_code != 200:
            raise RuntimeError(f"heartbeat refused: {response.status_code}")
    return n / (time.perf_counter() - t0)


def run():
    from django.test import Client
    from django.urls import reverse

    devices = int(os.environ.get("BENCH_HEARTBEAT_DEVICES", "2000"))
    n = int(os.environ.get("BENCH_HEARTBEAT_N", "3000"))
    tokens = _devices(devices)
    client = Client(HTTP_HOST="localhost")
    url = reverse("assets-api:heartbeat")
    _round(client, url, tokens, 50)  # warm up
    best = max(_round(client, url, tokens, n) for _ in range(ROUNDS))
    yield "assets.heartbeat_per_s", best, "/s"
