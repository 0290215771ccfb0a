"""Never returns."""


def to_tensor(array):
    while True:
        pass


def to_numpy(tensor):
    while True:
        pass


def independent_copy(array):
    while True:
        pass
