from django.urls import path

from . import views

app_name = "deputies"

urlpatterns = [
    path("me/", views.me, name="me"),
]
