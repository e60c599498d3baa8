from django.urls import path

from dpghub.web import accounts, views

app_name = "web"
urlpatterns = [
    path("", views.goods_list, name="goods-list"),
    path("goods/<str:slug>/", views.good_detail, name="good-detail"),
    path("goods/<str:slug>/screen/", views.good_screen, name="good-screen"),
    # The rest of /accounts/ is django-allauth's (config/urls.py); these come first and take precedence.
    path("accounts/", accounts.account_page, name="account"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("accounts/me/export.json", accounts.account_export, name="account-export"),
    path("accounts/delete/", accounts.account_delete, name="account-delete"),
]
