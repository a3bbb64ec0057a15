from django.urls import path

from interviews import views

app_name = "interviews"

urlpatterns = [
    path("", views.my_interviews, name="my_interviews"),
    path("<int:pk>/", views.session, name="session"),
]
