"""`motverka audit verify` and `motverka audit anchor` (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motverka.audit.verification import anchor_head, read_anchors, verify_chain


class Command(BaseCommand):
    help = "Kontrollerar loggens kedja (verify) eller skriver ner dess huvud (anchor)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        verify = commands.add_parser(
            "verify", help="Kontrollera hela kedjan och jämför med tidigare ankare."
        )
        verify.add_argument("--anchors", type=Path, help="Ankarfil (standard AUDIT_ANCHOR_FILE).")
        verify.add_argument("--batch-size", type=int, default=2000)
        anchor = commands.add_parser("anchor", help="Skriv kedjans huvud till ankarfilen.")
        anchor.add_argument("--anchors", type=Path, help="Ankarfil (standard AUDIT_ANCHOR_FILE).")
        anchor.add_argument(
            "--email",
            action="append",
            default=None,
            help="Skicka ankaret även hit (kan upprepas; standard AUDIT_ANCHOR_EMAIL).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self._verify(options)
        else:
            self._anchor(options)

    def _verify(self, options: dict[str, Any]) -> None:
        anchors = read_anchors(options["anchors"])
        result = verify_chain(anchors=anchors, batch_size=options["batch_size"])
        if result.broken is not None:
            broken = result.broken
            where = f"löpnummer {broken.sequence}" + (
                f", id {broken.id}" if broken.id is not None else ""
            )
            raise CommandError(f"Loggens kedja är bruten vid {where}: {broken.reason}.")
        pseudonymised = (
            f", varav {result.pseudonymised} pseudonymiserade vid gallring"
            + (f" ({result.sealed} förseglade i format 1)" if result.sealed else "")
            if result.pseudonymised
            else ""
        )
        self.stdout.write(
            f"Loggens kedja är hel: {result.rows} händelser{pseudonymised}, senaste löpnummer "
            f"{result.head_sequence}, jämförd med {result.anchors} ankare."
        )

    def _anchor(self, options: dict[str, Any]) -> None:
        recipients = options["email"] if options["email"] is not None else None
        record = anchor_head(
            path=options["anchors"],
            recipients=recipients if recipients is not None else settings.AUDIT_ANCHOR_EMAIL,
        )
        self.stdout.write(
            f"Ankare skrivet: löpnummer {record['sequence']}, kontrollsumma {record['hash']}."
        )
