from django.core.management.base import BaseCommand

from anping.regions.anyang import load_anyang


class Command(BaseCommand):
    help = "Load Anyang's region tree (idempotent)."

    def handle(self, *args, **options):
        city = load_anyang()
        self.stdout.write(f"{city.name}: {city.__class__.objects.within(city).count()} regions")
