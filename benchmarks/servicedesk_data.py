"""A service desk with many requests, bulk-loaded for the benchmarks (issue 6, "Performance").

    from servicedesk_data import ensure_requests
    info = ensure_requests(500_000)      # idempotent: loads once per database

Writes straight into the tables (executemany in chunks of CHUNK rows, one transaction each),
never through the services: the point is a realistic database, fast. What it holds:
- the three queues (Teknik Destek, Sistem, Yazılım) routed by category, six bench technicians
  per queue with posts in its unit, 120 bench staff in the other directorates;
- the default internal agreement and 24 partner organisations (schools, muhtarlıks, NGOs,
  Kaymakamlık, Tapu), 20 of them with an agreement, all with targets per priority;
- requests from 1 January 2018 to now, more each year, on working days and hours mostly,
  numbered per year (TicketCounter set to match); their state follows their age (recent ones
  open, old ones closed, a few cancelled or merged, a thin old backlog); about 8 % missed the
  resolution target and 5 % the response target;
- DailyQueueStat rows for every queue and day, consistent with the requests: opened,
  resolved, closed and breached per local day, and the open count at the end of each day.

Environment: BENCH_SEED (default 6). Shared by the dashboard and the queue benchmarks.
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import os
import random
import time

CHUNK = 20_000
START = dt.date(2018, 1, 1)
TECHNICIANS_PER_QUEUE = 6
STAFF = 120

QUEUES = {
    "bilgi-islem-teknik-destek": ("Teknik Destek", ["hardware", "telephone", "screens", "other"]),
    "bilgi-islem-sistem": ("Sistem", ["network", "wifi", "accounts", "esignature"]),
    "bilgi-islem-yazilim": ("Yazılım", ["software", "website"]),
}
STAFF_UNITS = [
    "yazi-isleri",
    "insan-kaynaklari",
    "basin-yayin",
    "mali-hizmetler",
    "destek-hizmetleri",
    "bilgi-islem-kalem",
]
# Category: (weight, titles).
CATEGORIES = {
    "hardware": (
        30,
        [
            "Yazıcı çıktı vermiyor",
            "Bilgisayar açılmıyor",
            "Monitör görüntü vermiyor",
            "Klavye ve fare çalışmıyor",
            "Tarayıcı bilgisayarı görmüyor",
        ],
    ),
    "software": (
        16,
        [
            "EBYS ekranı hata veriyor",
            "Muhasebe programı güncellemesi",
            "Ofis programı lisans uyarısı",
            "Rapor modülü yavaş açılıyor",
        ],
    ),
    "network": (12, ["İnternet bağlantısı kopuyor", "Ağ yazıcısına erişilemiyor", "VPN açılmıyor"]),
    "accounts": (
        12,
        ["Şifre sıfırlama talebi", "Yeni personel için hesap açılması", "E-posta kotası doldu"],
    ),
    "esignature": (6, ["E-imza kartı okunmuyor", "E-imza sertifikası süresi doluyor"]),
    "website": (5, ["Web sitesinde duyuru güncellemesi", "Web sitesi formu çalışmıyor"]),
    "wifi": (4, ["Park alanında kablosuz ağ çekmiyor", "Halk Wi-Fi giriş sayfası açılmıyor"]),
    "screens": (3, ["Bilgilendirme ekranı kapandı", "Meydan ekranında içerik güncellemesi"]),
    "telephone": (7, ["Dahili hat çalışmıyor", "Çağrı merkezi kulaklığı arızalı"]),
    "other": (5, ["Toplantı salonu projeksiyon kurulumu", "Bilgi işlem desteği talebi"]),
}
PRIORITIES = (["low", "normal", "high", "urgent"], [15, 60, 20, 5])
# Working minutes (response, resolution) per priority; a working day is 540 minutes.
TARGETS = {"urgent": (30, 240), "high": (60, 540), "normal": (240, 1620), "low": (540, 2700)}
PARTNERS = (
    [
        ("school", f"Karasu {name} Okulu")
        for name in (
            "Atatürk İlkokulu",
            "Cumhuriyet Ortaokulu",
            "Anadolu Lisesi",
            "Mesleki ve Teknik Anadolu",
            "İmam Hatip",
            "Fen Lisesi",
            "Yalı İlkokulu",
            "Kuzuluk Ortaokulu",
            "Aziziye İlkokulu",
            "Limandere Ortaokulu",
            "Denizköy İlkokulu",
            "Camitepe Ortaokulu",
        )
    ]
    + [
        ("muhtarlik", f"{name} Mahallesi Muhtarlığı")
        for name in (
            "Yalı",
            "Aziziye",
            "Kuzuluk",
            "Limandere",
            "Cumhuriyet",
            "İncilli",
        )
    ]
    + [
        ("ngo", name)
        for name in (
            "Karasu Engelliler Derneği",
            "Karasu Kızılay Şubesi",
            "Karasu Gençlik Derneği",
        )
    ]
    + [
        ("kaymakamlik", "Karasu Kaymakamlığı"),
        ("tapu", "Karasu Tapu Müdürlüğü"),
        ("public_body", "Karasu Halk Kütüphanesi"),
    ]
)
# Of every 100 requests: partners ask ~15, through these channels.
CHANNELS_STAFF = (["web", "phone", "desk", "api", "letter"], [70, 15, 8, 4, 3])
CHANNELS_PARTNER = (["partner", "public_form", "phone", "letter"], [45, 30, 15, 10])


def _p_open(age_days: float) -> float:
    """How likely a request of this age is still open (a thin backlog of old ones)."""
    for limit, p in ((1, 0.85), (3, 0.55), (7, 0.3), (30, 0.1), (90, 0.03), (365, 0.008)):
        if age_days < limit:
            return p
    return 0.0015


def _setup():
    """Organisation, people, queues, agreements: returns what the request rows refer to."""
    from django.conf import settings
    from django.contrib.auth.hashers import make_password

    from bilgiislem.organization.loading import demo_load, organization_load
    from bilgiislem.organization.models import OrgUnit, Person, Position, PositionHolding
    from bilgiislem.servicedesk.models import (
        AgreementTarget,
        PartnerOrganization,
        Queue,
        ServiceAgreement,
    )

    if not Person.objects.filter(username="mudur").exists():
        organization_load(settings.BILGIISLEM_ORGANIZATION_FILE)
        demo_load(settings.BILGIISLEM_ORGANIZATION_FILE)
    mudur = Person.objects.get(username="mudur")
    units = {u.code: u for u in OrgUnit.objects.all()}
    password = make_password(None)

    def people(prefix, count, unit_code, kinds, label):
        wanted = [f"bench.{prefix}{i}" for i in range(1, count + 1)]
        have = set(Person.objects.filter(username__in=wanted).values_list("username", flat=True))
        Person.objects.bulk_create(
            Person(
                username=u,
                first_name=label,
                last_name=u.rsplit(".", 1)[1].removeprefix("tech").removeprefix("staff"),
                password=password,
            )
            for u in wanted
            if u not in have
        )
        found = list(Person.objects.filter(username__in=wanted).order_by("username"))
        position = Position.objects.filter(unit__code=unit_code, kind__in=kinds).first()
        held = set(
            PositionHolding.objects.filter(person__in=found).values_list("person_id", flat=True)
        )
        PositionHolding.objects.bulk_create(
            PositionHolding(person=p, position=position, start_date=START)
            for p in found
            if p.pk not in held
        )
        return found

    queues, technicians = {}, {}
    for code, (name, categories) in QUEUES.items():
        queue, _ = Queue.objects.update_or_create(
            unit=units[code], defaults={"name": name, "categories": categories, "active": True}
        )
        queues[code] = queue
        short = code.removeprefix("bilgi-islem-").replace("-", "")
        techs = people(
            f"{short}.tech",
            TECHNICIANS_PER_QUEUE,
            code,
            ["memur", "sozlesmeli"],
            f"{name} teknisyeni",
        )
        technicians[queue.pk] = [p.pk for p in techs]
    staff = []
    for i, code in enumerate(STAFF_UNITS):
        for p in people(f"staff{i}.", STAFF // len(STAFF_UNITS), code, ["memur"], "Personel"):
            staff.append((p.pk, units[code].pk))

    def agreement(title, organization=None):
        found = ServiceAgreement.objects.filter(title=title).first()
        if found is None:
            found = ServiceAgreement.objects.create(
                title=title,
                organization=organization,
                is_internal_default=organization is None,
                valid_from=START,
                created_by=mudur,
            )
            AgreementTarget.objects.bulk_create(
                AgreementTarget(
                    agreement=found, priority=p, response_minutes=r, resolution_minutes=res
                )
                for p, (r, res) in TARGETS.items()
            )
        return found

    internal = agreement("Belediye birimleri iç hizmet sözleşmesi")
    partners = []
    for i, (kind, name) in enumerate(PARTNERS):
        org, _ = PartnerOrganization.objects.get_or_create(name=name, defaults={"kind": kind})
        deal = agreement(f"{name} hizmet protokolü", org) if i % 6 != 5 else None
        partners.append((org.pk, deal.pk if deal else None))
    return {
        "queues": queues,
        "technicians": technicians,
        "staff": staff,
        "internal": internal.pk,
        "partners": partners,
        "mudur": mudur.pk,
    }


def _routing():
    from bilgiislem.servicedesk.models import Queue

    by_category = {}
    for queue in Queue.objects.filter(active=True):
        for category in queue.categories:
            by_category[category] = queue.pk
    return by_category


def ensure_requests(total: int = 500_000, *, seed: int | None = None) -> dict:
    """Load ``total`` requests (and their daily figures) unless the database has them."""
    from django.db import connection, transaction
    from django.utils import timezone

    from bilgiislem.core.text import fold
    from bilgiislem.servicedesk.models import DailyQueueStat, Ticket, TicketCounter

    have = Ticket.objects.count()
    if have >= total:
        return {"requests": have, "loaded": 0, "seconds": 0.0}
    if have:
        raise RuntimeError(f"{have} requests already there: start from an empty database")
    seed = int(os.environ.get("BENCH_SEED", "6")) if seed is None else seed
    rng = random.Random(seed)
    t0 = time.perf_counter()
    refs = _setup()
    route = _routing()
    default_queue = refs["queues"]["bilgi-islem-teknik-destek"].pk

    tz = timezone.get_default_timezone()
    now_local = timezone.localtime().replace(tzinfo=None, microsecond=0)
    today = now_local.date()
    # Europe/Istanbul keeps UTC+3 all year since 2016: one offset for every row.
    offsets = {
        tz.utcoffset(dt.datetime(y, m, 15)) for y in (START.year, today.year) for m in (1, 7)
    }
    if len(offsets) != 1:
        raise RuntimeError("the generator assumes a time zone without daylight saving")
    offset = offsets.pop()

    # Days with weights: more requests each year, few on weekends.
    days = [START + dt.timedelta(days=i) for i in range((today - START).days + 1)]
    span = len(days)
    weights = [
        (1 + 1.5 * i / span) * (0.12 if d.weekday() >= 5 else 1.0) for i, d in enumerate(days)
    ]
    picked = sorted(
        rng.choices(range(span), cum_weights=list(itertools.accumulate(weights)), k=total)
    )
    created = []
    for i in picked:
        d = days[i]
        minute = (
            rng.randrange(8 * 60 + 30, 17 * 60 + 30)
            if rng.random() < 0.93
            else rng.randrange(0, 1440)
        )
        moment = dt.datetime(d.year, d.month, d.day) + dt.timedelta(
            minutes=minute, seconds=rng.randrange(60)
        )
        created.append(min(moment, now_local - dt.timedelta(minutes=1)))
    created.sort()

    cat_names = list(CATEGORIES)
    cat_weights = [CATEGORIES[c][0] for c in cat_names]
    titles = {c: [(t, fold(t)) for t in CATEGORIES[c][1]] for c in cat_names}
    categories = rng.choices(cat_names, weights=cat_weights, k=total)
    priorities = rng.choices(*PRIORITIES, k=total)
    partner_flags = [rng.random() < 0.15 for _ in range(total)]

    fields = [f for f in Ticket._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    index = {f.attname: i for i, f in enumerate(fields)}
    template = [f.get_db_prep_save(f.get_default(), connection) for f in fields]
    table = connection.ops.quote_name(Ticket._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({', '.join(connection.ops.quote_name(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    opened = collections.Counter()
    resolved_c = collections.Counter()
    closed_c = collections.Counter()
    breached_c = collections.Counter()
    left = collections.Counter()  # (queue, local day) → requests leaving the open states
    counters: dict[int, int] = {}
    mudur = refs["mudur"]

    def utc(local: dt.datetime) -> str:
        return str(local - offset)

    def row_for(n: int):
        local = created[n]
        category = categories[n]
        priority = priorities[n]
        queue = route.get(category, default_queue)
        year = local.year
        counters[year] = number = counters.get(year, 0) + 1
        title, folded = rng.choice(titles[category])
        row = template.copy()
        age = (now_local - local).total_seconds() / 86400
        response_min, resolution_min = TARGETS[priority]
        # Calendar approximations of the working-minute targets (a working day is 9 hours).
        response_due = local + dt.timedelta(minutes=response_min * 2.67)
        resolution_due = local + dt.timedelta(minutes=resolution_min * 2.67)
        label = f"{year}-{number:06d}"
        row[index["year"]] = year
        row[index["number"]] = number
        row[index["title"]] = title
        row[index["description"]] = f"{title}. Bench request {label}."
        row[index["category"]] = category
        row[index["priority"]] = priority
        row[index["queue_id"]] = queue
        row[index["created_at"]] = utc(local)
        row[index["response_due_at"]] = utc(response_due)
        row[index["resolution_due_at"]] = utc(resolution_due)
        row[index["search_text"]] = f"{label} {folded}"
        if partner_flags[n]:
            org, deal = rng.choice(refs["partners"])
            row[index["organization_id"]] = org
            row[index["channel"]] = rng.choices(*CHANNELS_PARTNER)[0]
            row[index["contact_name"]] = "Okul Müdürü" if deal else "İlgili Kişi"
            if deal:
                row[index["agreement_id"]] = deal
            else:
                row[index["needs_acceptance"]] = age < 1 and rng.random() < 0.5
                if not row[index["needs_acceptance"]]:
                    row[index["accepted_by_id"]] = mudur
                    row[index["accepted_at"]] = utc(local + dt.timedelta(hours=1))
        else:
            person, unit = rng.choice(refs["staff"])
            row[index["requester_id"]] = person
            row[index["requester_unit_id"]] = unit
            row[index["channel"]] = rng.choices(*CHANNELS_STAFF)[0]
            row[index["agreement_id"]] = refs["internal"]
        day = local.date()
        if partner_flags[n] and row[index["channel"]] == "public_form" and rng.random() < 0.01:
            row[index["state"]] = "unconfirmed"
            row[index["updated_at"]] = utc(local)
            return row
        opened[queue, day] += 1
        technician = rng.choice(refs["technicians"][queue])
        if rng.random() < _p_open(age):
            state = rng.choices(
                [
                    "new",
                    "assigned",
                    "in_progress",
                    "waiting_requester",
                    "waiting_vendor",
                    "waiting_part",
                ],
                [30, 25, 25, 8, 6, 6],
            )[0]
            row[index["state"]] = state
            if state != "new":
                row[index["assignee_id"]] = technician
                row[index["first_response_at"]] = utc(
                    local + dt.timedelta(minutes=rng.randrange(5, 240))
                )
            if state in ("waiting_requester", "waiting_part"):
                row[index["paused_since"]] = utc(local + dt.timedelta(hours=rng.randrange(1, 48)))
            if resolution_due < now_local and rng.random() < 0.6:
                row[index["resolution_breached"]] = True
                row[index["escalation_level"]] = 2 if age > 5 else 1
                breached_c[queue, resolution_due.date()] += 1
            row[index["updated_at"]] = utc(
                max(local, now_local - dt.timedelta(hours=rng.randrange(0, 48)))
            )
            return row
        roll = rng.random()
        if roll < 0.04 or roll > 0.99:  # cancelled, or merged into an earlier duplicate
            row[index["state"]] = "cancelled" if roll < 0.04 else "merged"
            gone = min(local + dt.timedelta(hours=rng.randrange(1, 30)), now_local)
            row[index["updated_at"]] = utc(gone)
            left[queue, gone.date()] += 1
            return row
        response = local + dt.timedelta(minutes=rng.randrange(3, 300))
        # Resolution: hours to days, heavier tail for low priority.
        hours = rng.expovariate(1 / (8 if priority in ("urgent", "high") else 22))
        resolved = min(local + dt.timedelta(hours=hours, minutes=10), now_local)
        missed = rng.random() < 0.08 or resolved > resolution_due + dt.timedelta(days=2)
        row[index["assignee_id"]] = technician
        row[index["first_response_at"]] = utc(response)
        row[index["response_breached"]] = rng.random() < 0.05
        row[index["resolution_breached"]] = missed
        row[index["resolved_at"]] = utc(resolved)
        row[index["resolution"]] = "Sorun giderildi."
        resolved_c[queue, resolved.date()] += 1
        left[queue, resolved.date()] += 1
        if missed:
            breached_c[queue, min(resolution_due, resolved).date()] += 1
        close = resolved + dt.timedelta(days=rng.choice((3, 3, 4, 5)))
        if close <= now_local:
            row[index["state"]] = "closed"
            row[index["closed_at"]] = utc(close)
            row[index["updated_at"]] = utc(close)
            closed_c[queue, close.date()] += 1
            if rng.random() < 0.25:
                row[index["satisfaction"]] = rng.choices([1, 2, 3, 4, 5], [3, 4, 12, 36, 45])[0]
        else:
            row[index["state"]] = "resolved"
            row[index["updated_at"]] = utc(resolved)
        return row

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA cache_size=-200000")
        for start in range(0, total, CHUNK):
            rows = [row_for(n) for n in range(start, min(start + CHUNK, total))]
            with transaction.atomic():
                cursor.executemany(sql, rows)
    with transaction.atomic():
        TicketCounter.objects.bulk_create(
            [TicketCounter(year=y, last_number=n) for y, n in counters.items()],
            update_conflicts=True,
            unique_fields=["year"],
            update_fields=["last_number"],
        )
        stats = []
        for queue in refs["technicians"]:
            still_open = 0
            for day in days:
                key = (queue, day)
                still_open += opened[key] - left[key]
                stats.append(
                    DailyQueueStat(
                        queue_id=queue,
                        date=day,
                        opened=opened[key],
                        resolved=resolved_c[key],
                        closed=closed_c[key],
                        breached=breached_c[key],
                        open_at_end=max(still_open, 0),
                    )
                )
        DailyQueueStat.objects.bulk_create(stats, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else f"ANALYZE {table}")
    return {
        "requests": total,
        "loaded": total,
        "seconds": round(time.perf_counter() - t0, 1),
        "open": sum(opened.values()) - sum(left.values()),
    }
