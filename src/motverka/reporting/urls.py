from __future__ import annotations

from django.urls import path

from motverka.reporting import views

urlpatterns = [
    path("statistik/", views.figures, name="figures"),
    path("statistik/diagram/<slug:name>.svg", views.chart, name="figures_chart"),
    path(
        "statistik/tabell/<slug:slug>.<slug:fmt>",
        views.table_export,
        name="figures_table_export",
    ),
    path("statistik/arsrapport/<int:year>.pdf", views.annual_report, name="figures_annual_report"),
    path("statistik/exporter/<uuid:job_id>/", views.export_status, name="figures_export"),
    path("statistik/exporter/<uuid:job_id>/fil", views.export_download, name="figures_export_file"),
    path(
        "statistik/lansrapport/<int:year>.<slug:fmt>",
        views.county_report,
        name="figures_county_report",
    ),
]
