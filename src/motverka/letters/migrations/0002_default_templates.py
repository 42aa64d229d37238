"""Ships the default letter templates (Swedish; the information to the person also in
English). Administrators change them in the admin; this migration never overwrites an
existing template of the same kind and language."""

from django.db import migrations

TEMPLATES = [
    {
        "kind": "objection_letter",
        "language": "sv",
        "subject": "Aktiv medverkan till flytt – markering från {{ sender.municipality }}",
        "body": """Till {{ sending_municipality.social_services }}

{{ sender.municipality }} har tagit emot en person som har flyttat hit från {{ sending_municipality.name }} under omständigheter som tyder på att {{ sending_municipality.name }} aktivt har medverkat till flytten. Vårt diarienummer är {{ case.reference }}.

Insatser från socialtjänsten får inte genomföras över huvudet på den enskilde. När en person som har insatser flyttar till en annan kommun ska det föregås av samverkan mellan kommunernas socialtjänster; det får inte ske ensidigt för att en kommun vill bli av med en kostnad.

Vi markerar härmed tydligt att agerandet inte är acceptabelt. {{ sender.municipality }} följer upp ärendet och kommer, där lagen ger möjlighet, att begära att ansvaret förs tillbaka.

Uppgifter om den enskilde lämnas ut endast med den enskildes samtycke.

## Vad som har framkommit
[FYLL I: beskriv kort vad som tyder på aktiv medverkan, utan uppgifter som kan identifiera den enskilde]

Med vänlig hälsning""",
    },
    {
        "kind": "justification_request",
        "language": "sv",
        "subject": "Begäran om skälig motivering – {{ case.reference }}",
        "body": """Till {{ sending_municipality.social_services }}

{{ person.name }}, {{ person.identity_number }}, har flyttat från {{ sending_municipality.name }} till {{ sender.municipality }}. Det finns tecken på att {{ sending_municipality.name }} aktivt har medverkat till flytten.

Den enskilde har samtyckt till att vi kontaktar er om detta.

Vi begär att ni lämnar en skälig motivering till ert agerande senast [FYLL I: datum]. Ange vårt diarienummer {{ case.reference }} i ert svar.

## Vad som har framkommit
[FYLL I: till exempel att bostaden och hyran för de första månaderna ordnades av er]

Svar skickas till {{ sender.unit }}, e-post {{ sender.email }}.

Med vänlig hälsning""",
    },
    {
        "kind": "transfer_request",
        "language": "sv",
        "subject": "Begäran om överflyttning av ärende – {{ case.reference }}",
        "body": """Till {{ sending_municipality.social_services }}

{{ sender.municipality }} begär enligt {{ legal_reference }} att {{ sending_municipality.name }} tar över ansvaret för ärendet som rör

{{ person.name }}, {{ person.identity_number }}

Den enskilde flyttade från {{ sending_municipality.name }} {{ case.moved_on }} och hade då dessa pågående insatser hos er:
{{ interventions.ongoing }}

Den enskilde har samtyckt till att ärendet flyttas över.

## Skäl för begäran
[FYLL I: varför den enskilde har starkast anknytning till er kommun och varför ansvaret bör återgå]

## Hushållet
{{ household.members }}

Vi ber om ert svar inom en månad från att ni har tagit emot begäran. Om ni inte medger överflyttning, eller om vi inte har fått svar inom den tiden, kommer {{ sender.municipality }} att ansöka om överflyttning hos Inspektionen för vård och omsorg (IVO).

Svar skickas till {{ sender.unit }}, e-post {{ sender.email }}. Ange vårt diarienummer {{ case.reference }}.

Med vänlig hälsning""",
    },
    {
        "kind": "ivo_application",
        "language": "sv",
        "subject": "Ansökan om överflyttning av ärende – {{ case.reference }}",
        "body": """{{ sender.municipality }} ansöker enligt {{ legal_reference }} om att ärendet som rör {{ person.name }}, {{ person.identity_number }}, flyttas över till {{ sending_municipality.name }}.

En begäran om överflyttning enligt {{ legal_reference.transfer_request }} skickades till {{ sending_municipality.name }} {{ transfer_request.sent_on }}. [FYLL I: kommunen avböjde begäran DATUM / kommunen har inte svarat inom en månad]

## Varför den enskilde har starkast anknytning till {{ sending_municipality.name }}
[FYLL I: boende, nätverk, hur länge den enskilde bodde där, tidigare insatser och hur flytten gick till]

## Den enskildes önskemål
[FYLL I: den enskildes egen inställning till var ärendet ska handläggas]

## Barnen och vårdnadshavarnas synpunkter
Barn i hushållet:
{{ household.children }}
[FYLL I: hur barnen har hörts och vad de har sagt – även barn under 15 år ska höras utifrån ålder och mognad – samt vårdnadshavares, förmyndares eller gode mäns synpunkter]

## Nuvarande insats och dess lagstöd
{{ interventions.ongoing }}
[FYLL I: beslutad insats, beslutsdatum och lagrum]

## Hur länge behovet beräknas bestå
[FYLL I: från och med DATUM till och med DATUM, eller bedömningen av hur länge behovet består]

## Övriga omständigheter
[FYLL I: till exempel vilka konsekvenser en överflyttning får för barnen]

## Bilagor
1. Beslutet om insatsen eller delegationsbeslutet
2. Kopia av begäran om överflyttning till {{ sending_municipality.name }}
3. Svaret från {{ sending_municipality.name }}, om svar har kommit

Med vänlig hälsning""",
    },
    {
        "kind": "person_information",
        "language": "sv",
        "subject": "Information om ditt ärende",
        "body": """Hej {{ person.name }}!

Du har kontakt med socialtjänsten i {{ sender.municipality }}. Ditt ärende har nummer {{ case.reference }}. Här kan du läsa vad som händer nu.

## Vad händer nu?
Vi har fått veta att du har flyttat hit från {{ sending_municipality.name }}. Vi vill förstå hur flytten gick till och om du själv ville flytta. Vi kommer att prata med dig om det.
Om du vill kan vi kontakta socialtjänsten i {{ sending_municipality.name }}. Vi kan fråga varför de hjälpte dig att flytta, och be dem ta tillbaka ansvaret för dina insatser.

## Samtycke är frivilligt
Vi berättar bara om dig för {{ sending_municipality.name }} om du säger ja. Det kallas samtycke. Det är frivilligt att säga ja. Du kan ändra dig när du vill och ta tillbaka ditt samtycke. Säg till oss, så gäller det direkt. Om du säger nej har du ändå samma rätt att söka hjälp hos oss.

## Dina rättigheter
Du har rätt att läsa det vi skriver om dig.
Du har rätt att få veta vem som har läst dina uppgifter.
Du har rätt till tolk om du behöver det.
Om du inte håller med om ett beslut kan du överklaga det. I beslutet står hur du gör.
Om du söker ekonomiskt bistånd prövar vi alltid din ansökan på vanligt sätt.

## Kontakt
Din handläggare: {{ case_worker.name }}
Telefon: {{ sender.phone }}
E-post: {{ sender.email }}""",
    },
    {
        "kind": "person_information",
        "language": "en",
        "subject": "Information about your case",
        "body": """Hello {{ person.name }},

You are in contact with the social services in {{ sender.municipality }}. Your case number is {{ case.reference }}. This letter tells you what happens next.

## What happens next?
We have learned that you moved here from {{ sending_municipality.name }}. We want to understand how the move happened and whether you wanted to move. We will talk with you about it.
If you want, we can contact the social services in {{ sending_municipality.name }}. We can ask why they helped you move, and ask them to take back responsibility for your support.

## Consent is voluntary
We only tell {{ sending_municipality.name }} about you if you say yes. This is called consent. Saying yes is voluntary. You can change your mind at any time and withdraw your consent. Tell us, and it applies at once. If you say no, you still have the same right to ask us for help.

## Your rights
You have the right to read what we write about you.
You have the right to know who has read your information.
You have the right to an interpreter if you need one.
If you do not agree with a decision, you can appeal. The decision tells you how.
If you apply for financial assistance, we always assess your application in the ordinary way.

## Contact
Your case worker: {{ case_worker.name }}
Phone: {{ sender.phone }}
E-mail: {{ sender.email }}""",
    },
    {
        "kind": "landlord_letter",
        "language": "sv",
        "subject": "Hyresgästers betalningsförmåga",
        "body": """Till {{ recipient.name }}

{{ sender.municipality }} vill påminna om att det är hyresvärdens uppgift att säkerställa att nya hyresgäster har en långsiktig betalningsförmåga.

Ekonomiskt bistånd prövas alltid mot lagstiftningen och kommunens riktlinje för ekonomiskt bistånd. Det är inte säkert att en hyresgäst har rätt till ekonomiskt bistånd, och biståndet kan inte räknas med som en garanti för att hyran betalas. Ekonomiskt bistånd ska inte kunna användas som affärsmodell.

[FYLL I: vad skrivelsen gäller, utan uppgifter om enskilda personer]

Frågor besvaras av {{ sender.unit }}, telefon {{ sender.phone }}, e-post {{ sender.email }}.

Med vänlig hälsning""",
    },
]


def load(apps, schema_editor):
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    for template in TEMPLATES:
        LetterTemplate.objects.get_or_create(
            kind=template["kind"],
            language=template["language"],
            defaults={"subject": template["subject"], "body": template["body"], "active": True},
        )


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
