from grader.grading.mutants import Mutant

EX = "quiz"
MUTANTS = [
    Mutant(EX, "from_numpy_copies", "b1_shared_memory", '"b1_shared_memory": "B"', '"b1_shared_memory": "A"'),
    Mutant(EX, "as_tensor_copies", "b1_copy", '"b1_copy": "D"', '"b1_copy": "B"'),
    Mutant(EX, "linear_is_wx", "b2_linear_formula", '"b2_linear_formula": "A"', '"b2_linear_formula": "B"'),
    Mutant(EX, "eval_disables_grad", "b3_no_grad_vs_eval", '"b3_no_grad_vs_eval": "D"', '"b3_no_grad_vs_eval": "B"'),
    Mutant(EX, "forward_skips_autograd", "d9_call_vs_forward", '"d9_call_vs_forward": "D"', '"d9_call_vs_forward": "A"'),
    Mutant(EX, "forward_skips_every_hook", "d9_hooks", '"d9_hooks": "B"', '"d9_hooks": "A"'),
    Mutant(EX, "freeze_left_out", "b3_freeze",
           '    "b3_freeze": "C",  # frozen parameters get no grad, gradients still pass through\n', ""),
]
