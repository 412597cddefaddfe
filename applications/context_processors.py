def navigation(request):
    """Which parts of the navigation the signed-in person has: roles are per relationship."""
    user = request.user
    if not user.is_authenticated:
        return {"nav_is_fund_staff": False, "nav_is_network_member": False}
    return {
        "nav_is_fund_staff": user.fund_memberships.exists(),
        "nav_is_network_member": user.network_memberships.exists(),
    }
