from django.urls import path

from dpghub.web import views

app_name = "web"
urlpatterns = [
    path("", views.goods_list, name="goods-list"),
    path("goods/<str:slug>/", views.good_detail, name="good-detail"),
]
