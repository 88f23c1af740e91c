from django.core.management.base import BaseCommand

from anping.workdays import calendar, services


class Command(BaseCommand):
    help = (
        "Copy the chinesecalendar package's public holidays and make-up working days into the "
        "working-day calendar (days entered by staff are kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            help="only this year (repeat for several); default: every year the package covers",
        )

    def handle(self, *args, years=None, **options):
        covered = calendar.covered_years()
        for year in years or []:
            if year not in covered:
                self.stderr.write(
                    f"{year}: not covered by the installed chinesecalendar package "
                    f"({min(covered)}-{max(covered)}); enter that year's days in the admin."
                )
        result = services.calendar_sync_from_package(years=years)
        self.stdout.write(
            f"Working-day calendar: {result.created} added, {result.updated} corrected, "
            f"{result.deleted} removed (package covers {min(covered)}-{max(covered)})."
        )
