from django.urls import path

from frontend.views import pages

app_name = "frontend"
urlpatterns = [
    path("", pages.home, name="home"),
    path("questions/<int:pk>/", pages.thread, name="thread"),
    path("membres/<str:username>/", pages.profile, name="profile"),
]
