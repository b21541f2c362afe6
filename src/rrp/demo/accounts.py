"""The demo provider's accounts: one per role, listed on the sign-in page in demo mode."""

from __future__ import annotations

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - synthetic demo only, shown on the page

DEMO_ACCOUNTS: list[dict[str, str]] = [
    {"username": "nurse", "role": "ward_staff", "role_label": "Ward staff",
     "full_name": "Ada Okafor", "job_title": "Staff nurse, band 5",
     "sees": "Records uses of force on Oak Ward; sees duties due for the ward"},
    {"username": "manager", "role": "ward_manager", "role_label": "Ward manager",
     "full_name": "Tom Brennan", "job_title": "Ward manager, band 7",
     "sees": "Reviews records and bed days for Oak Ward"},
    {"username": "doctor", "role": "doctor", "role_label": "Doctor",
     "full_name": "Dr Priya Shah", "job_title": "Specialty doctor",
     "sees": "Medical reviews and physical health checks"},
    {"username": "lead", "role": "rrp_lead", "role_label": "Restrictive practice lead",
     "full_name": "Grace Mensah", "job_title": "Director of nursing",
     "sees": "Everything clinical across the organisation"},
    {"username": "board", "role": "board", "role_label": "Board member",
     "full_name": "Martin Hughes", "job_title": "Non-executive director",
     "sees": "Aggregate figures only, no patient names"},
    {"username": "trainer", "role": "trainer", "role_label": "Trainer",
     "full_name": "Sam Patel", "job_title": "Lead trainer",
     "sees": "Training; no patient records"},
    {"username": "auditor", "role": "auditor", "role_label": "Auditor",
     "full_name": "Helen Clarke", "job_title": "CQC inspector",
     "sees": "Read-only assurance view; no patient names"},
    {"username": "admin", "role": "org_admin", "role_label": "Organisation administrator",
     "full_name": "Lee Morgan", "job_title": "RRP system administrator",
     "sees": "Wards, bed days, people and the audit trail"},
]

# People of the second synthetic provider (Eastfield, ZZ8), made by the compliance demo step:
# listed on the sign-in page too, so the peer review can be tried.
OTHER_PROVIDER_ACCOUNTS: list[dict[str, str]] = [
    {"username": "peer", "role": "rrp_lead", "role_label": "Peer reviewer (another provider)",
     "full_name": "Nadia Rahman", "job_title": "Restrictive practice lead, Eastfield",
     "sees": "Only the compliance self-assessment she was invited to review"},
]
