"""API resources: applications. (Being built.)"""


def register(router) -> None:
    pass
