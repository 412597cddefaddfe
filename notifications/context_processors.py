from notifications.selectors import unread_count


def inbox(request):
    """The unread count in the navigation, counted only when a page shows it."""
    user = request.user
    if not user.is_authenticated:
        return {"nav_unread": 0}
    return {"nav_unread": lambda: unread_count(user)}
