from django.urls import path

from interviews import consent_views, views

app_name = "interviews"

urlpatterns = [
    path("", views.my_interviews, name="my_interviews"),
    path("<int:pk>/", views.session, name="session"),
    path("<int:pk>/consent/", consent_views.consent, name="consent"),
]
