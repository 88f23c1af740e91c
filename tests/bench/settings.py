"""The benchmark server's settings: the test settings, plus the bench's own URLconf (the floor
view). Only `tests/bench/bench_livelihood.py` starts a server with them; the product never
loads the floor."""

from tests.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
