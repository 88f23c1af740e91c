from django.urls import path

from . import views

app_name = "legislation"

urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/articles/<int:number>/", views.article_comment, name="article"),
    path("p/<int:pk>/", views.public_round, name="public"),
    path("p/<int:pk>/code/", views.public_code, name="public_code"),
]
