"""The vocabularies of a case record: phases, life areas, legal systems, reasons, recipients.

Each is a ``StrEnum`` whose values are the words used in JSON; the German label of a
phase is ``Phase.label_de``.

Examples:
    >>> Phase.MONITORING.label_de
    'Monitoring'

"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "ADMITTED_PHASES",
    "OPEN_PHASES",
    "Authority",
    "ClosureReason",
    "GoalStatus",
    "Lebenslage",
    "NotAdmittedReason",
    "Phase",
    "Purpose",
    "Rechtskreis",
]


class Phase(StrEnum):
    """The phase of a case's current episode."""

    REFERRED = "referred"
    """Zugang/Anfrage: the client was referred or came on their own."""
    CLARIFICATION = "clarification"
    """Klärung/Intake: first contact, the admission check."""
    NOT_ADMITTED = "not_admitted"
    """Nicht aufgenommen: the episode ended without admission."""
    ASSESSMENT = "assessment"
    """Assessment/Situationsanalyse: needs and resources per life area."""
    PLANNING = "planning"
    """Zielvereinbarung/Hilfeplanung: goals are agreed."""
    IMPLEMENTING = "implementing"
    """Leistungssteuerung/Linking: the plan is carried out, referrals are made."""
    MONITORING = "monitoring"
    """Monitoring: services run, goals are followed up."""
    EVALUATION = "evaluation"
    """Evaluation/Auswertung: the plan is reviewed with the client."""
    ON_HOLD = "on_hold"
    """Ruhend: contact was lost; the case waits for contact or closure."""
    CLOSED = "closed"
    """Abgeschlossen: the episode ended with a closure reason."""

    @property
    def label_de(self) -> str:
        """The German term used in KIM practice."""
        return _PHASE_DE[self]


_PHASE_DE = {
    Phase.REFERRED: "Zugang/Anfrage",
    Phase.CLARIFICATION: "Klärung/Intake",
    Phase.NOT_ADMITTED: "nicht aufgenommen",
    Phase.ASSESSMENT: "Assessment/Situationsanalyse",
    Phase.PLANNING: "Zielvereinbarung/Hilfeplanung",
    Phase.IMPLEMENTING: "Leistungssteuerung/Linking",
    Phase.MONITORING: "Monitoring",
    Phase.EVALUATION: "Evaluation/Auswertung",
    Phase.ON_HOLD: "ruhend",
    Phase.CLOSED: "abgeschlossen",
}

OPEN_PHASES: frozenset[Phase] = frozenset(Phase) - {Phase.NOT_ADMITTED, Phase.CLOSED}
"""Phases in which the case's current episode is open."""

ADMITTED_PHASES: frozenset[Phase] = OPEN_PHASES - {Phase.REFERRED, Phase.CLARIFICATION}
"""Open phases after admission (assessment to evaluation, and on hold)."""


class Lebenslage(StrEnum):
    """Life areas for goals and needs (TIntG § 1 Nr. 1 and the Land's list; three added)."""

    AUFENTHALT = "aufenthalt"
    """Residence status and naturalisation."""
    SPRACHE = "sprache"
    """Language learning."""
    BILDUNG_SCHULE = "bildung_schule"
    """Education, school and childcare."""
    AUSBILDUNG_ARBEIT = "ausbildung_arbeit"
    """Vocational training and work."""
    WOHNEN = "wohnen"
    """Housing."""
    GESUNDHEIT = "gesundheit"
    """Health."""
    FAMILIE = "familie"
    """Family (added by the library; not in an official KIM list)."""
    FINANZEN_LEISTUNGEN = "finanzen_leistungen"
    """Income and benefits (added by the library)."""
    ERSTORIENTIERUNG_RECHT = "erstorientierung_recht"
    """First orientation, legal knowledge and consumer protection."""
    SOZIALE_TEILHABE = "soziale_teilhabe"
    """Social participation (added by the library)."""


class Rechtskreis(StrEnum):
    """The legal system (branch of social law) the client's benefits come from."""

    ASYLBLG = "asylblg"
    """Asylbewerberleistungsgesetz (Sozialamt)."""
    SGB_II = "sgb_ii"
    """Basic income support for jobseekers (Jobcenter)."""
    SGB_III = "sgb_iii"
    """Employment promotion (Agentur für Arbeit)."""
    SGB_VIII = "sgb_viii"
    """Child and youth welfare (Jugendamt)."""
    SGB_XII = "sgb_xii"
    """Social assistance (Sozialamt)."""
    AUFENTHG = "aufenthg"
    """Residence law only, no benefits (Ausländerbehörde)."""
    STAG = "stag"
    """Nationality law: naturalisation (Einbürgerungsbehörde)."""
    NONE_OR_UNKNOWN = "none_or_unknown"
    """No benefits, or not recorded."""


class ClosureReason(StrEnum):
    """Why an admitted episode was closed (a proposal; the Datenbank KIM's list is unknown)."""

    GOALS_ACHIEVED = "goals_achieved"
    """The agreed goals were achieved."""
    HANDED_OVER = "handed_over"
    """Handed over to another service (MBE, JMD, Jobcenter, Jugendamt, ...)."""
    CLIENT_TERMINATED = "client_terminated"
    """The client ended the case management."""
    CONTACT_LOST = "contact_lost"
    """Contact was lost for longer than the local timeout."""
    MOVED_AWAY = "moved_away"
    """The client moved out of the unit's area."""
    NO_LONGER_ELIGIBLE = "no_longer_eligible"
    """The client no longer belongs to the local target group."""
    CONSENT_WITHDRAWN = "consent_withdrawn"
    """The client withdrew the consent the case management depended on."""
    DEPARTED_OR_DEPORTED = "departed_or_deported"
    """The client left Germany."""
    DECEASED = "deceased"
    """The client died."""
    OTHER = "other"
    """Any other reason."""


class NotAdmittedReason(StrEnum):
    """Why a referral did not lead to admission."""

    NOT_TARGET_GROUP = "not_target_group"
    """Not a person with an immigration history (§ 4 TIntG)."""
    SUFFICIENT_ACCESS = "sufficient_access"
    """The case manager judged the access to the support system sufficient."""
    ALREADY_IN_OTHER_CM = "already_in_other_cm"
    """Already in MBE, JMD or another case management (local rule)."""
    OUTSIDE_LOCAL_POLICY = "outside_local_policy"
    """Outside the local limits (years in the district, age)."""
    NOT_PRIORITY = "not_priority"
    """Not in a priority group where the unit admits priority groups only."""
    NO_CONSENT = "no_consent"
    """The client did not agree to case management."""
    CAPACITY = "capacity"
    """No capacity."""
    CLIENT_WITHDREW = "client_withdrew"
    """The client withdrew or could not be reached before admission."""
    OTHER = "other"
    """Any other reason."""


class Authority(StrEnum):
    """Recipients of data shared by the case manager."""

    AUSLAENDERBEHOERDE = "auslaenderbehoerde"
    """Ausländerbehörde (foreigners' authority)."""
    EINBUERGERUNGSBEHOERDE = "einbuergerungsbehoerde"
    """Einbürgerungsbehörde (naturalisation authority)."""
    JOBCENTER = "jobcenter"
    """Jobcenter (SGB II)."""
    AGENTUR_FUER_ARBEIT = "agentur_fuer_arbeit"
    """Agentur für Arbeit (SGB III)."""
    SOZIALAMT = "sozialamt"
    """Sozialamt (AsylbLG, SGB XII)."""
    JUGENDAMT = "jugendamt"
    """Jugendamt (SGB VIII)."""
    SCHULAMT = "schulamt"
    """Schulamt (school authority)."""
    BAMF = "bamf"
    """Bundesamt für Migration und Flüchtlinge."""
    FAMILIENKASSE = "familienkasse"
    """Familienkasse (child benefit)."""
    MBE = "mbe"
    """Migrationsberatung für erwachsene Zugewanderte."""
    JMD = "jmd"
    """Jugendmigrationsdienst."""
    WELFARE_ORGANISATION = "welfare_organisation"
    """A welfare organisation (Träger der Freien Wohlfahrtspflege)."""
    HEALTH_SERVICE = "health_service"
    """Health services (Gesundheitsamt, doctors, clinics)."""
    OTHER = "other"
    """Any other recipient."""


class Purpose(StrEnum):
    """Purposes of sharing data; a consent covers named purposes only."""

    REFERRAL = "referral"
    """Referring the client to a service (Vermittlung, Überleitung)."""
    INFORMATION_EXCHANGE = "information_exchange"
    """Exchanging information on the client's case."""
    CASE_CONFERENCE = "case_conference"
    """Discussing the case in a case conference (Fallkonferenz)."""
    DOCUMENTATION = "documentation"
    """Documentation in the Land's database (Datenbank KIM)."""


class GoalStatus(StrEnum):
    """The state of one agreed goal."""

    OPEN = "open"
    """Agreed, not yet reached."""
    ACHIEVED = "achieved"
    """Reached."""
    PARTLY_ACHIEVED = "partly_achieved"
    """Partly reached."""
    DROPPED = "dropped"
    """Given up or replaced."""
