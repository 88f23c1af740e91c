from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
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
    # The portal's own password pages (the admin keeps its own under /admin/).
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="web/password_change_form.html",
            success_url=reverse_lazy("password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="web/password_change_done.html"),
        name="password_change_done",
    ),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", web_views.favicon, name="favicon"),
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
