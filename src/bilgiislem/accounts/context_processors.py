def navigation(request):
    """The menu a person sees follows their posts (UI.md)."""
    from .navigation import menu_for

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_menu": menu_for(user)}
