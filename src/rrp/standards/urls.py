from django.urls import path

from rrp.standards import review_views, views

app_name = "standards"

statement = "cycles/<int:pk>/statements/<str:ref>/"
review = "peer-reviews/<int:review_pk>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("standards/", views.catalogue, name="catalogue"),
    path("cycles/new/", views.cycle_add, name="cycle-add"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/change/", views.cycle_edit, name="cycle-edit"),
    path("cycles/<int:pk>/start/", views.cycle_start, name="cycle-start"),
    path("cycles/<int:pk>/submit/", views.cycle_submit, name="cycle-submit"),
    path("cycles/<int:pk>/return/", views.cycle_return, name="cycle-return"),
    path("cycles/<int:pk>/sign-off/", views.cycle_sign_off, name="cycle-sign-off"),
    path("cycles/<int:pk>/history/", views.cycle_history, name="cycle-history"),
    path("cycles/<int:pk>/summary/", views.summary, name="summary"),
    path("cycles/<int:pk>/summary.pdf", views.summary_pdf, name="summary-pdf"),
    path("cycles/<int:pk>/evidence-pack.zip", views.evidence_pack, name="evidence-pack"),
    path("cycles/<int:pk>/export/<str:fmt>/", views.cycle_export, name="cycle-export"),
    path("cycles/<int:pk>/import/", views.cycle_import, name="cycle-import"),
    path("cycles/<int:pk>/peer-reviews/invite/", review_views.invite, name="peer-invite"),
    path(
        "cycles/<int:pk>/peer-reviews/<int:review_pk>/",
        review_views.peer_review,
        name="peer-review",
    ),
    path(
        "cycles/<int:pk>/peer-reviews/<int:review_pk>/withdraw/",
        review_views.withdraw,
        name="peer-withdraw",
    ),
    path(statement, views.statement_detail, name="statement"),
    path(statement + "change/", views.statement_edit, name="statement-edit"),
    path(statement + "evidence/add/", views.evidence_add, name="evidence-add"),
    path(statement + "evidence/upload/", views.evidence_upload, name="evidence-upload"),
    path(statement + "evidence/link/", views.evidence_link, name="evidence-link"),
    path(statement + "evidence/record/", views.evidence_record, name="evidence-record"),
    path(statement + "evidence/choose/", views.evidence_choose, name="evidence-choose"),
    path(
        statement + "evidence/<int:attachment_pk>/remove/",
        views.evidence_remove,
        name="evidence-remove",
    ),
    path(statement + "actions/add/", views.action_add, name="action-add"),
    path(
        statement + "challenges/<int:response_pk>/answer/",
        views.challenge_answer,
        name="challenge-answer",
    ),
    path("evidence/", views.evidence_list, name="evidence-list"),
    path("evidence/<int:pk>/", views.evidence_detail, name="evidence"),
    path("evidence/<int:pk>/change/", views.evidence_edit, name="evidence-edit"),
    path("evidence/<int:pk>/withdraw/", views.evidence_withdraw, name="evidence-withdraw"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence-download"),
    path("actions/", views.action_list, name="actions"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/change/", views.action_edit, name="action-edit"),
    # A peer reviewer's pages: reached through their invitation, never request.organisation.
    path("peer-reviews/", review_views.review_list, name="review-list"),
    path(review, review_views.review_home, name="review"),
    path(review + "statements/<str:ref>/", review_views.review_statement, name="review-statement"),
    path(
        review + "evidence/<int:evidence_pk>/download/",
        review_views.review_evidence,
        name="review-evidence",
    ),
    path(review + "sign-off/", review_views.review_sign_off, name="review-sign-off"),
    path(review + "decline/", review_views.review_decline, name="review-decline"),
]
