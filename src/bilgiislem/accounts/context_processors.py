def navigation(request):
    """The menu a person sees follows their posts (UI.md)."""
    from .navigation import current_key, menu_for

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    menu = menu_for(user)
    return {"nav_menu": menu, "nav_current": current_key(menu, request.path)}
