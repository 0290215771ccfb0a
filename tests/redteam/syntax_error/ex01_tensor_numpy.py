def to_tensor(array)
    return array
