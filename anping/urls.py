from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from anping.web import views as web_views

admin.site.site_header = _("Anping · deputy work portal")
admin.site.site_title = _("Anping")
admin.site.index_title = _("Committee workspace")

urlpatterns = [
    path("", web_views.home, name="home"),
    path("portal/", web_views.portal, name="portal"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(success_url="/portal/"),
        name="password_change",
    ),
    path("admin/", admin.site.urls),
    path("deputies/", include("deputies.urls")),
    path("stations/", include("stations.urls")),
    path("suggestions/", include("proposals.urls")),
    path("livelihood/", include("livelihood.urls")),
    path("legislation/", include("legislation.urls")),
    path("", include("opinions.urls")),
    path("notifications/", include("anping.notifications.urls")),
    path("reports/", include("anping.reports.urls")),
]
