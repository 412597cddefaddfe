from django.apps import AppConfig


class BenchdataConfig(AppConfig):
    # No models: the app only holds the `seed_scale` command (config.settings.bench).
    name = "bench.benchdata"
    label = "benchdata"
