"""The code list loader and the demo command (kalem becomes the kayıt yetkilisi)."""

import pytest
from django.core.management import call_command

from bilgiislem.assets import permissions
from bilgiislem.assets.models import Asset, Site, TasinirCode
from bilgiislem.assets.services.codes import tasinir_codes_load
from bilgiislem.core.errors import DomainError
from bilgiislem.organization.models import Person

pytestmark = pytest.mark.django_db


def test_code_list_loads_parents_and_updates_titles():
    made = tasinir_codes_load(
        data={"codes": [{"code": "255.02", "title": "Makine"}, {"code": "255", "title": "D"}]}
    )
    assert (made.created, made.updated) == (2, 0)
    assert TasinirCode.objects.get(code="255.02").parent.code == "255"
    again = tasinir_codes_load(data={"codes": [{"code": "255", "title": "Demirbaşlar"}]})
    assert (again.created, again.updated) == (0, 1)
    with pytest.raises(DomainError):
        tasinir_codes_load(data={"codes": [{"code": "1"}]})


def test_demo_command_twice(capsys):
    call_command("assets_demo")
    call_command("assets_demo")
    kalem = Person.objects.get(username="kalem")
    assert permissions.kayit_post(kalem) is not None
    assert Site.objects.count() == 3
    assert Asset.objects.count() == 11
    assert TasinirCode.objects.filter(code="255", is_sample=False).exists()
    assert Asset.objects.filter(room__name="105 Yazı İşleri").count() == 2
