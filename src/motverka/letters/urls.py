from __future__ import annotations

from django.urls import path

from motverka.letters import views

urlpatterns = [
    path("arenden/<int:case_id>/skrivelser/ny/", views.letter_create, name="letter_create"),
    path("skrivelser/<int:letter_id>/", views.letter_detail, name="letter_detail"),
    path(
        "skrivelser/<int:letter_id>/forhandsgranska/",
        views.letter_preview,
        name="letter_preview",
    ),
    path("skrivelser/<int:letter_id>/slutfor/", views.letter_finalise, name="letter_finalise"),
    path("skrivelser/<int:letter_id>/skickad/", views.letter_mark_sent, name="letter_mark_sent"),
    path("skrivelser/<int:letter_id>/rattelse/", views.letter_correct, name="letter_correct"),
    path("skrivelser/<int:letter_id>/pdf/", views.letter_pdf, name="letter_pdf"),
]
