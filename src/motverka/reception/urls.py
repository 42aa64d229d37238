from __future__ import annotations

from django.urls import path

from motverka.reception import views

urlpatterns = [
    path("mottagning/screening/", views.screening, name="screening"),
    path("mottagning/screening/registrera/", views.screening_register, name="screening_register"),
]
