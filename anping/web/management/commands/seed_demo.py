import importlib
import random

from django.core.management.base import BaseCommand
from django.db import transaction

from anping.accounts.models import User
from anping.web import demo

# Each app may add its demo data in `<app>/demo.py` with a `seed(ctx)` function; they run in
# this order, lower apps first, so that each can use what the ones before it made.
DEMO_MODULES = [
    "anping.web.demo",
    "anping.workdays.demo",
    "deputies.demo",
    "stations.demo",
    "proposals.demo",
    "livelihood.demo",
    "legislation.demo",
    "opinions.demo",
    "anping.notifications.demo",
    "anping.reports.demo",
]


class Command(BaseCommand):
    help = "Build a realistic, deterministic Anyang for demonstration and benchmarks."

    def add_arguments(self, parser):
        parser.add_argument(
            "--deputies",
            type=int,
            default=9700,
            help="number of mandates (default: Anyang's 9,700)",
        )
        parser.add_argument("--seed", type=int, default=20240923)
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if demo data exists"
        )

    def handle(self, *args, **options):
        if options["if_empty"] and User.objects.filter(username="city").exists():
            self.stdout.write("Demo data already present.")
        else:
            ctx = demo.DemoContext(
                rng=random.Random(options["seed"]), stdout=self.stdout, deputies=options["deputies"]
            )
            self.stdout.write("Building demo data ...")
            with transaction.atomic():
                for name in DEMO_MODULES:
                    try:
                        module = importlib.import_module(name)
                    except ModuleNotFoundError as exc:
                        if exc.name != name:
                            raise
                        continue
                    module.seed(ctx)
        self.stdout.write(
            self.style.SUCCESS(
                f"\nDemo accounts (password: {demo.DEMO_PASSWORD}):\n"
                "  city       city committee staff  → /admin/\n"
                "  linzhou    林州市 county staff     → /admin/\n"
                "  deputy     a city deputy         → /portal/ (phone)\n"
                "  unit       handling-unit staff   → /portal/\n"
                "  evaluator  third-party evaluator → /portal/\n"
                "  admin      superuser\n"
            )
        )
