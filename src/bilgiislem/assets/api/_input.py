"""Reading request bodies in the assets API: the same two steps in every module."""

from django.utils.translation import gettext as _

from bilgiislem.core.errors import DomainError


def read(serializer_class, data, *, partial=False) -> dict:
    """The validated body (400 naming the fields when it is not)."""
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def row(queryset, pk, field):
    """The row a body refers to by id within ``queryset``, or bad input naming the field."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise DomainError(_("No such item."), field=field)
    return found
