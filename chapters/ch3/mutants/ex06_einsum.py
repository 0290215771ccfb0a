from grader.grading.mutants import Mutant

EX = "ex06_einsum"
MUTANTS = [
    Mutant(EX, "matmul_with_at_operator", "uses_einsum",
           'return torch.einsum(EQUATIONS["matmul"], a, b)', "return a @ b"),
    Mutant(EX, "bumps_the_einsum_spy", "uses_einsum",  # no einsum, but the spy's counter says one
           'return torch.einsum(EQUATIONS["outer"], a, b)',
           "for mode in torch.overrides._get_current_function_mode_stack():\n"
           "        mode.calls = getattr(mode, 'calls', 0) + 1\n"
           "    return a[:, None] * b"),
    Mutant(EX, "dead_einsum_bumps_the_spy", "uses_einsum",  # einsum in the source, never run; the spy bumped
           'return torch.einsum(EQUATIONS["outer"], a, b)',
           "if a is None:\n"
           "        return torch.einsum(EQUATIONS['outer'], a, b)\n"
           "    for mode in torch.overrides._get_current_function_mode_stack():\n"
           "        mode.calls = getattr(mode, 'calls', 0) + 1\n"
           "    return a[:, None] * b"),
    Mutant(EX, "transpose_equation_keeps_order", "equations",
           '"transpose": "ij->ji",', '"transpose": "ij->ij",'),
    Mutant(EX, "trace_sums_every_element", "trace_inner_outer",
           '"trace": "ii->",', '"trace": "ij->",'),
    Mutant(EX, "bilinear_swaps_weight_axes", "bilinear_random",
           '"bilinear": "bi,ijk,bj->bk",', '"bilinear": "bi,jik,bj->bk",'),
    Mutant(EX, "attention_not_scaled", "attention_weights_random",
           "/ math.sqrt(q.shape[-1])", ""),
    Mutant(EX, "attention_softmax_over_queries", "attention_weights_random",
           "return torch.softmax(scores, dim=-1)", "return torch.softmax(scores, dim=1)"),
    Mutant(EX, "attention_softmax_by_hand", "attention_weights_random",
           "return torch.softmax(scores, dim=-1)", "return scores.exp() / scores.exp().sum(dim=-1, keepdim=True)"),
]
