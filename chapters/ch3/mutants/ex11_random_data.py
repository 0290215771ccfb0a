from grader.grading.mutants import Mutant

EX = "ex11_random_data"
MUTANTS = [
    Mutant(EX, "global_numpy_seed", "seeded",
           "self.data = np.random.default_rng(seed).dirichlet(np.ones(feature), size=length)",
           "np.random.seed(seed)\n        self.data = np.random.default_rng(seed).dirichlet(np.ones(feature), "
           "size=length)"),
    Mutant(EX, "legacy_global_dirichlet", "values",
           "self.data = np.random.default_rng(seed).dirichlet(np.ones(feature), size=length)",
           "np.random.seed(seed)\n        self.data = np.random.dirichlet(np.ones(feature), size=length)"),
    Mutant(EX, "seed_ignored", "values", "self.data = np.random.default_rng(seed)",
           "self.data = np.random.default_rng()"),
    Mutant(EX, "default_seed_one", "default_seed", "seed: int = 0", "seed: int = 1"),
    Mutant(EX, "concentration_half", "values", "dirichlet(np.ones(feature), size=length)\n",
           "dirichlet(0.5 * np.ones(feature), size=length)\n"),
    Mutant(EX, "data_float64", "len_and_item_types", "torch.tensor(self.data[index], dtype=torch.float32)",
           "torch.tensor(self.data[index])"),
    Mutant(EX, "labels_as_class_index", "len_and_item_types",
           "torch.tensor(self.label[index], dtype=torch.int64))",
           "torch.tensor(self.label[index].argmax(), dtype=torch.int64))"),
    Mutant(EX, "labels_float", "len_and_item_types", "torch.tensor(self.label[index], dtype=torch.int64))",
           "torch.tensor(self.label[index], dtype=torch.float32))"),
    Mutant(EX, "labels_of_the_smallest", "labels", "self.data == self.data.max(axis=1)[:, None]",
           "self.data == self.data.min(axis=1)[:, None]"),
    Mutant(EX, "labels_over_the_batch_axis", "labels", "self.data == self.data.max(axis=1)[:, None]",
           "self.data == self.data.max(axis=0)[None, :]"),
    Mutant(EX, "drawn_at_every_read", "values",
           "return (torch.tensor(self.data[index], dtype=torch.float32),",
           "self.data = np.random.default_rng().dirichlet(np.ones(self.feature), size=self.length)\n"
           "        return (torch.tensor(self.data[index], dtype=torch.float32),"),
    Mutant(EX, "length_off_by_one", "len_and_item_types", "return self.length", "return self.length - 1"),
]
