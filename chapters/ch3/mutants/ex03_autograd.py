from grader.grading.mutants import Mutant

EX = "ex03_autograd"
MUTANTS = [
    Mutant(EX, "loss_sum_not_mean", "chapter_loss",
           "return ((x - 1) ** 2 + 4).mean()", "return ((x - 1) ** 2 + 4).sum()"),
    Mutant(EX, "loss_through_item", "chapter_loss",
           "return ((x - 1) ** 2 + 4).mean()",
           "return torch.tensor(((x - 1) ** 2 + 4).mean().item(), device=x.device)"),
    Mutant(EX, "backward_on_callers_x", "grad_by_autograd_leaves_x",
           "    leaf = x.detach().requires_grad_(True)  # a new leaf that shares x's values, not its grad\n",
           "    leaf = x.requires_grad_(True)\n"),
    Mutant(EX, "autograd_result_keeps_graph", "grad_by_autograd_values",
           "    chapter_loss(leaf).backward()\n    return leaf.grad",
           "    return torch.autograd.grad(chapter_loss(leaf), leaf, create_graph=True)[0]"),
    Mutant(EX, "hand_grad_builds_graph", "grad_by_hand",
           "    with torch.no_grad():\n        return 2 * (x - 1) / x.numel()", "    return 2 * (x - 1) / x.numel()"),
    Mutant(EX, "hand_grad_divides_by_rows", "grad_by_hand",
           "return 2 * (x - 1) / x.numel()", "return 2 * (x - 1) / len(x)"),
    Mutant(EX, "restores_flag_but_clears_grad", "grad_by_autograd_leaves_x",
           "    leaf = x.detach().requires_grad_(True)  # a new leaf that shares x's values, not its grad\n"
           "    chapter_loss(leaf).backward()\n    return leaf.grad",
           "    was = x.requires_grad\n    x.requires_grad_(True)\n    chapter_loss(x).backward()\n"
           "    g = x.grad.clone()\n    x.grad = None\n    x.requires_grad_(was)\n    return g"),
    Mutant(EX, "freeze_counts_buffers", "freeze",
           "    frozen = 0\n    for p in module.parameters():\n        if p.requires_grad:\n"
           "            p.requires_grad_(False)\n            frozen += p.numel()\n    return frozen",
           "    for p in module.parameters():\n        p.requires_grad_(False)\n"
           "    return sum(t.numel() for t in module.state_dict().values())"),
    Mutant(EX, "freeze_counts_already_frozen", "freeze_partly_frozen",
           "        if p.requires_grad:\n            p.requires_grad_(False)\n            frozen += p.numel()",
           "        p.requires_grad_(False)\n        frozen += p.numel()"),
    Mutant(EX, "predict_no_grad_only", "predict",
           "    model.eval()\n    try:", "    try:"),
    Mutant(EX, "predict_eval_without_no_grad", "predict",
           "        with torch.no_grad():\n            return model(x)", "        return model(x)"),
    Mutant(EX, "predict_leaves_eval_mode", "predict_modes",
           "        for m, training in modes.items():\n            m.training = training",
           "        pass"),
    Mutant(EX, "predict_restores_top_flag_only", "predict_submodule_modes",
           "        for m, training in modes.items():\n            m.training = training",
           "        model.train(modes[model])"),
]
