"""Routes of the case-work pages (enforcement, supervision, clues, disputes, observations, reviews),
included by cases/urls.py under "cases/" in the namespace "cases". The detail paths are each record's
get_absolute_url (cases/models.py), which the notifications link to."""

from django.urls import path

from .views import clues, disputes, enforcement, observations, supervision

urlpatterns = [
    # 裁执分离
    path("enforcements/", enforcement.enforcement_list, name="enforcements"),
    path("enforcements/export/", enforcement.enforcement_export, name="enforcements_export"),
    path("enforcements/new/", enforcement.enforcement_create, name="enforcement_create"),
    path("enforcements/<uuid:uuid>/", enforcement.enforcement_detail, name="enforcement_detail"),
    path("enforcements/<uuid:uuid>/rule/", enforcement.enforcement_rule, name="enforcement_rule"),
    path("enforcements/<uuid:uuid>/feedback/", enforcement.enforcement_feedback, name="enforcement_feedback"),
    # 执行监督, 个案监督
    path("supervisions/", supervision.supervision_list, name="supervisions"),
    path("supervisions/export/", supervision.supervision_export, name="supervisions_export"),
    path("supervisions/new/", supervision.supervision_create, name="supervision_create"),
    path("supervisions/<uuid:uuid>/", supervision.supervision_detail, name="supervision_detail"),
    path("supervisions/<uuid:uuid>/decide/", supervision.supervision_decide, name="supervision_decide"),
    path("case-supervisions/new/", supervision.case_supervision_create, name="case_supervision_create"),
    # 违法线索移送
    path("clues/", clues.clue_list, name="clues"),
    path("clues/export/", clues.clue_export, name="clues_export"),
    path("clues/new/", clues.clue_create, name="clue_create"),
    path("clues/<uuid:uuid>/", clues.clue_detail, name="clue_detail"),
    path("clues/<uuid:uuid>/receive/", clues.clue_receive, name="clue_receive"),
    path("clues/<uuid:uuid>/handle/", clues.clue_handle, name="clue_handle"),
    # 诉前化解
    path("disputes/", disputes.dispute_list, name="disputes"),
    path("disputes/export/", disputes.dispute_export, name="disputes_export"),
    path("disputes/new/", disputes.dispute_create, name="dispute_create"),
    path("disputes/<uuid:uuid>/", disputes.dispute_detail, name="dispute_detail"),
    path("disputes/<uuid:uuid>/sessions/new/", disputes.mediation_add, name="mediation_add"),
    path("disputes/<uuid:uuid>/conclude/", disputes.dispute_conclude, name="dispute_conclude"),
    # 庭审观摩, 判后评议
    path("observations/", observations.observation_list, name="observations"),
    path("observations/export/", observations.observation_export, name="observations_export"),
    path("observations/new/", observations.observation_create, name="observation_create"),
    path("observations/<uuid:uuid>/", observations.observation_detail, name="observation_detail"),
    path("observations/<uuid:uuid>/attendance/", observations.observation_attendance, name="observation_attendance"),
    path("reviews/", observations.review_list, name="reviews"),
    path("reviews/export/", observations.review_export, name="reviews_export"),
    path("reviews/new/", observations.review_create, name="review_create"),
    path("reviews/<uuid:uuid>/", observations.review_detail, name="review_detail"),
]
