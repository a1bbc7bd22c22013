"""Querysets of the assets app."""

from django.db import models

from .choices import AssetStatus


class AssetQuerySet(models.QuerySet):
    def visible_to(self, person):
        """Assets the person may see (permissions.asset_visibility); nothing if anonymous."""
        from . import permissions

        if not getattr(person, "is_authenticated", False):
            return self.none()
        condition = permissions.asset_visibility(person)
        return self if condition is None else self.filter(condition)

    def active(self):
        return self.exclude(status=AssetStatus.WRITTEN_OFF)

    def for_list(self):
        return self.select_related("code", "room__site", "site", "store", "holder")
