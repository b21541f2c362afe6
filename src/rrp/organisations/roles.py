"""Which roles may do what. One table, read by the `rules` predicates in rules.py.

Roles hold within one organisation: being a lead at one provider gives nothing at another.
"""

from __future__ import annotations

from rrp.organisations.models import Role

CLINICAL = frozenset({Role.WARD_STAFF, Role.WARD_MANAGER, Role.DOCTOR, Role.RRP_LEAD})

PERMISSION_ROLES: dict[str, frozenset[str]] = {
    # Patient-identifiable pages (names, NHS numbers) only for people who care for patients.
    "patients.view_patient": CLINICAL,
    "patients.view_identifiable": CLINICAL,
    "patients.change_patient": CLINICAL,
    "organisations.view_organisation": frozenset(Role.values),
    "organisations.manage_organisation": frozenset({Role.ORG_ADMIN}),
    "organisations.enter_bed_days": frozenset({Role.ORG_ADMIN, Role.WARD_MANAGER, Role.RRP_LEAD}),
    "organisations.view_members": frozenset({Role.ORG_ADMIN, Role.RRP_LEAD}),
    "audit.view_auditevent": frozenset({Role.ORG_ADMIN}),
    "accounts.manage_tokens": frozenset({Role.ORG_ADMIN}),  # see and revoke anyone's API tokens
    "incidents.export": frozenset({Role.RRP_LEAD, Role.ORG_ADMIN, Role.WARD_MANAGER}),
    "incidents.view_incident": CLINICAL,
    "incidents.record_incident": CLINICAL,
    "incidents.review_incident": frozenset({Role.WARD_MANAGER, Role.RRP_LEAD}),
    "incidents.acknowledge_escalation": frozenset({Role.RRP_LEAD}),  # Use of Force Act s.8/9
    "careplans.view_plan": CLINICAL,  # safety plans, risk assessments, physical health checks
    "careplans.write_plan": CLINICAL,
    "standards.view_assessment": frozenset(
        {Role.RRP_LEAD, Role.BOARD, Role.AUDITOR, Role.ORG_ADMIN, Role.WARD_MANAGER, Role.TRAINER}
    ),
    "standards.manage_assessment": frozenset({Role.RRP_LEAD}),
    "standards.sign_off": frozenset({Role.RRP_LEAD}),  # the executive lead signs off
    "analytics.view_dashboard": frozenset(Role.values) - {Role.TRAINER},  # aggregates only
    "analytics.manage_baselines": frozenset({Role.RRP_LEAD}),  # SPC rebases and targets
    "jobs.view_jobs": frozenset({Role.ORG_ADMIN}),  # background jobs and workers (no records)
    # The staff register and training (issue 13): the trainer (workforce lead) keeps them;
    # ward managers and the lead see who is in date on their wards.
    "workforce.view_staff": frozenset({Role.TRAINER, Role.WARD_MANAGER, Role.RRP_LEAD}),
    "workforce.view_compliance": frozenset({Role.TRAINER, Role.WARD_MANAGER, Role.RRP_LEAD}),
    "workforce.manage_staff": frozenset({Role.TRAINER}),
    "workforce.manage_courses": frozenset({Role.TRAINER}),
    "workforce.record_training": frozenset({Role.TRAINER}),
    "workforce.export": frozenset({Role.TRAINER, Role.RRP_LEAD}),
    # The training needs analysis (standard 3.4.II-III): the trainer drafts it with the
    # training provider and records their agreement; the executive lead for reducing
    # restrictive practice - the restrictive practice lead, who also signs off the
    # self-assessment - signs it off. Board members, auditors and ward managers read it: it
    # holds only suppressed counts. The board role is read-only elsewhere too (it is not the
    # executive lead the standard names).
    "workforce.view_tna": frozenset(
        {Role.TRAINER, Role.RRP_LEAD, Role.WARD_MANAGER, Role.BOARD, Role.AUDITOR}
    ),
    "workforce.manage_tna": frozenset({Role.TRAINER, Role.RRP_LEAD}),
    "workforce.sign_off_tna": frozenset({Role.RRP_LEAD}),
    # Trainers' portfolios and quality assurance (standard 3.5): trainers keep portfolios and
    # provider records; the lead reviews them yearly and monitors competence (3.5.I, XIII)
    # and presents the summary to the board (the executive and non-executive leads).
    "trainers.view": frozenset({Role.TRAINER, Role.RRP_LEAD, Role.BOARD}),
    "trainers.manage": frozenset({Role.TRAINER, Role.RRP_LEAD}),
    "trainers.review": frozenset({Role.RRP_LEAD}),
    "workforce.manage_techniques": frozenset({Role.TRAINER}),  # 3.4.2.XXIV: the manual
    "workforce.sign_off_techniques": frozenset({Role.RRP_LEAD}),  # 3.4.2.XXV: the lead
    "workforce.view_training_events": frozenset({Role.TRAINER, Role.RRP_LEAD}),  # XXXVII
    "workforce.review_training_events": frozenset({Role.RRP_LEAD}),  # 3.4.2.XLI audit
}


def roles_allow(roles: frozenset[str] | set[str], permission: str) -> bool:
    return bool(set(roles) & PERMISSION_ROLES.get(permission, frozenset()))
