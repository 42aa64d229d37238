"""The delivery package: FGS Paketstruktur with METS sip.xml and FGS Ärendehantering
metadata, every element checked, every file's SHA-256 right, validated by the schemas."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date

import pytest
from lxml import etree

from motverka.archive.demo import identity_number_born, old_closed_case
from motverka.archive.package import (
    ERMS,
    METS,
    XLINK,
    PackageInvalid,
    build_package,
    validate,
)
from motverka.archive.selectors import retention_of
from motverka.letters.models import Letter
from tests.letters.helpers import pdf_xmp

pytestmark = pytest.mark.django_db

NS = {"e": ERMS, "m": METS, "x": XLINK}


@pytest.fixture
def package(world):
    case = old_closed_case(
        worker=world.worker_a,
        unit=world.unit_a,
        received_on=date(2019, 3, 1),
        first_name="Olle",
        last_name="Paketdemo",
        personal_identity_number=identity_number_born(1981, 9, 15),
    )
    (retention,) = retention_of([case])
    built = build_package(case, retention.decision)
    archive = zipfile.ZipFile(io.BytesIO(built.data))
    return case, built, archive


def _files(archive: zipfile.ZipFile, objid: str) -> dict[str, bytes]:
    prefix = f"{objid}/"
    return {name[len(prefix) :]: archive.read(name) for name in archive.namelist()}


def test_the_package_has_the_fgs_folder_structure(package):
    case, built, archive = package
    files = _files(archive, built.objid)
    assert all(name.startswith(f"{built.objid}/") for name in archive.namelist())
    letter = Letter.objects.get(case=case)
    assert set(files) == {
        "sip.xml",
        "Metadata/arende.xml",
        "Content/journal.pdf",
        f"Content/skrivelse-{letter.pk}.pdf",
        "System/FGS-ERMS-subset.xsd",
        "System/METS-FGS-subset.xsd",
        "System/xlink-subset.xsd",
    }
    # The letter is delivered exactly as it was finalised.
    assert hashlib.sha256(files[f"Content/skrivelse-{letter.pk}.pdf"]).hexdigest() == letter.sha256
    assert files["Content/journal.pdf"].startswith(b"%PDF-")
    assert "pdfaid:part" in pdf_xmp(files["Content/journal.pdf"])  # PDF/A identification


def test_every_file_is_in_the_mets_with_its_size_and_sha256(package):
    _case, built, archive = package
    files = _files(archive, built.objid)
    sip = etree.fromstring(files["sip.xml"])
    listed = {}
    for entry in sip.iterfind("m:fileSec/m:fileGrp/m:file", NS):
        location = entry.find("m:FLocat", NS)
        assert location.get("LOCTYPE") == "URL" and location.get(f"{{{XLINK}}}type") == "simple"
        href = location.get(f"{{{XLINK}}}href")
        assert entry.getparent().get("USE") == href.split("/")[0]
        assert entry.get("CHECKSUMTYPE") == "SHA-256"
        assert entry.get("CREATED")
        listed[href] = (entry.get("ID"), int(entry.get("SIZE")), entry.get("CHECKSUM"))
    assert set(listed) == set(files) - {"sip.xml"}
    for href, (_id, size, checksum) in listed.items():
        assert size == len(files[href])
        assert checksum == hashlib.sha256(files[href]).hexdigest()
    # The structure map points at every file exactly once.
    pointers = [pointer.get("FILEID") for pointer in sip.iterfind(".//m:structMap//m:fptr", NS)]
    assert sorted(pointers) == sorted(identifier for identifier, _s, _c in listed.values())


def test_the_mets_header_names_the_package_and_its_agents(package):
    case, built, archive = package
    sip = etree.fromstring(_files(archive, built.objid)["sip.xml"])
    assert sip.tag == f"{{{METS}}}mets"
    assert sip.get("OBJID") == built.objid
    assert sip.get("TYPE") == "ERMS"
    assert sip.get("PROFILE").startswith("http://xml.ra.se/e-arkiv/METS/")
    assert case.reference in sip.get("LABEL")
    header = sip.find("m:metsHdr", NS)
    assert header.get("RECORDSTATUS") == "NEW" and header.get("CREATEDATE")
    assert header.get("{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}OAISPACKAGETYPE") == "SIP"
    agents = [
        (agent.get("ROLE"), agent.get("TYPE"), agent.findtext("m:name", namespaces=NS))
        for agent in header.iterfind("m:agent", NS)
    ]
    assert ("CREATOR", "ORGANIZATION", case.unit.name) in agents
    assert ("CREATOR", "OTHER", "Motverka") in agents
    assert any(role == "ARCHIVIST" for role, _t, _n in agents)
    assert header.findtext("m:altRecordID[@TYPE='DELIVERYTYPE']", namespaces=NS) == "ERMS"
    dmd = sip.find("m:dmdSec", NS)
    assert dmd.get("ID") == "dmd-erms" and dmd.get("CREATED")
    reference = dmd.find("m:mdRef", NS)
    assert reference.get(f"{{{XLINK}}}href") == "Metadata/arende.xml"
    assert reference.get("OTHERMDTYPE") == "FGS-ERMS" and reference.get("CHECKSUMTYPE") == "SHA-256"
    assert reference.get("MDTYPE") == "OTHER" and reference.get("MIMETYPE") == "text/xml"
    struct = sip.find("m:structMap", NS)
    assert (struct.get("TYPE"), struct.get("LABEL")) == ("PHYSICAL", "CSIP")
    top = struct.find("m:div", NS)
    assert top.get("LABEL") == built.objid and top.get("DMDID") == "dmd-erms"
    assert [division.get("LABEL") for division in top.findall("m:div", NS)] == [
        "Content",
        "Metadata",
        "System",
    ]
    # No element the tests did not look at.
    seen = {
        "mets", "metsHdr", "agent", "name", "altRecordID", "dmdSec", "mdRef", "fileSec",
        "fileGrp", "file", "FLocat", "structMap", "div", "fptr",
    }  # fmt: skip
    assert {etree.QName(element).localname for element in sip.iter()} == seen


def test_the_case_metadata_is_fgs_arendehantering(package):
    case, built, archive = package
    files = _files(archive, built.objid)
    root = etree.fromstring(files["Metadata/arende.xml"])
    assert root.tag == f"{{{ERMS}}}Leveransobjekt"
    (arende,) = root.findall("e:ArkivobjektListaArenden/e:ArkivobjektArende", NS)
    assert arende.findtext("e:ArkivobjektID", namespaces=NS) == case.reference
    assert arende.findtext("e:Arendemening", namespaces=NS)
    assert arende.findtext("e:Arendetyp", namespaces=NS) == "Aktiv medverkan"
    assert arende.findtext("e:StatusArande", namespaces=NS) == "Avslutat"
    assert arende.findtext("e:Skapad", namespaces=NS) == case.received_on.isoformat()
    assert arende.findtext("e:Avslutat", namespaces=NS) == case.closed_on.isoformat()
    assert arende.findtext("e:Gallring/e:Bevaras", namespaces=NS) == "true"
    assert "forskning" in arende.findtext("e:Gallring/e:Regel", namespaces=NS)
    assert arende.findtext("e:Gallring/e:Lagrum", namespaces=NS) == "retention_research"
    agents = {
        agent.findtext("e:Roll", namespaces=NS): agent.findtext("e:Namn", namespaces=NS)
        for agent in arende.iterfind("e:Agent", NS)
    }
    assert agents["Ansvarig enhet"] == case.unit.name
    handlingar = arende.findall("e:ArkivobjektListaHandlingar/e:ArkivobjektHandling", NS)
    assert len(handlingar) == 2
    for handling in handlingar:
        assert handling.findtext("e:ArkivobjektID", namespaces=NS).startswith(case.reference)
        assert handling.findtext("e:Rubrik", namespaces=NS)
        assert date.fromisoformat(handling.findtext("e:Skapad", namespaces=NS))
        (bilaga,) = handling.findall("e:Bilaga", NS)
        data = files[bilaga.get("Lank")]
        assert bilaga.get("Namn") == bilaga.get("Lank").rsplit("/", 1)[-1]
        assert int(bilaga.get("Storlek")) == len(data)
        assert bilaga.get("Checksumma") == hashlib.sha256(data).hexdigest()
        assert bilaga.get("ChecksummaMetod") == "SHA-256"
        assert bilaga.get("Format") == "PDF/A"
    # No element the test did not look at.
    seen = {
        "Leveransobjekt", "ArkivobjektListaArenden", "ArkivobjektArende", "ArkivobjektID",
        "Arendemening", "Arendetyp", "StatusArande", "Skapad", "Avslutat", "Gallring",
        "Bevaras", "Regel", "Lagrum", "Agent", "Roll", "Namn", "Organisationsnamn",
        "ArkivobjektListaHandlingar", "ArkivobjektHandling", "Rubrik", "Bilaga",
    }  # fmt: skip
    assert {etree.QName(element).localname for element in root.iter()} == seen


def test_the_schemas_refuse_what_the_specification_does_not_allow(package):
    _case, built, archive = package
    files = _files(archive, built.objid)
    validate(files["Metadata/arende.xml"], "FGS-ERMS-subset.xsd")
    validate(files["sip.xml"], "METS-FGS-subset.xsd")
    erms = etree.fromstring(files["Metadata/arende.xml"])
    erms.find(".//e:Arendemening", NS).getparent().remove(erms.find(".//e:Arendemening", NS))
    with pytest.raises(PackageInvalid):
        validate(etree.tostring(erms), "FGS-ERMS-subset.xsd")
    bad_checksum = files["Metadata/arende.xml"].replace(
        b'ChecksummaMetod="SHA-256"', b'ChecksummaMetod="MD5"'
    )
    with pytest.raises(PackageInvalid):
        validate(bad_checksum, "FGS-ERMS-subset.xsd")
    sip = etree.fromstring(files["sip.xml"])
    sip.remove(sip.find("m:fileSec", NS))
    with pytest.raises(PackageInvalid):
        validate(etree.tostring(sip), "METS-FGS-subset.xsd")
