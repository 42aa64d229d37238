from django.urls import path

from motverka.accounts import views

urlpatterns = [
    path("sakerhetshandelser/", views.security_event_list, name="security_events"),
]
