from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "motverka.review"
    label = "review"
    verbose_name = "Loggranskning"
    default_auto_field = "django.db.models.BigAutoField"
