"""Filter pieces shared by the UI and the API."""

import django_filters
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class OrderingFilter(django_filters.OrderingFilter):
    """Sort choices whose labels follow each request's language.

    django-filter formats "%s (descending)" once, when the class is defined, which freezes the
    labels in the language active at import time.
    """

    def build_choices(self, fields, labels):
        ascending = [(param, labels.get(field, param)) for field, param in fields.items()]
        descending = [
            (f"-{param}", labels.get(f"-{param}", format_lazy("{} ({})", label, _("descending"))))
            for param, label in ascending
        ]
        return [choice for pair in zip(ascending, descending, strict=True) for choice in pair]
