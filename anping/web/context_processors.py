from anping.accounts import access


def portal(request):
    """What every page's shell needs: the user's role and whether they are committee staff."""
    user = getattr(request, "user", None)
    return {
        "user_role": access.role_of(user) if user else "",
        "is_committee_staff": access.is_committee_staff(user) if user else False,
    }
