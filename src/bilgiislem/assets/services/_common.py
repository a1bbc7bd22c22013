"""Helpers shared by the assets services."""

from django.utils.translation import gettext as _

from bilgiislem.core.errors import PermissionDeniedError

from .. import permissions


def require_registrar(actor):
    """The kayıt yetkilisi's (or the Director's) post, else a refusal."""
    post = permissions.kayit_post(actor) or permissions.harcama_post(actor)
    if post is None:
        raise PermissionDeniedError(
            _("Only the movable property officer or the Director may do this.")
        )
    return post


def require_place_manager(actor):
    post = (
        permissions.kayit_post(actor)
        or permissions.harcama_post(actor)
        or permissions.chief_post(actor)
    )
    if post is None:
        raise PermissionDeniedError(
            _("Only the movable property officer, the Director or the Chief may do this.")
        )
    return post


def acting_for(post):
    """The post to record in the audit trail when the actor used an acting assignment."""
    return post.position if post is not None and post.acting is not None else None
