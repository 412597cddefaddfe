"""API resources: networks. (Being built.)"""


def register(router) -> None:
    pass
