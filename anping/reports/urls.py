from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("compute/", views.compute, name="compute"),
    path("publish/", views.publish, name="publish"),
    path("year/", views.year, name="year_current"),
    path("year/<int:year>/", views.year, name="year"),
    path("year/<int:year>.json", views.year_json, name="year_json"),
    path("exports/new/", views.export_new, name="export_new"),
    path("exports/<int:pk>/", views.export_detail, name="export"),
    path("exports/<int:pk>/status/", views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", views.download, name="download"),
]
