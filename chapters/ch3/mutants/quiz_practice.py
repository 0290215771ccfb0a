from grader.grading.mutants import Mutant

EX = "quiz_practice"
MUTANTS = [
    Mutant(EX, "slice_assignment_rebinds", "p10_inplace_vs_rebind",
           '"p10_inplace_vs_rebind": "B"', '"p10_inplace_vs_rebind": "D"'),
    Mutant(EX, "statistics_from_all_parts", "p12_train_statistics",
           '"p12_train_statistics": "C"', '"p12_train_statistics": "A"'),
    Mutant(EX, "steplr_every_epoch", "p13_scheduler_step", '"p13_scheduler_step": "C"', '"p13_scheduler_step": "A"'),
    Mutant(EX, "weights_only_skips_biases", "p14_weights_only", '"p14_weights_only": "A"', '"p14_weights_only": "B"'),
    Mutant(EX, "bce_just_fused", "p16_bce_with_logits", '"p16_bce_with_logits": "D"', '"p16_bce_with_logits": "C"'),
    Mutant(EX, "detach_copies", "p17_data_vs_detach", '"p17_data_vs_detach": "C"', '"p17_data_vs_detach": "A"'),
    Mutant(EX, "jacobian_vector_product", "p18_vjp", '"p18_vjp": "A"', '"p18_vjp": "C"'),
    Mutant(EX, "every_tensor_a_parameter", "p20_parameter_registration",
           '"p20_parameter_registration": "B"', '"p20_parameter_registration": "A"'),
    Mutant(EX, "frozen_backbone_blocks_head", "p21_frozen_backbone",
           '"p21_frozen_backbone": "D"', '"p21_frozen_backbone": "C"'),
    Mutant(EX, "padding_counts_zero", "p22_ignore_index", '"p22_ignore_index": "A"', '"p22_ignore_index": "B"'),
    Mutant(EX, "scaler_casts_parameters", "p19_grad_scaler", '"p19_grad_scaler": "B"', '"p19_grad_scaler": "A"'),
    Mutant(EX, "dummy_na_left_out", "p23_dummy_na",
           '    "p23_dummy_na": "B",  # missing as a category of its own, one-hot\n', ""),
]
