"""The portal's URLs plus the benchmark's floor: one bare insert through the same stack, the
figure the ballot's latencies are read against; and a bare page (no database), the figure the
residents' submissions are read against. Mounted only by `tests.bench.settings`."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def bench_floor(request, poll_id: int):
    from livelihood.models import Ballot

    Ballot.objects.create(poll_id=poll_id)
    return HttpResponse("ok")


def bench_bare_page(request):
    """The residents' floor: a page through the same server and middleware, no database."""
    return HttpResponse("ok")


urlpatterns = [
    path("opinions/bench-floor/", bench_bare_page, name="bench_bare_page"),
    path("livelihood/bench-floor/<int:poll_id>/", bench_floor, name="bench_floor"),
    path("", include("anping.urls")),
]
