from django.apps import AppConfig


class DemoConfig(AppConfig):
    # No models and nothing in the admin: the app only holds the `demo` command.
    name = "demo"
