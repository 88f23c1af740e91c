"""Two rules every request and response of the portal keeps, written once here."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.cache import patch_cache_control

NUL = "\x00"


def _has_nul(data) -> bool:
    for key, values in data.lists():
        if NUL in key or any(NUL in value for value in values if isinstance(value, str)):
            return True
    return False


class RejectNulMiddleware:
    """A NUL character is never part of a real address, search or form, and PostgreSQL refuses
    it in a string: rather than each view failing on it, the request is answered 400 with a
    Chinese page before any view reads it (path, query string, form fields and their names)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            NUL in request.path_info
            or _has_nul(request.GET)
            or (request.method == "POST" and _has_nul(request.POST))
        ):
            return render(request, "400.html", status=400)
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Every page answered to a signed-in person may carry personal data (a deputy's record,
    phone numbers, suggestions): no browser or proxy keeps a copy (`Cache-Control: no-store`),
    so the back button on a shared office computer shows nothing after logging out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
