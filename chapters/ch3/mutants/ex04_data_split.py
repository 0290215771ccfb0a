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
    Mutant(EX, "len_of_last_axis", "pair_dataset_items", "return self.data.shape[0]", "return self.data.shape[-1]"),
    Mutant(EX, "item_swapped", "pair_dataset_items",
           "return sample, self.targets[index]", "return self.targets[index], sample"),
    Mutant(EX, "transform_on_targets", "pair_dataset_transform",
           "return sample, self.targets[index]",
           "return sample, self.transform(self.targets[index]) if self.transform else self.targets[index]"),
    Mutant(EX, "transform_cached", "pair_dataset_transform",
           "        sample = self.data[index]\n"
           "        if self.transform is not None:\n"
           "            sample = self.transform(sample)\n",
           "        cache = self.__dict__.setdefault('cache', {})\n"
           "        if index not in cache:\n"
           "            cache[index] = self.transform(self.data[index]) if self.transform else self.data[index]\n"
           "        sample = cache[index]\n"),
    Mutant(EX, "targets_must_be_tensor", "pair_dataset_items",
           "if data.shape[0] != len(targets):", "if data.shape[0] != targets.shape[0]:"),
    Mutant(EX, "data_cast_to_float", "pair_dataset_items",
           "self.data, self.targets, self.transform = data, targets, transform",
           "self.data, self.targets, self.transform = data.float(), targets, transform"),
    Mutant(EX, "random_split_with_fractions", "split_partition",
           "    n = len(dataset)\n",
           "    return tuple(torch.utils.data.random_split(dataset, list(fractions),"
           " generator=torch.Generator().manual_seed(seed)))\n"),
    Mutant(EX, "round_not_floor", "split_partition",
           "math.floor(fractions[0] * n), math.floor(fractions[1] * n)",
           "round(fractions[0] * n), round(fractions[1] * n)"),
    Mutant(EX, "exact_sum_test", "split_partition",
           "not math.isclose(sum(fractions), 1.0, abs_tol=1e-6)", "sum(fractions) != 1"),
    Mutant(EX, "parts_not_subsets", "split_partition",
           "return (Subset(dataset, order[:n_train]), Subset(dataset, order[n_train:n_train + n_val]),\n"
           "            Subset(dataset, order[n_train + n_val:]))",
           "return tuple([dataset[i] for i in part] for part in (order[:n_train], order[n_train:n_train + n_val],\n"
           "                                                     order[n_train + n_val:]))"),
    Mutant(EX, "indices_with_repeats", "split_partition",
           "torch.randperm(n, generator=torch.Generator().manual_seed(seed))",
           "torch.randint(n, (n,), generator=torch.Generator().manual_seed(seed))"),
    Mutant(EX, "global_rng_not_seed", "split_seeded",
           "torch.randperm(n, generator=torch.Generator().manual_seed(seed))", "torch.randperm(n)"),
    Mutant(EX, "reseeds_global_rng", "split_seeded",
           "    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed)).tolist()\n",
           "    torch.manual_seed(seed)\n"
           "    order = torch.randperm(n).tolist()\n"),
    Mutant(EX, "reseeds_python_random", "split_seeded",
           "    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed)).tolist()\n",
           "    rng = __import__('random')\n"
           "    rng.seed(seed)\n"
           "    order = list(range(n))\n"
           "    rng.shuffle(order)\n"),
    Mutant(EX, "seed_mixed_with_global", "split_seeded",
           "torch.Generator().manual_seed(seed)", "torch.Generator().manual_seed(seed + torch.initial_seed())"),
    Mutant(EX, "seed_ignored", "split_seeded",
           "torch.Generator().manual_seed(seed)", "torch.Generator().manual_seed(0)"),
    Mutant(EX, "not_shuffled", "split_seeded",
           "order = torch.randperm(n, generator=torch.Generator().manual_seed(seed)).tolist()",
           "order = list(range(n))"),
    Mutant(EX, "no_count_check", "split_bad_fractions", "len(fractions) != 3 or ", ""),
    Mutant(EX, "no_negative_check", "split_bad_fractions", "min(fractions) < 0 or ", ""),
    Mutant(EX, "loose_sum_tolerance", "split_bad_fractions", "abs_tol=1e-6", "abs_tol=1e-3"),
    Mutant(EX, "no_sum_check", "split_bad_fractions",
           " or not math.isclose(sum(fractions), 1.0, abs_tol=1e-6)", ""),
    Mutant(EX, "train_not_shuffled", "loaders",
           "DataLoader(train, batch_size=batch_size, shuffle=True)",
           "DataLoader(train, batch_size=batch_size, shuffle=False)"),
    Mutant(EX, "train_shuffled_once", "loaders",
           "DataLoader(train, batch_size=batch_size, shuffle=True)",
           "DataLoader(Subset(train, torch.randperm(len(train)).tolist()), batch_size=batch_size)"),
    Mutant(EX, "train_drops_last", "loaders",
           "DataLoader(train, batch_size=batch_size, shuffle=True)",
           "DataLoader(train, batch_size=batch_size, shuffle=True, drop_last=True)"),
    Mutant(EX, "val_shuffled", "loaders",
           "DataLoader(val, batch_size=batch_size, shuffle=False)",
           "DataLoader(val, batch_size=batch_size, shuffle=True)"),
    Mutant(EX, "val_batch_size_ignored", "loaders",
           "DataLoader(val, batch_size=batch_size, shuffle=False)", "DataLoader(val, shuffle=False)"),
    Mutant(EX, "val_and_test_swapped", "loaders",
           "            DataLoader(val, batch_size=batch_size, shuffle=False),\n"
           "            DataLoader(test, batch_size=batch_size, shuffle=False))",
           "            DataLoader(test, batch_size=batch_size, shuffle=False),\n"
           "            DataLoader(val, batch_size=batch_size, shuffle=False))"),
    Mutant(EX, "test_shuffled", "loaders",
           "DataLoader(test, batch_size=batch_size, shuffle=False)",
           "DataLoader(test, batch_size=batch_size, shuffle=True)"),
    Mutant(EX, "default_batch_size_64", "loaders", "batch_size: int = 32", "batch_size: int = 64"),
]
