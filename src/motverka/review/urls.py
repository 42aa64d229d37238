from django.urls import path

from motverka.review import views

urlpatterns = [
    path("loggranskning/", views.review_page, name="log_review"),
    path("loggranskning/granskningar/", views.review_list, name="log_review_list"),
    path("arenden/<int:case_id>/loggutdrag/", views.log_extract, name="log_extract"),
]
