"""Norwegian names for audit actions, object types and fields. Pure: no Flask, no database."""

from typing import Any

ACTION_LABELS = {
    "login.success": "Innlogging",
    "login.failed": "Mislykket innlogging",
    "login.blocked": "Innlogging sperret (for mange forsøk)",
    "login.refused": "Innlogging avvist",
    "logout": "Utlogging",
    "refused": "Handling avvist (mangler tilgang)",
    "user.create": "Bruker opprettet",
    "user.update": "Bruker endret",
    "user.password_change": "Passord byttet",
    "user.sso_link": "Bruker knyttet til Microsoft Entra ID",
    "user.sso_update": "Bruker oppdatert fra Microsoft Entra ID",
    "measure.update": "Tiltak endret",
    "measure.status": "Status endret",
    "measure.owner": "Tiltaksansvarlig endret",
    "measure.import_create": "Tiltak importert",
    "measure.import_update": "Tiltak oppdatert ved import",
    "benefits.report": "Gevinst rapportert",
    "benefits.correct": "Gevinst korrigert",
    "benefits.approve": "Gevinst godkjent",
    "benefits.take_out": "Gevinst tatt ut i budsjettet",
    "benefits.approve_take_out": "Budsjettuttak godkjent",
    "benefits.plan": "Gevinstplan endret",
    "periods.close": "Kvartal lukket",
    "milestone.create": "Milepæl lagt til",
    "milestone.edit": "Milepæl endret",
    "milestone.delete": "Milepæl slettet",
    "milestones.import": "Milepæler importert",
    "kpi.create": "Indikator lagt til",
    "kpi.edit": "Indikator endret",
    "kpi.delete": "Indikator slettet",
    "risk_item.create": "Risiko lagt til",
    "risk_item.edit": "Risiko endret",
    "risk_item.delete": "Risiko slettet",
    "risk_indicator.edit": "Risikoindikator endret",
    "org_risk.assess": "Organisatorisk risiko vurdert",
    "employee_consequence.edit": "Konsekvenser for ansatte endret",
    "dependency.create": "Avhengighet lagt til",
    "dependency.delete": "Avhengighet fjernet",
    "status_update.create": "Statusrapport påbegynt",
    "status_update.edit": "Statusrapport endret",
    "status_update.submit": "Statusrapport sendt inn",
    "status_update.comment": "Kommentar til statusrapport",
    "status_update.review": "Statusrapport behandlet",
    "status_update.reminder": "Påminnelse sendt",
    "reporting_round.create": "Rapporteringsrunde opprettet",
    "meeting.create": "Ledermøte opprettet",
    "meeting.edit": "Ledermøte endret",
    "meeting.agenda": "Saker satt på sakslisten",
    "meeting.agenda_remove": "Sak fjernet fra sakslisten",
    "meeting.record": "Beslutning eller oppfølging registrert",
    "meeting.followup_done": "Oppfølging utført",
    "report.build": "Rapport laget",
    "report.recipient.add": "Mottaker av rapport lagt til",
    "report.publish": "Rapport publisert (offentlig)",
    "report.unpublish": "Rapport tatt av den offentlige siden",
    "demo.load": "Eksempeldata lastet inn",
    "programme.create": "Program opprettet",
    "programme.close": "Program avsluttet (bare lesing)",
    "programme.reopen": "Program åpnet igjen",
    "scenario.create": "Budsjettalternativ laget",
    "scenario.update": "Budsjettalternativ endret",
    "scenario.delete": "Budsjettalternativ slettet",
    "scenario.adopt": "Budsjettalternativ vedtatt",
    "variant.set": "Alternativ for tiltak lagret",
    "variant.delete": "Alternativ for tiltak slettet",
    "measure.fte": "Endring i årsverk registrert",
    "targets.set": "Mål for året endret",
    "targets.group": "Sparekrav for arbeidsgruppe endret",
    "api_token.create": "API-nøkkel laget",
    "api_token.revoke": "API-nøkkel trukket tilbake",
    "api_token.use": "API-nøkkel brukt (høyst én oppføring i timen)",
}

OBJECT_LABELS = {
    "Measure": "Tiltak",
    "User": "Bruker",
    "Programme": "Program",
    "Milestone": "Milepæl",
    "Kpi": "Indikator",
    "RiskItem": "Risiko",
    "StatusUpdate": "Statusrapport",
    "QuarterlyFigure": "Gevinsttall",
    "Meeting": "Ledermøte",
    "MeetingItem": "Sak i ledermøte",
    "ApiToken": "API-nøkkel",
    "Scenario": "Budsjettalternativ",
    "MeasureVariant": "Alternativ for tiltak",
}

FIELD_LABELS = {
    "username": "Brukernavn",
    "role": "Rolle",
    "full_name": "Navn",
    "email": "E-post",
    "is_enabled": "Aktiv",
    "status": "Status",
    "title": "Tittel",
    "owner": "Tiltaksansvarlig",
    "attempted": "Forsøkt handling",
    "locked_until": "Sperret til",
    "method": "Innloggingsmåte",
    "reason": "Årsak",
    "error": "Feil",
    "roles": "Roller i tokenet",
    "entra_tid": "Entra-tenant (tid)",
    "entra_oid": "Entra-ID (oid)",
    "matched_by": "Knyttet etter",
    "one_time_password": "Engangspassord",
    "meeting_date": "Møtedato",
    "attendees": "Til stede",
    "notes": "Notater",
    "items": "Saker",
    "outcome": "Utfall",
    "decision": "Beslutning/oppfølging",
    "responsible_id": "Ansvarlig (bruker-id)",
    "due_date": "Frist",
    "done": "Utført",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def object_label(object_type: str | None) -> str:
    return OBJECT_LABELS.get(object_type or "", object_type or "")


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " "))


def value_text(value: Any) -> str:
    """A stored old/new value as a reader sees it: "–" for nothing, "ja"/"nei" for booleans."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, list):
        return ", ".join(value_text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{field_label(str(key))}: {value_text(item)}" for key, item in value.items())
    return str(value)


def change_lines(changes: dict | None) -> list[str]:
    """["Rolle: leser → admin", …] for an entry's changes; other shapes shown as field: value."""
    lines = []
    for name, change in (changes or {}).items():
        if isinstance(change, dict) and set(change) == {"old", "new"}:
            lines.append(f"{field_label(name)}: {value_text(change['old'])} → {value_text(change['new'])}")
        else:
            lines.append(f"{field_label(name)}: {value_text(change)}")
    return lines
