from grader.grading.mutants import Mutant

EX = "ex01_tensor_numpy"
MUTANTS = [
    Mutant(EX, "to_tensor_copies", "to_tensor_shares_memory",
           "return torch.from_numpy(array)", "return torch.tensor(array)"),
    Mutant(EX, "to_tensor_copies_transposed", "to_tensor_shares_memory",
           "return torch.from_numpy(array)", "return torch.from_numpy(np.ascontiguousarray(array))"),
    Mutant(EX, "to_tensor_casts_to_float32", "to_tensor_values",
           "return torch.from_numpy(array)", "return torch.from_numpy(array.astype(np.float32, copy=False))"),
    Mutant(EX, "to_tensor_casts_ints_to_int64", "to_tensor_any_dtype",
           "return torch.from_numpy(array)",
           "return torch.from_numpy(array.astype(np.int64) if array.dtype.kind in 'iu' else array)"),
    Mutant(EX, "to_numpy_without_detach", "to_numpy_requires_grad",
           "return tensor.detach().cpu().numpy()", "return tensor.cpu().numpy()"),
    Mutant(EX, "to_numpy_unsets_requires_grad", "to_numpy_requires_grad",
           "return tensor.detach().cpu().numpy()", "return tensor.requires_grad_(False).cpu().numpy()"),
    Mutant(EX, "to_numpy_always_copies", "to_numpy_shares_memory",
           "return tensor.detach().cpu().numpy()", "return tensor.detach().cpu().numpy().copy()"),
    Mutant(EX, "to_numpy_through_a_flat_view", "to_numpy_values",
           "return tensor.detach().cpu().numpy()",
           "return tensor.detach().cpu().view(-1).numpy().reshape(tuple(tensor.shape))"),
    Mutant(EX, "to_numpy_as_float", "to_numpy_values",
           "return tensor.detach().cpu().numpy()", "return tensor.detach().cpu().float().numpy()"),
    Mutant(EX, "copy_shares_memory", "independent_copy",
           "return torch.tensor(array)", "return torch.as_tensor(array)"),
    Mutant(EX, "copy_loses_dtype", "independent_copy",
           "return torch.tensor(array)", "return torch.tensor(array, dtype=torch.float64)"),
]
