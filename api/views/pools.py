"""API resources: pools. (Being built.)"""


def register(router) -> None:
    pass
