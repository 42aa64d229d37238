from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "motverka.operations"
    label = "operations"
    verbose_name = "Drift"
