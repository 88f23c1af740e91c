"""Writes to accounts: made, changed and unlocked only here, each checked against the writer's
scope (the account's region and unit both), so that an admin page or a command cannot give an
account more than its maker holds, nor make one its maker then cannot see."""

from __future__ import annotations

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils.translation import gettext as _

from anping.errors import DomainError, NotAllowed

from . import access
from .models import User

STAFF_ROLES = (User.Role.CITY_STAFF, User.Role.COUNTY_STAFF)


def account_problems(*, account: User, by: User) -> dict[str, str]:
    """What keeps `by` from saving `account` as it stands, by field (empty when nothing does).

    The predicate of `account_save`: the admin form shows these beside the fields, the service
    refuses the same. Staff give an account only what they hold themselves: a region inside their
    own, a unit of their region, never the city staff role unless they are city staff; and every
    account they make must stay in their own list (a region, or for unit staff a unit, in scope),
    or it would vanish from its maker's sight."""
    problems: dict[str, str] = {}
    if not access.is_committee_staff(by):
        return {"": _("Only committee staff manage accounts.")}
    region = account.region if account.region_id else None
    organisation = account.organisation if account.organisation_id else None
    if region is not None and not access.manages_region(by, region):
        problems["region"] = _("You can only give accounts a region you manage.")
    if organisation is not None and not access.manages_region(by, organisation.region):
        problems["organisation"] = _("You can only give accounts a unit of the region you manage.")
    if account.role == User.Role.CITY_STAFF and not access.is_city_staff(by):
        problems["role"] = _("Only city staff can make city staff accounts.")
    if account.role in STAFF_ROLES and region is None:
        problems.setdefault("region", _("Committee staff must have a region."))
    if account.role == User.Role.UNIT_STAFF and organisation is None:
        problems.setdefault("organisation", _("Handling-unit staff must belong to a unit."))
    if (
        account.role in (User.Role.EVALUATOR, User.Role.DEPUTY, "")
        and region is None
        and not by.is_superuser
    ):
        problems.setdefault(
            "region",
            _("Give the account a region you manage, or it would vanish from your list."),
        )
    if account.is_superuser and not by.is_superuser:
        problems.setdefault("role", _("Only the superuser can make superusers."))
    return problems


def account_save(*, account: User, by: User) -> User:
    """Save an account made or changed by committee staff (see `account_problems`). Committee
    staff use the admin and nobody else does: `is_staff` follows the role."""
    problems = account_problems(account=account, by=by)
    if problems:
        raise NotAllowed(next(iter(problems.values())))
    with transaction.atomic():
        if account.pk is not None:
            before = User.objects.select_for_update().filter(pk=account.pk).first()
            # The account changed must already be one the writer may see.
            if before is None or not access.in_scope(by, before):
                raise NotAllowed(_("This is outside your region."))
            if before.is_superuser and not by.is_superuser:
                raise NotAllowed(_("Only the superuser can change a superuser."))
        account.is_staff = account.role in STAFF_ROLES or account.is_superuser
        account.save()
    return account


def account_delete(*, account: User, by: User) -> None:
    """Remove an account. Staff remove only accounts in their scope, never their own nor a
    superuser's; an account that others' records point to cannot go (deactivate it instead)."""
    from django.db.models import ProtectedError

    if not access.is_committee_staff(by) or not access.in_scope(by, account):
        raise NotAllowed(_("This is outside your region."))
    if account.pk == by.pk:
        raise NotAllowed(_("You cannot remove your own account."))
    if account.is_superuser and not by.is_superuser:
        raise NotAllowed(_("Only the superuser can change a superuser."))
    try:
        with transaction.atomic():
            account.delete()
    except ProtectedError as exc:
        raise DomainError(
            _("This account is referred to by other records: deactivate it instead.")
        ) from exc


def may_unlock(*, account: User, by: User) -> bool:
    """Committee staff unlock the accounts in their own list (the lockout page tells people so)."""
    return access.is_committee_staff(by) and access.in_scope(by, account)


def account_unlock(*, account: User, by: User) -> int:
    """Lift django-axes' lockout of one account after repeated failed logins, and record who did
    it in the admin's history of the account. Returns how many failure records were cleared."""
    from axes.utils import reset

    if not may_unlock(account=account, by=by):
        raise NotAllowed(_("This is outside your region."))
    with transaction.atomic():
        cleared = reset(username=account.get_username())
        LogEntry.objects.log_actions(
            user_id=by.pk,
            queryset=[account],
            action_flag=CHANGE,
            change_message=_("Unlocked after failed logins."),
            single_object=True,
        )
    return cleared
