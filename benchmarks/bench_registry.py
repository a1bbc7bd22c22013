"""Figures for the document registry (issue 3, "Performance").

Every ratio compares with a baseline measured in the same run, on the same database:
- register: the service (number, row, audit, search index) vs a plain ORM save of the same
  row plus one plain audit row, each in its own transaction;
- attach: 1 MiB files through core.storage + a DocumentFile row vs raw write, fsync, rename,
  SHA-256;
- search: the selector with the permission scope of a real user (mudur) vs the raw FTS query
  on the same index, same queries, same order (newest first), at BENCH_DOCS documents
  (default 1,000,000) of synthetic Turkish text that this module generates and bulk-loads;
- list: the registry list page through the test Client (logged in, 50 rows, one filter) vs a
  bare Django view rendering the same 50 rows of the same table;
- numbering: duplicates and gaps after 1,000 registrations from 8 concurrent workers.

Environment: BENCH_DOCS (documents for search/list), BENCH_SEED.
"""

import datetime
import hashlib
import io
import os
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from django.db import connection, transaction

ROUNDS = 3
REGISTER_N = 300
ATTACH_N = 24
MIB = 1024 * 1024
QUERIES_PER_KIND = 60
WARMUP = 20
LIST_REQUESTS = 40


def _p95(samples):
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


def _ms(seconds):
    return round(seconds * 1000, 2)


def _ensure_org():
    from django.conf import settings

    from bilgiislem.organization.loading import demo_load, organization_load
    from bilgiislem.organization.models import Person

    if not Person.objects.filter(username="mudur").exists():
        organization_load(settings.BILGIISLEM_ORGANIZATION_FILE)
        demo_load(settings.BILGIISLEM_ORGANIZATION_FILE)


def _database_line():
    vendor = connection.vendor
    if vendor == "sqlite":
        import sqlite3

        version = sqlite3.sqlite_version
    else:
        version = (
            ".".join(str(p) for p in connection.pg_version_tuple())
            if hasattr(connection, "pg_version_tuple")
            else ""
        )
    return f"# database: {vendor} {version} ({connection.settings_dict['NAME']})"


# --- registering ---------------------------------------------------------------------------


def _bench_register(people, units):
    from bilgiislem.audit.models import AuditEvent
    from bilgiislem.registry.models import Document
    from bilgiislem.registry.services import document_register

    kalem, registry, other = people["kalem"], units["bilgi-islem"], units["yazi-isleri"]
    baseline_number = [0]
    baseline_seq = [0]
    now = datetime.datetime.now(datetime.UTC)

    def service():
        for i in range(REGISTER_N):
            document_register(
                actor=kalem,
                registry=registry,
                party_kind="person",
                party_name="Ayşe Yıldız",
                subject=f"Şikayet dilekçesi {i} sokak lambası arızası",
                sdp_code="010.01",
            )

    def plain():
        # The same row, saved by the ORM in its own transaction, plus one audit row (negative
        # sequence numbers stay clear of the real chain; this database is thrown away).
        for i in range(REGISTER_N):
            baseline_number[0] += 1
            baseline_seq[0] -= 1
            with transaction.atomic():
                doc = Document(
                    registry=other,
                    registry_year=2000,
                    registry_number=baseline_number[0],
                    direction="incoming",
                    medium="paper",
                    registered_at=now,
                    registered_by=kalem,
                    party_kind="person",
                    party_name="Ayşe Yıldız",
                    subject=f"Şikayet dilekçesi {i} sokak lambası arızası",
                    sdp_code="010.01",
                    search_text=f"sikayet dilekcesi {i} sokak lambasi arizasi",
                )
                doc.save()
                AuditEvent(
                    seq=baseline_seq[0],
                    occurred_at=now,
                    actor=kalem,
                    actor_repr="kalem",
                    action="registry.document.registered",
                    object_type="registry.document",
                    object_id=str(doc.pk),
                    object_repr=doc.subject[:300],
                    changes={"number": doc.registry_number},
                    prev_hash="0" * 64,
                    hash=uuid.uuid4().hex * 2,
                ).save()

    service_rates, plain_rates = [], []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        plain()
        plain_rates.append(REGISTER_N / (time.perf_counter() - t0))
        t0 = time.perf_counter()
        service()
        service_rates.append(REGISTER_N / (time.perf_counter() - t0))
    service_rate = statistics.median(service_rates)
    plain_rate = statistics.median(plain_rates)
    yield "registry.register_per_s", round(service_rate), "docs/s"
    yield "registry.register_baseline_per_s", round(plain_rate), "docs/s"
    yield "registry.register_ratio", round(service_rate / plain_rate, 2), "ratio"


# --- attachments ---------------------------------------------------------------------------


def _bench_attach(people, units):
    from bilgiislem.core import storage
    from bilgiislem.registry.models import Document, DocumentFile

    document = Document.objects.filter(registry=units["bilgi-islem"]).first()
    kalem = people["kalem"]
    storage.blob_root().mkdir(parents=True, exist_ok=True)
    raw_dir = Path(tempfile.mkdtemp(prefix="bench-raw-", dir=storage.blob_root()))

    def blobs():
        return [os.urandom(MIB) for _ in range(ATTACH_N)]

    def through_storage(datas):
        for i, data in enumerate(datas):
            stored = storage.store_stream(io.BytesIO(data), max_bytes=8 * MIB)
            with transaction.atomic():
                DocumentFile.objects.create(
                    document=document,
                    role="annex",
                    filename=f"ek-{i}.pdf",
                    content_type="application/pdf",
                    size=stored.size,
                    sha256=stored.sha256,
                    uploaded_by=kalem,
                )

    def raw(datas):
        for data in datas:
            digest = hashlib.sha256()
            fd, tmp = tempfile.mkstemp(dir=raw_dir)
            with os.fdopen(fd, "wb") as out:
                for start in range(0, len(data), storage.CHUNK_SIZE):
                    chunk = data[start : start + storage.CHUNK_SIZE]
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, raw_dir / digest.hexdigest())

    storage_rates, raw_rates = [], []
    for _ in range(ROUNDS):
        datas = blobs()
        t0 = time.perf_counter()
        raw(datas)
        raw_rates.append(ATTACH_N / (time.perf_counter() - t0))
        datas = blobs()
        t0 = time.perf_counter()
        through_storage(datas)
        storage_rates.append(ATTACH_N / (time.perf_counter() - t0))
    yield "registry.attach_per_s", round(statistics.median(storage_rates)), "files/s (1 MiB)"
    yield "registry.attach_baseline_per_s", round(statistics.median(raw_rates)), "files/s (1 MiB)"
    yield (
        "registry.attach_ratio",
        round(statistics.median(storage_rates) / statistics.median(raw_rates), 2),
        "ratio",
    )


# --- numbering under concurrency -----------------------------------------------------------


def _bench_numbering():
    try:
        from bilgiislem.registry.concurrency import concurrent_registration_check
    except ImportError:
        yield "registry.number_check_missing", 1, "(bilgiislem.registry.concurrency not found)"
        return
    result = concurrent_registration_check(total=1000, workers=8)
    if isinstance(result, dict):
        duplicates, gaps = result.get("duplicates"), result.get("gaps")
    elif isinstance(result, tuple | list):
        duplicates, gaps = result[0], result[1]
    else:
        duplicates, gaps = getattr(result, "duplicates", None), getattr(result, "gaps", None)
    duplicates = len(duplicates) if isinstance(duplicates, list | set | tuple) else duplicates
    gaps = len(gaps) if isinstance(gaps, list | set | tuple) else gaps
    yield "registry.number_duplicates", duplicates, "numbers"
    yield "registry.number_gaps", gaps, "numbers"


# --- the synthetic corpus ------------------------------------------------------------------

_FUNCTION_WORDS = (  # noqa: SIM905
    "ve bir ile için bu da de olarak olan ile ilgili gibi daha çok en her ancak ayrıca ki ne "
    "ya veya hem sonra önce kadar göre üzere "
).split()
_ROOTS = (  # noqa: SIM905
    "belediye imar ruhsat şikayet ışık yol su kanal park bahçe temizlik çöp zabıta iskan "
    "yapı proje ihale sözleşme ödeme fatura vergi harç emlak tapu kadastro plan tadilat "
    "başvuru dilekçe talep itiraz karar meclis encümen komisyon rapor tutanak tespit denetim "
    "ceza tebligat kamulaştırma arsa bina cadde sokak mahalle köprü kaldırım aydınlatma "
    "trafo elektrik doğalgaz altyapı asfalt onarım bakım kazı hafriyat personel atama izin "
    "maaş kadro eğitim sınav sertifika bilgisayar yazıcı ağ sunucu yazılım lisans yedek "
    "güvenlik kamera arşiv evrak kayıt havale zimmet iade talimat süre cevap görüş bilgi "
    "belge nüsha ek ilgi konu sayı tarih imza onay paraf taslak yazışma genelge yönetmelik "
    "kanun madde fıkra bent hüküm dava mahkeme avukat icra haciz borç alacak tahsilat bütçe "
    "muhasebe taşınır demirbaş stok depo araç yakıt servis otobüs durak trafik otopark pazar "
    "esnaf işyeri kültür festival spor saha okul kütüphane sağlık ambulans itfaiye yangın "
    "afet deprem tahliye çadır yardım erzak kömür sosyal engelli yaşlı çocuk kreş mezarlık "
    "cenaze nikah nüfus adres numarataj seçim muhtar dernek vakıf kooperatif çevre gürültü "
    "kirlilik ağaç fidan sulama çeşme havuz plaj liman balıkçı tarım hayvan veteriner kurban "
    "mezbaha "
).split()
_SUFFIXES = [
    "",
    "ler",
    "lar",
    "i",
    "ı",
    "si",
    "sı",
    "nin",
    "nın",
    "de",
    "da",
    "e",
    "a",
    "den",
    "dan",
    "ye",
    "ya",
]
_PLACES = (  # noqa: SIM905
    "İstanbul Iğdır Işıklar Çanakkale Şırnak Ödemiş Üsküdar İzmir Ağrı Muğla Çorum Ünye "
    "İnegöl Şile Ürgüp Çeşme Ortaköy Işıkkent İkizdere Çınarcık Göcek Söke Düzce Uşak Çiğli "
    "Ilıca Şişli "
).split()


def _vocabulary(rng):
    """~4,000 word forms: function words first (most frequent), then roots × suffixes, places."""
    forms = list(_FUNCTION_WORDS)
    for root in _ROOTS:
        forms.extend(root + s for s in rng.sample(_SUFFIXES, 13))
    forms.extend(_PLACES)
    seen, unique = set(), []
    for word in forms:
        if word not in seen:
            seen.add(word)
            unique.append(word)
    head, tail = unique[: len(_FUNCTION_WORDS)], unique[len(_FUNCTION_WORDS) :]
    rng.shuffle(tail)
    return head + tail


def _capitalise(word):
    from bilgiislem.core.text import tr_upper

    return tr_upper(word[:1]) + word[1:]


def _load_corpus(total, rng, people, units):
    """Bulk-insert ``total`` documents (index suspended), then rebuild the full-text index."""
    from bilgiislem.core.text import fold, tr_upper
    from bilgiislem.registry.models import Document
    from bilgiislem.registry.search import rebuild_index, suspend_index

    vocab = _vocabulary(rng)
    folded = [fold(w) for w in vocab]
    weights = [1 / (rank + 1) for rank in range(len(vocab))]
    pool_size = 2_000_003
    pool_idx = rng.choices(range(len(vocab)), weights=weights, k=pool_size)
    pool_words = [vocab[i] for i in pool_idx]
    pool_folded = [folded[i] for i in pool_idx]

    fields = [f for f in Document._meta.concrete_fields if f.column != "id"]
    columns = [f.column for f in fields]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        Document._meta.db_table, ", ".join(columns), ", ".join(["%s"] * len(columns))
    )
    mine, others = units["bilgi-islem"].pk, units["yazi-isleri"].pk
    kalem = people["kalem"].pk
    start = datetime.datetime(2023, 1, 2, 6, 0, tzinfo=datetime.UTC)
    counters = {}
    defaults = {
        "medium": "paper",
        "party_kind": "person",
        "party_identifier": "",
        "party_unit_id": None,
        "sayi": "",
        "document_date": None,
        "urgency": "normal",
        "urgency_date": None,
        "paper_location": "",
        "status": "open",
        "done_at": None,
        "source_id": None,
        "eyp_belge_id": "",
        "registered_by_id": kalem,
    }

    suspend_index(connection)
    t0 = time.perf_counter()
    batch = []
    chunk = 20_000
    ops = connection.ops
    for i in range(total):
        at = start + datetime.timedelta(seconds=60 * i)
        registry = others if i % 10 == 9 else mine
        key = (registry, at.year)
        counters[key] = counters.get(key, 0) + 1
        o = rng.randrange(pool_size - 200)
        subject_words = pool_words[o : o + 8]
        subject = " ".join(subject_words)
        subject = tr_upper(subject) if i % 20 == 0 else _capitalise(subject)
        body_len = rng.randint(110, 190)
        b = rng.randrange(pool_size - body_len)
        party = rng.choice(_PLACES) + " " + rng.choice(("Valiliği", "Kaymakamlığı", "Ltd. Şti."))
        label = f"{at.year}/{counters[key]}"
        text = " ".join(
            (
                label,
                " ".join(pool_folded[o : o + 8]),
                fold(party),
                " ".join(pool_folded[b : b + body_len]),
            )
        )
        row = {
            **defaults,
            "registry_id": registry,
            "registry_year": at.year,
            "registry_number": counters[key],
            "direction": "incoming" if i % 4 else "outgoing",
            "registered_at": ops.adapt_datetimefield_value(at),
            "party_name": party,
            "subject": subject[:500],
            "sdp_code": f"0{i % 9}0.0{i % 7}",
            "secrecy": "gizli" if i % 50 == 7 else "none",
            "search_text": text,
        }
        batch.append([row[c] for c in columns])
        if len(batch) >= chunk:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, batch)
            batch = []
    if batch:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, batch)
    loaded = time.perf_counter() - t0
    t0 = time.perf_counter()
    with transaction.atomic():
        rebuild_index(connection)
    indexed = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return vocab, loaded, indexed


def _queries(vocab, rng):
    """A fixed mix: 1 word, 2 words, 3-letter prefix, 5-letter prefix (of 6+ letter words).

    Words come uniformly from vocabulary ranks 31 and below, so the 30 most frequent (the
    function words) are not asked for, as in perf-limits.md §4.
    """
    candidates = vocab[30:]
    long_words = [w for w in candidates if len(w) >= 6]
    kinds = {
        "word": [rng.choice(candidates) for _ in range(QUERIES_PER_KIND)],
        "two_words": [
            f"{rng.choice(candidates)} {rng.choice(candidates)}" for _ in range(QUERIES_PER_KIND)
        ],
        "prefix3": [rng.choice(candidates)[:3] + "*" for _ in range(QUERIES_PER_KIND)],
        "prefix5": [rng.choice(long_words)[:5] + "*" for _ in range(QUERIES_PER_KIND)],
    }
    return kinds


def _time_each(fn, queries):
    samples = []
    for q in queries:
        t0 = time.perf_counter()
        fn(q)
        samples.append(time.perf_counter() - t0)
    return samples


def _bench_search(vocab, rng, people):
    from bilgiislem.registry.models import Document
    from bilgiislem.registry.search import FTS_TABLE, parse_query, search_ids

    mudur = people["mudur"]
    kinds = _queries(vocab, rng)
    everything = [q for qs in kinds.values() for q in qs]

    def selector(q):
        return search_ids(Document.objects.visible_to(mudur), q, limit=20)

    def ranked(q):
        return search_ids(Document.objects.visible_to(mudur), q, ranked=True, limit=20)

    raw_sql = (
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rowid DESC LIMIT 20"
    )
    expressions = {q: " AND ".join(t.fts5() for t in parse_query(q)) for q in everything}

    def raw(q):
        with connection.cursor() as cursor:
            cursor.execute(raw_sql, [expressions[q]])
            return cursor.fetchall()

    for q in everything[:WARMUP]:
        selector(q), raw(q), ranked(q)
    sel_all, raw_all = [], []
    per_kind = {}
    for kind, queries in kinds.items():
        sel = _time_each(selector, queries)
        base = _time_each(raw, queries)
        sel_all += sel
        raw_all += base
        per_kind[kind] = (_p95(sel), _p95(base))
    rank_all = _time_each(ranked, everything)
    sel_p95, raw_p95 = _p95(sel_all), _p95(raw_all)
    yield "registry.search_p95_ms", _ms(sel_p95), "ms"
    yield "registry.search_raw_p95_ms", _ms(raw_p95), "ms"
    yield "registry.search_ratio", round(sel_p95 / raw_p95, 2), "ratio"
    yield "registry.search_ranked_p95_ms", _ms(_p95(rank_all)), "ms"
    for kind, (sel, base) in per_kind.items():
        yield f"registry.search_p95_ms.{kind}", f"{_ms(sel)} (raw {_ms(base)})", "ms"


# --- the list page -------------------------------------------------------------------------

_BARE_TEMPLATE = """<table>{% for d in documents %}<tr><td>{{ d.number_label }}</td>
<td>{{ d.registered_at|date:"d.m.Y H:i" }}</td><td>{{ d.party_name }}</td><td>{{ d.sayi }}</td>
<td>{{ d.document_date|date:"d.m.Y" }}</td><td>{{ d.subject }}</td>
<td>{{ d.get_secrecy_display }}</td><td>{{ d.get_status_display }}</td></tr>{% endfor %}</table>"""


def _bare_view(request):
    """The same 50 rows of the same table, with no permissions, filters or layout."""
    from django.http import HttpResponse
    from django.template import Context, Engine

    from bilgiislem.registry.models import Document

    rows = Document.objects.filter(status="open", direction="incoming").order_by(
        "-registered_at", "-id"
    )[:50]
    template = Engine.get_default().from_string(_BARE_TEMPLATE)
    return HttpResponse(template.render(Context({"documents": rows})))


def _bench_list(people):
    from django.test import Client, RequestFactory

    client = Client(HTTP_HOST="localhost")
    client.force_login(people["mudur"])
    url = "/evrak/?status=open"
    response = client.get(url)
    if response.status_code != 200:
        yield "registry.list_status", response.status_code, "http"
        return
    factory = RequestFactory(HTTP_HOST="localhost")
    t0 = time.perf_counter()
    client.get(url)
    # A page that takes seconds is measured a few times only (the figure is plain anyway).
    first = time.perf_counter() - t0
    requests = LIST_REQUESTS if first < 1 else 5 if first < 10 else 1
    for _ in range(2 if requests > 1 else 0):
        client.get(url), _bare_view(factory.get("/bare/"))
    page = _time_each(lambda _q: client.get(url), range(requests))
    bare = _time_each(lambda _q: _bare_view(factory.get("/bare/")), range(LIST_REQUESTS))
    yield "registry.list_requests_timed", requests, "requests"
    yield "registry.list_p95_ms", _ms(_p95(page)), "ms"
    yield "registry.list_bare_p95_ms", _ms(_p95(bare)), "ms"
    yield "registry.list_ratio", round(_p95(page) / _p95(bare), 2), "ratio"


# --- entry point ---------------------------------------------------------------------------


def run():
    from bilgiislem.organization.models import OrgUnit, Person

    _ensure_org()
    print(_database_line(), flush=True)
    people = {p.username: p for p in Person.objects.all()}
    units = {u.code: u for u in OrgUnit.objects.all()}
    rng = random.Random(int(os.environ.get("BENCH_SEED", "20261125")))

    yield from _bench_register(people, units)
    yield from _bench_attach(people, units)
    yield from _bench_numbering()

    total = int(os.environ.get("BENCH_DOCS", "1000000"))
    vocab, loaded, indexed = _load_corpus(total, rng, people, units)
    yield "registry.corpus_docs", total, "documents"
    yield "registry.corpus_load_s", round(loaded, 1), "s"
    yield "registry.corpus_index_s", round(indexed, 1), "s"
    yield from _bench_search(vocab, rng, people)
    yield from _bench_list(people)
