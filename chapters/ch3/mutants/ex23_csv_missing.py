from grader.grading.mutants import Mutant

EX = "ex23_csv_missing"
MUTANTS = [
    Mutant(EX, "gaps_filled_with_zero", "house_tiny", "numeric.append([mean if v in MISSING",
           "numeric.append([0.0 if v in MISSING"),
    Mutant(EX, "mean_over_all_rows", "numeric_means", "mean = sum(values) / len(values)",
           "mean = sum(values) / len(column)"),
    Mutant(EX, "only_empty_is_missing", "numeric_means", 'MISSING = ("", "NA")', 'MISSING = ("",)'),
    Mutant(EX, "no_nan_column", "house_tiny",
           "            categorical.append([float(v in MISSING) for v in column])\n"
           '            names.append(f"{name}_nan")\n', ""),
    Mutant(EX, "nan_column_only_when_missing", "nan_column_always",
           "            categorical.append([float(v in MISSING) for v in column])\n"
           '            names.append(f"{name}_nan")\n',
           "            if len(present) < len(column):\n"
           "                categorical.append([float(v in MISSING) for v in column])\n"
           '                names.append(f"{name}_nan")\n'),
    Mutant(EX, "categories_in_file_order", "categories_order", "for category in sorted(set(present)):",
           "for category in dict.fromkeys(present):"),
    Mutant(EX, "columns_in_file_order", "categories_order", "names.insert(len(numeric) - 1, name)",
           "names.append(name)"),
    Mutant(EX, "numeric_means_digits_only", "numeric_or_categorical", "values = [float(v) for v in present]",
           'values = [float(v) if v.isdigit() else float("not a digit") for v in present]'),
    Mutant(EX, "path_as_str_only", "path_object", "with open(path, newline",
           "with open(path if isinstance(path, str) else path.name, newline"),
    Mutant(EX, "y_float32", "house_tiny", "y = torch.tensor([float(row[-1]) for row in rows], dtype=torch.float64)",
           "y = torch.tensor([float(row[-1]) for row in rows])"),
    Mutant(EX, "names_without_the_column", "house_tiny", 'names.append(f"{name}_{category}")',
           "names.append(category)"),
]
