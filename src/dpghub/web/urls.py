from django.urls import path

from dpghub.web import accounts, charter, finder, people, views, watching

app_name = "web"
urlpatterns = [
    path("", views.goods_list, name="goods-list"),
    path("goods/<str:slug>/", views.good_detail, name="good-detail"),
    path("goods/<str:slug>/screen/", views.good_screen, name="good-screen"),
    path("finder/", finder.finder, name="finder"),
    path("finder/shortlist/", finder.finder_print, name="finder-print"),
    path("finder/shortlist.csv", finder.finder_csv, name="finder-csv"),
    path("compare/", finder.compare, name="compare"),
    path("charter/", charter.charter_home, name="charter"),
    path("charter/grid.csv", charter.charter_grid_csv, name="charter-grid-csv"),
    path("charter/countries/<str:code>/", charter.charter_country, name="charter-country"),
    path("charter/endorsers/", charter.endorsers_list, name="charter-endorsers"),
    path("charter/endorsers/<slug:slug>/", charter.endorser_detail, name="charter-endorser"),
    path("charter/endorse/<slug:slug>/", charter.endorse, name="charter-endorse"),
    path("charter/pledges/new/", charter.pledge_new, name="charter-pledge-new"),
    path("charter/pledges/<str:ref>/", charter.pledge_detail, name="charter-pledge"),
    path("charter/pledges/<str:ref>/rate/", charter.pledge_rating, name="charter-pledge-rate"),
    path("charter/pledges/<str:ref>/targets/<int:target_id>/report/", charter.report_new, name="charter-report-new"),
    path("charter/pledges/<str:ref>/<str:action>/", charter.pledge_action, name="charter-pledge-action"),
    path("charter/reports/<int:report_id>/<str:action>/", charter.report_action, name="charter-report-action"),
    path("orgs/", people.orgs_list, name="orgs-list"),
    path("orgs/<slug:slug>/", people.org_detail, name="org-detail"),
    path("orgs/<slug:slug>/join/", people.org_join, name="org-join"),
    path("memberships/<int:membership_id>/<str:action>/", people.membership_decide, name="membership-decide"),
    path("account/tokens/", people.tokens_page, name="tokens"),
    path("account/following/", watching.following_page, name="following"),
    path("watch/", watching.watch, name="watch"),
    path("account/notifications/", people.notifications_page, name="notifications"),
    path("activity/", people.activity_page, name="activity"),
    # The rest of /accounts/ is django-allauth's (config/urls.py); these come first and take precedence.
    path("accounts/", accounts.account_page, name="account"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("accounts/me/export.json", accounts.account_export, name="account-export"),
    path("accounts/delete/", accounts.account_delete, name="account-delete"),
]
