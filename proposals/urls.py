from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/attach/", views.attach, name="attach"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/invite/<int:cosigner_pk>/withdraw/", views.uninvite, name="uninvite"),
    path("<int:pk>/cosign/", views.cosign, name="cosign"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    path("<int:pk>/evaluation/", views.ask_evaluation, name="ask_evaluation"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("unit/", views.unit_inbox, name="unit_inbox"),
    path("unit/<int:pk>/", views.unit_assignment, name="unit_assignment"),
    path("unit/commitments/", views.unit_commitments, name="unit_commitments"),
    path("unit/commitments/<int:pk>/", views.unit_fulfil, name="unit_fulfil"),
    path("evaluations/", views.evaluations, name="evaluations"),
    path("evaluations/<int:pk>/", views.evaluation, name="evaluation"),
]
