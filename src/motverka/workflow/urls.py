from __future__ import annotations

from django.urls import path

from motverka.workflow import views

urlpatterns = [
    path("arenden/<int:case_id>/steg/<str:action>/", views.step_perform, name="workflow_step"),
    path("arenden/<int:case_id>/samtycke/", views.consent_add, name="consent_record"),
    path("bevakningar/", views.my_deadlines, name="my_deadlines"),
    path("bevakningar/enhet/", views.unit_deadlines, name="unit_deadlines"),
    path("bevakningar/kalkylator/", views.deadline_calculator, name="deadline_calculator"),
]
