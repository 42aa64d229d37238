from __future__ import annotations

from django.urls import path

from motverka.reporting import views

urlpatterns = [path("statistik/", views.figures, name="figures")]
