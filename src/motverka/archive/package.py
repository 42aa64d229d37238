"""The delivery package (leveranspaket) of a case kept for the e-archive.

One ZIP per case following FGS Paketstruktur (E-ARK CSIP/SIP)::

    <OBJID>/sip.xml                 METS: agents, the metadata file, every file with SHA-256
    <OBJID>/Metadata/arende.xml     the case in FGS Ärendehantering (FGS-ERMS)
    <OBJID>/Content/journal.pdf     the journal as PDF/A
    <OBJID>/Content/skrivelse-N.pdf each finalised letter's PDF/A, as it was finalised
    <OBJID>/System/*.xsd            the schemas the package was validated against

Both XML files are validated with lxml against the project's schemas (``schemas/``, written
from the published specifications; docs/archive.md) before the package is written; a
package that does not validate is never written and the case is not disposed of.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from lxml import etree

from motverka.archive.retention import RULES_BY_CODE, RetentionDecision
from motverka.cases.models import Case, JournalEntry
from motverka.letters.models import Letter, LetterDocument, LetterStatus
from motverka.letters.rendering import pdf_from_html, sha256_of

ERMS = "http://xml.ra.se/e-arkiv/FGS-ERMS"
METS = "http://www.loc.gov/METS/"
XLINK = "http://www.w3.org/1999/xlink"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
PROFILE = "http://xml.ra.se/e-arkiv/METS/CommonSpecificationSwedenPackageProfile.xml"
SCHEMA_DIR = Path(__file__).parent / "schemas"
SCHEMA_FILES = ("FGS-ERMS-subset.xsd", "METS-FGS-subset.xsd", "xlink-subset.xsd")


class PackageInvalid(Exception):
    """A generated XML file did not validate: a bug, never a user error."""


@dataclass(frozen=True)
class PackageFile:
    path: str  # inside the package folder, e.g. "Content/journal.pdf"
    data: bytes
    mimetype: str
    created: datetime

    @property
    def sha256(self) -> str:
        return sha256_of(self.data)


@dataclass(frozen=True)
class Document:
    identifier: str
    title: str
    created: date
    file: PackageFile


@dataclass(frozen=True)
class Package:
    objid: str
    filename: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / name)))


def validate(xml: bytes, schema_name: str) -> None:
    schema = _schema(schema_name)
    document = etree.fromstring(xml)
    if not schema.validate(document):
        raise PackageInvalid(str(schema.error_log))


def _objid(case: Case) -> str:
    return "motverka-" + case.reference.replace(" ", "-").replace("/", "-")


def _documents(case: Case) -> list[Document]:
    now = timezone.now()
    entries = list(
        JournalEntry.objects.filter(case=case).select_related("author").order_by("entry_date", "id")
    )
    journal_pdf = pdf_from_html(
        render_to_string("archive/journal_document.html", {"case": case, "entries": entries})
    )
    documents = [
        Document(
            identifier=f"{case.reference} journal",
            title="Journal",
            created=timezone.localdate(now),
            file=PackageFile("Content/journal.pdf", journal_pdf, "application/pdf", now),
        )
    ]
    letters = Letter.objects.filter(case=case).exclude(status=LetterStatus.DRAFT).order_by("id")
    pdfs = {
        document.letter_id: document
        for document in LetterDocument.objects.filter(letter__in=letters)
    }
    for letter in letters:
        document = pdfs.get(letter.pk)
        if document is None:
            continue
        documents.append(
            Document(
                identifier=f"{case.reference} skrivelse {letter.pk}",
                title=letter.subject,
                created=letter.letter_date,
                file=PackageFile(
                    f"Content/skrivelse-{letter.pk}.pdf",
                    bytes(document.pdf),
                    "application/pdf",
                    document.created_at,
                ),
            )
        )
    return documents


def _text(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ERMS}}}{tag}")
    element.text = text
    return element


def erms_xml(case: Case, decision: RetentionDecision, documents: list[Document]) -> bytes:
    root = etree.Element(f"{{{ERMS}}}Leveransobjekt", nsmap={None: ERMS})
    listing = etree.SubElement(root, f"{{{ERMS}}}ArkivobjektListaArenden")
    arende = etree.SubElement(listing, f"{{{ERMS}}}ArkivobjektArende")
    _text(arende, "ArkivobjektID", case.reference)
    _text(arende, "Arendemening", "Misstänkt aktiv medverkan till bosättning i annan kommun")
    _text(arende, "Arendetyp", "Aktiv medverkan")
    _text(arende, "StatusArande", "Avslutat")
    _text(arende, "Skapad", case.received_on.isoformat())
    _text(arende, "Avslutat", (case.closed_on or decision.due_from).isoformat())
    gallring = etree.SubElement(arende, f"{{{ERMS}}}Gallring")
    _text(gallring, "Bevaras", "true")
    _text(gallring, "Regel", str(decision.rule.label))
    _text(gallring, "Lagrum", RULES_BY_CODE[decision.rule].legal_reference)
    agents = [("Ansvarig enhet", case.unit.name, settings.MOTVERKA_ARCHIVE_CREATOR)]
    if case.assigned_to is not None:
        agents.append(("Handläggare", case.assigned_to.display_name(), case.unit.name))
    for role, name, organisation in agents:
        agent = etree.SubElement(arende, f"{{{ERMS}}}Agent")
        _text(agent, "Roll", role)
        _text(agent, "Namn", name)
        _text(agent, "Organisationsnamn", organisation)
    handlingar = etree.SubElement(arende, f"{{{ERMS}}}ArkivobjektListaHandlingar")
    for document in documents:
        handling = etree.SubElement(handlingar, f"{{{ERMS}}}ArkivobjektHandling")
        _text(handling, "ArkivobjektID", document.identifier)
        _text(handling, "Rubrik", document.title or "Handling")
        _text(handling, "Skapad", document.created.isoformat())
        etree.SubElement(
            handling,
            f"{{{ERMS}}}Bilaga",
            Namn=document.file.path.rsplit("/", 1)[-1],
            Lank=document.file.path,
            Storlek=str(len(document.file.data)),
            Checksumma=document.file.sha256,
            ChecksummaMetod="SHA-256",
            Format="PDF/A",
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.get_current_timezone()).isoformat(timespec="seconds")


def mets_xml(case: Case, objid: str, metadata: PackageFile, files: list[PackageFile]) -> bytes:
    now = timezone.now()
    xlink_type, xlink_href = f"{{{XLINK}}}type", f"{{{XLINK}}}href"
    root = etree.Element(
        f"{{{METS}}}mets",
        nsmap={None: METS, "xlink": XLINK, "csip": CSIP},
        OBJID=objid,
        LABEL=f"Ärende {case.reference}",
        TYPE="ERMS",
        PROFILE=PROFILE,
    )
    root.set(f"{{{CSIP}}}CONTENTINFORMATIONTYPE", "FGS-ERMS")
    header = etree.SubElement(root, f"{{{METS}}}metsHdr", CREATEDATE=_iso(now), RECORDSTATUS="NEW")
    header.set(f"{{{CSIP}}}OAISPACKAGETYPE", "SIP")
    for role, kind, name, other in [
        ("ARCHIVIST", "ORGANIZATION", settings.MOTVERKA_ARCHIVE_CREATOR, None),
        ("CREATOR", "ORGANIZATION", case.unit.name, None),
        ("CREATOR", "OTHER", "Motverka", "SOFTWARE"),
    ]:
        agent = etree.SubElement(header, f"{{{METS}}}agent", ROLE=role, TYPE=kind)
        if other:
            agent.set("OTHERTYPE", other)
        etree.SubElement(agent, f"{{{METS}}}name").text = name
    record = etree.SubElement(header, f"{{{METS}}}altRecordID", TYPE="DELIVERYTYPE")
    record.text = "ERMS"
    dmd = etree.SubElement(root, f"{{{METS}}}dmdSec", ID="dmd-erms", CREATED=_iso(now))
    reference = etree.SubElement(
        dmd,
        f"{{{METS}}}mdRef",
        LOCTYPE="URL",
        MDTYPE="OTHER",
        OTHERMDTYPE="FGS-ERMS",
        MIMETYPE="text/xml",
        SIZE=str(len(metadata.data)),
        CHECKSUM=metadata.sha256,
        CHECKSUMTYPE="SHA-256",
    )
    reference.set(xlink_type, "simple")
    reference.set(xlink_href, metadata.path)
    file_sec = etree.SubElement(root, f"{{{METS}}}fileSec")
    groups: dict[str, list[tuple[str, PackageFile]]] = {}
    for number, file in enumerate(files, start=1):
        groups.setdefault(file.path.split("/", 1)[0], []).append((f"file-{number}", file))
    for use, members in groups.items():
        group = etree.SubElement(file_sec, f"{{{METS}}}fileGrp", USE=use)
        for identifier, file in members:
            entry = etree.SubElement(
                group,
                f"{{{METS}}}file",
                ID=identifier,
                MIMETYPE=file.mimetype,
                SIZE=str(len(file.data)),
                CREATED=_iso(file.created),
                CHECKSUM=file.sha256,
                CHECKSUMTYPE="SHA-256",
            )
            location = etree.SubElement(entry, f"{{{METS}}}FLocat", LOCTYPE="URL")
            location.set(xlink_type, "simple")
            location.set(xlink_href, file.path)
    struct = etree.SubElement(root, f"{{{METS}}}structMap", TYPE="PHYSICAL", LABEL="CSIP")
    top = etree.SubElement(struct, f"{{{METS}}}div", LABEL=objid, DMDID="dmd-erms")
    for use, members in groups.items():
        division = etree.SubElement(top, f"{{{METS}}}div", LABEL=use)
        for identifier, _file in members:
            etree.SubElement(division, f"{{{METS}}}fptr", FILEID=identifier)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def build_package(case: Case, decision: RetentionDecision) -> Package:
    """The package in memory, both XML files validated."""
    objid = _objid(case)
    documents = _documents(case)
    now = timezone.now()
    erms = erms_xml(case, decision, documents)
    validate(erms, "FGS-ERMS-subset.xsd")
    metadata = PackageFile("Metadata/arende.xml", erms, "text/xml", now)
    schemas = [
        PackageFile(f"System/{name}", (SCHEMA_DIR / name).read_bytes(), "text/xml", now)
        for name in SCHEMA_FILES
    ]
    files = [document.file for document in documents] + [metadata, *schemas]
    sip = mets_xml(case, objid, metadata, files)
    validate(sip, "METS-FGS-subset.xsd")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{objid}/sip.xml", sip)
        for file in files:
            archive.writestr(f"{objid}/{file.path}", file.data)
    return Package(objid=objid, filename=f"{objid}.zip", data=buffer.getvalue())


def write_package(package: Package) -> Path:
    directory = Path(settings.MOTVERKA_ARCHIVE_PACKAGE_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / package.filename
    temporary = path.with_suffix(".part")
    temporary.write_bytes(package.data)
    temporary.replace(path)
    return path
