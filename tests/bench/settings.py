"""The benchmark server's settings: the test settings, plus the bench's own URLconf (the floor
views). `bench_livelihood.py` and `bench_opinions.py` start a server with them; the product never
loads the floor."""

from tests.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
