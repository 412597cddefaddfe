"""API resources: exports. (Being built.)"""


def register(router) -> None:
    pass
