from django.urls import path

from . import views

app_name = "stations"

urlpatterns = [
    path("record/", views.my_record, name="my_record"),
    path("record/<int:pk>/", views.person_record, name="record"),
    path("opinions/", views.opinion_list, name="opinions"),
    path("opinions/new/", views.opinion_new, name="opinion_new"),
    path("opinions/<int:pk>/", views.opinion_detail, name="opinion"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("directory/", views.directory, name="directory"),
]
