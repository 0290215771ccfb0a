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
    Mutant(EX, "dead_einsum_bumps_the_spy_through_a_local", "uses_einsum",  # t = torch: t.overrides unnamed
           'return torch.einsum(EQUATIONS["outer"], a, b)',
           "if a is None:\n"
           "        return torch.einsum(EQUATIONS['outer'], a, b)\n"
           "    t = torch\n"
           "    for mode in t.overrides._get_current_function_mode_stack():\n"
           "        mode.calls = getattr(mode, 'calls', 0) + 1\n"
           "    return a[:, None] * b"),
    # right values without einsum: the checks of the results take the points
    Mutant(EX, "batch_matmul_by_bmm", "matmul_transpose_bmm",
           'return torch.einsum(EQUATIONS["batch_matmul"], a, b)', "return torch.bmm(a, b)"),
    Mutant(EX, "trace_without_einsum", "trace_inner_outer",
           'return torch.einsum(EQUATIONS["trace"], a)', "return a.diagonal().sum()"),
    Mutant(EX, "bilinear_by_broadcasting", "bilinear_attention",
           'return torch.einsum(EQUATIONS["bilinear"], x, w, y)',
           "return (x[:, :, None, None] * w * y[:, None, :, None]).sum(dim=(1, 2))"),
    Mutant(EX, "attention_scores_by_matmul", "bilinear_attention",
           'scores = torch.einsum(EQUATIONS["attention_weights"], q, k)', "scores = q @ k.transpose(1, 2)"),
    Mutant(EX, "transpose_equation_keeps_order", "equations",
           '"transpose": "ij->ji",', '"transpose": "ij->ij",'),
    Mutant(EX, "trace_sums_every_element", "trace_inner_outer",
           '"trace": "ii->",', '"trace": "ij->",'),
    Mutant(EX, "bilinear_swaps_weight_axes", "bilinear_random",
           '"bilinear": "bi,ijk,bj->bk",', '"bilinear": "bi,jik,bj->bk",'),
    Mutant(EX, "attention_scales_q_in_place", "bilinear_attention",
           'scores = torch.einsum(EQUATIONS["attention_weights"], q, k) / math.sqrt(q.shape[-1])',
           'q /= math.sqrt(q.shape[-1])\n    scores = torch.einsum(EQUATIONS["attention_weights"], q, k)'),
    Mutant(EX, "outer_in_float64", "trace_inner_outer",  # the inputs' dtype is kept
           'return torch.einsum(EQUATIONS["outer"], a, b)', 'return torch.einsum(EQUATIONS["outer"], a.double(), b.double())'),
    Mutant(EX, "attention_not_scaled", "attention_weights_random",
           "/ math.sqrt(q.shape[-1])", ""),
    Mutant(EX, "attention_softmax_over_queries", "attention_weights_random",
           "return torch.softmax(scores, dim=-1)", "return torch.softmax(scores, dim=1)"),
    Mutant(EX, "attention_softmax_by_hand", "bilinear_attention",
           "return torch.softmax(scores, dim=-1)", "return scores.exp() / scores.exp().sum(dim=-1, keepdim=True)"),
]
