from django.urls import path

from dpghub.web import people, views

app_name = "web"
urlpatterns = [
    path("", views.goods_list, name="goods-list"),
    path("goods/<str:slug>/", views.good_detail, name="good-detail"),
    path("goods/<str:slug>/screen/", views.good_screen, name="good-screen"),
    path("orgs/", people.orgs_list, name="orgs-list"),
    path("orgs/<slug:slug>/", people.org_detail, name="org-detail"),
    path("orgs/<slug:slug>/join/", people.org_join, name="org-join"),
    path("memberships/<int:membership_id>/<str:action>/", people.membership_decide, name="membership-decide"),
    path("account/tokens/", people.tokens_page, name="tokens"),
    path("account/notifications/", people.notifications_page, name="notifications"),
    path("activity/", people.activity_page, name="activity"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
]
