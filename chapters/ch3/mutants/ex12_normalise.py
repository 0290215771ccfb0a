from grader.grading.mutants import Mutant

EX = "ex12_normalise"
MUTANTS = [
    Mutant(EX, "population_by_default", "stats_images", "correction: int = 1) -> tuple[torch.Tensor, torch.Tensor]:",
           "correction: int = 0) -> tuple[torch.Tensor, torch.Tensor]:"),
    Mutant(EX, "correction_ignored", "stats_population", "train.std(dim=dims, correction=correction)",
           "train.std(dim=dims)"),
    Mutant(EX, "stats_over_the_batch_only", "stats_images", "dims = [d for d in range(train.dim()) if d != 1]",
           "dims = [0]"),
    Mutant(EX, "stats_per_sample", "stats_features", "dims = [d for d in range(train.dim()) if d != 1]",
           "dims = [d for d in range(train.dim()) if d != 0]"),
    Mutant(EX, "stats_in_float32", "float64",
           "return train.mean(dim=dims), train.std(dim=dims, correction=correction)",
           "return (train.float().mean(dim=dims).to(train.dtype),\n"
           "            train.float().std(dim=dims, correction=correction).to(train.dtype))"),
    Mutant(EX, "zero_std_divides", "normalise_zero_std",
           "scale = torch.where(std == 0, torch.ones_like(std), std)", "scale = std"),
    Mutant(EX, "eps_instead_of_one", "normalise_zero_std",
           "scale = torch.where(std == 0, torch.ones_like(std), std)", "scale = std + 1e-8"),
    Mutant(EX, "std_changed_in_place", "normalise_zero_std",
           "scale = torch.where(std == 0, torch.ones_like(std), std)", "scale = std.masked_fill_(std == 0, 1.0)"),
    Mutant(EX, "broadcast_on_the_last_dim", "normalise_values", "shape = [1, -1] + [1] * (x.dim() - 2)",
           "shape = [1] * (x.dim() - 1) + [-1]"),
    Mutant(EX, "x_centred_in_place", "normalise_values",
           "return (x - mean.view(shape)) / scale.view(shape)",
           "return x.sub_(mean.view(shape)) / scale.view(shape)"),
    Mutant(EX, "each_split_its_own_stats", "splits_train_only",
           "return normalise(train, mean, std), normalise(val, mean, std), normalise(test, mean, std)",
           "return (normalise(train, mean, std), normalise(val, *fit_stats(val, correction)),\n"
           "            normalise(test, *fit_stats(test, correction)))"),
    Mutant(EX, "stats_from_all_splits", "splits_train_only",
           "mean, std = fit_stats(train, correction)",
           "mean, std = fit_stats(torch.cat([train, val, test]), correction)"),
    Mutant(EX, "splits_correction_dropped", "splits_train_only",
           "mean, std = fit_stats(train, correction)", "mean, std = fit_stats(train)"),
]
