"""API resources: agreements. (Being built.)"""


def register(router) -> None:
    pass
