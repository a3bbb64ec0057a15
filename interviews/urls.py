from django.urls import path

from interviews import consent_views, views

app_name = "interviews"

urlpatterns = [
    path("", views.my_interviews, name="my_interviews"),
    path("start/", views.start, name="start"),
    path("<int:pk>/", views.session, name="session"),
    path("<int:pk>/consent/", consent_views.consent, name="consent"),
    path("<int:pk>/section/<slug:slug>/", views.section, name="section"),
    path("<int:pk>/autosave/", views.autosave, name="autosave"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
]
