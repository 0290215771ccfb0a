from grader.grading.mutants import Mutant

EX = "ex04_data_split"
MUTANTS = [
    Mutant(EX, "no_length_check", "pair_dataset_length_mismatch",
           '        if data.shape[0] != len(targets):\n'
           '            raise ValueError(f"data has {data.shape[0]} samples but targets has {len(targets)}")\n', ""),
    Mutant(EX, "transform_once_in_init", "pair_dataset_transform",
           "self.data, self.targets, self.transform = data, targets, transform",
           "self.data = torch.stack([transform(x) for x in data]) if transform else data\n"
           "        self.targets, self.transform = targets, None"),
    Mutant(EX, "random_split_with_fractions", "split_partition",
           "    n = len(dataset)\n",
           "    return tuple(torch.utils.data.random_split(dataset, list(fractions),"
           " generator=torch.Generator().manual_seed(seed)))\n"),
    Mutant(EX, "round_not_floor", "split_partition",
           "math.floor(fractions[0] * n), math.floor(fractions[1] * n)",
           "round(fractions[0] * n), round(fractions[1] * n)"),
    Mutant(EX, "exact_sum_test", "split_partition",
           "not math.isclose(sum(fractions), 1.0, abs_tol=1e-6)", "sum(fractions) != 1"),
    Mutant(EX, "global_rng_not_seed", "split_seeded",
           "torch.randperm(n, generator=torch.Generator().manual_seed(seed))", "torch.randperm(n)"),
    Mutant(EX, "no_sum_check", "split_bad_fractions",
           " or not math.isclose(sum(fractions), 1.0, abs_tol=1e-6)", ""),
    Mutant(EX, "train_not_shuffled", "loaders",
           "DataLoader(train, batch_size=batch_size, shuffle=True)",
           "DataLoader(train, batch_size=batch_size, shuffle=False)"),
    Mutant(EX, "train_drops_last", "loaders",
           "DataLoader(train, batch_size=batch_size, shuffle=True)",
           "DataLoader(train, batch_size=batch_size, shuffle=True, drop_last=True)"),
    Mutant(EX, "val_shuffled", "loaders",
           "DataLoader(val, batch_size=batch_size, shuffle=False)",
           "DataLoader(val, batch_size=batch_size, shuffle=True)"),
    Mutant(EX, "default_batch_size_64", "loaders_any", "batch_size: int = 32", "batch_size: int = 64"),
]
