from django.urls import path

from dpghub.web import views

app_name = "web"
urlpatterns = [
    path("", views.goods_list, name="goods-list"),
    path("goods/<str:slug>/", views.good_detail, name="good-detail"),
    path("goods/<str:slug>/screen/", views.good_screen, name="good-screen"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
]
