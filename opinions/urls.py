from django.urls import path

from . import views

app_name = "opinions"

urlpatterns = [
    # Public: short paths, printed as QR codes on cards and typed from SMS messages.
    path("o/<str:token>/", views.resident_write, name="write"),
    path("o-verify/", views.resident_verify, name="verify"),
    path("t/<str:code>/", views.resident_track, name="track"),
    path("t/<str:code>/f/<int:pk>/", views.track_file, name="track_file"),
    # Portal.
    path("opinions/", views.case_list, name="cases"),
    path("opinions/<int:pk>/", views.case_detail, name="case"),
    path("opinions/<int:pk>/<slug:action>/", views.case_step, name="step"),
    path("opinions/photo/<int:pk>/", views.photo, name="photo"),
    path("opinions/reply-file/<int:pk>/", views.reply_file, name="reply_file"),
    path("opinions/card/", views.my_card, name="my_card"),
    path("opinions/station/<int:pk>/cards/", views.station_cards, name="station_cards"),
    path("opinions/import/", views.paper_import, name="paper_import"),
    path("opinions/units/", views.by_unit, name="by_unit"),
    path("opinions/groups/", views.my_groups, name="groups"),
    path("opinions/groups/by-region/", views.groups_by_region, name="groups_by_region"),
]
