from django.urls import path

from interviews.views import autosave, checking, consent, discard, entry, home

app_name = "interviews"

urlpatterns = [
    path("", home.my_interviews, name="my_interviews"),
    path("start/", home.start, name="start"),
    path("<int:pk>/", entry.session, name="session"),
    path("<int:pk>/consent/", consent.consent, name="consent"),
    path("<int:pk>/discard/", discard.discard, name="discard"),
    path("<int:pk>/section/<slug:slug>/", entry.section, name="section"),
    path("<int:pk>/autosave/", autosave.autosave, name="autosave"),
    path("<int:pk>/review/", checking.review, name="review"),
    path("<int:pk>/check/", checking.check, name="check"),
]
