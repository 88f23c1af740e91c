from django.urls import path

from . import views

app_name = "livelihood"

urlpatterns = [
    path("", views.index, name="index"),
    path("polls/<int:pk>/ballot/", views.ballot, name="ballot"),
    path("b/<str:token>/", views.pass_ballot, name="pass_ballot"),
    path("polls/<int:pk>/result/", views.result, name="result"),
    path("receipt/", views.receipt_check, name="receipt_check"),
    path("projects/", views.projects, name="projects"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("projects/<int:pk>/report/", views.report, name="report"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
    path("unit/", views.unit_projects, name="unit_projects"),
    path("rounds/<int:pk>/ideas/", views.suggest, name="suggest"),
]
