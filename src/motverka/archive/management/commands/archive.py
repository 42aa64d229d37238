"""`motverka archive …`: retention and disposal from the command line (docs/archive.md).

    motverka archive due                          the cases due today, their rule and date
    motverka archive propose --user ARKIV         a disposal list of them
    motverka archive review LIST --user ARKIV     the archivist's review
    motverka archive approve LIST --user CHEF     the unit manager's approval (queues it)
    motverka archive run LIST                     carry out an approved list now
    motverka archive records                      the disposal records

Each step runs the same service as the page, as the named user, and is logged.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motverka.archive import services
from motverka.archive.models import DisposalRecord
from motverka.archive.selectors import cases_due
from motverka.cases.errors import AccessDenied, Conflict, NotFound


class Command(BaseCommand):
    help = "Gallring: visa aktuella ärenden, föreslå, granska, godkänn och utför gallring."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        commands.add_parser("due", help="Ärenden som är aktuella för gallring i dag.")
        propose = commands.add_parser("propose", help="Föreslå en gallringslista.")
        propose.add_argument("--user", required=True, help="Arkivansvarigs användarnamn.")
        for name, role in (("review", "Arkivansvarigs"), ("approve", "Enhetschefens")):
            step = commands.add_parser(name)
            step.add_argument("list_id", type=int)
            step.add_argument("--user", required=True, help=f"{role} användarnamn.")
        run = commands.add_parser("run", help="Utför en godkänd lista nu (utan kön).")
        run.add_argument("list_id", type=int)
        commands.add_parser("records", help="Gallringsbesluten.")

    def _user(self, username: str) -> Any:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Ingen aktiv användare {username!r}.")
        return user

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['subcommand']}")(options)
        except AccessDenied as error:
            raise CommandError("Användaren har inte behörighet till det steget.") from error
        except NotFound as error:
            raise CommandError("Listan finns inte.") from error
        except Conflict as error:
            raise CommandError(error.message) from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error

    def _due(self, options: dict[str, Any]) -> None:
        due = cases_due(today=timezone.localdate())
        for item in due:
            decision = item.decision
            self.stdout.write(
                f"{item.case.reference}\t{item.case.unit.name}\t{decision.outcome.label}\t"
                f"{decision.label}\tsista anteckning {item.facts.last_entry_on:%Y-%m-%d}\t"
                f"gallras senast {decision.due_by:%Y-%m-%d}"
            )
        self.stdout.write(f"{len(due)} ärenden aktuella för gallring.")

    def _propose(self, options: dict[str, Any]) -> None:
        disposal_list = services.disposal_list_propose(acting_user=self._user(options["user"]))
        self.stdout.write(
            f"Gallringslista {disposal_list.pk} föreslagen med "
            f"{disposal_list.items.count()} ärenden."
        )

    def _review(self, options: dict[str, Any]) -> None:
        services.disposal_list_review(
            acting_user=self._user(options["user"]), disposal_list_id=options["list_id"]
        )
        self.stdout.write(f"Gallringslista {options['list_id']} granskad.")

    def _approve(self, options: dict[str, Any]) -> None:
        services.disposal_list_approve(
            acting_user=self._user(options["user"]), disposal_list_id=options["list_id"]
        )
        self.stdout.write(
            f"Gallringslista {options['list_id']} godkänd; gallringen utförs av `motverka "
            "db_worker` (eller nu med `motverka archive run`)."
        )

    def _run(self, options: dict[str, Any]) -> None:
        records = services.disposal_list_execute(disposal_list_id=options["list_id"])
        for record in records:
            delivered = f", levererat {record.package_name}" if record.package_name else ""
            self.stdout.write(f"{record.case_reference}: {record.get_outcome_display()}{delivered}")
        self.stdout.write(f"{len(records)} ärenden gallrade.")

    def _records(self, options: dict[str, Any]) -> None:
        for record in DisposalRecord.objects.select_related("approved_by", "reviewed_by"):
            self.stdout.write(
                f"{record.disposed_at:%Y-%m-%d %H:%M}\t{record.case_reference}\t"
                f"{record.get_rule_display()}\t{record.get_outcome_display()}\t"
                f"granskad av {record.reviewed_by.display_name()}, godkänd av "
                f"{record.approved_by.display_name()}\t{record.pseudonym}\t{record.package_name}"
            )
