"""The published API description: committed, current, and served without any CDN."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

COMMITTED = Path(settings.BASE_DIR) / "docs" / "api" / "openapi.yaml"
REGENERATE = (
    ".venv/bin/python manage.py spectacular --lang en --validate --fail-on-warn "
    "--file docs/api/openapi.yaml"
)


@pytest.mark.django_db
def test_committed_schema_is_current(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", lang="en", validate=True, fail_on_warn=True, file=str(generated))
    assert generated.read_text() == COMMITTED.read_text(), f"Schema is stale; run: {REGENERATE}"


@pytest.mark.django_db
def test_schema_endpoint_serves_openapi_3(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


@pytest.mark.django_db
def test_docs_page_uses_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert not re.search(r"cdn|jsdelivr|unpkg", html, re.IGNORECASE), html
    assert "/static/drf_spectacular_sidecar/" in html
