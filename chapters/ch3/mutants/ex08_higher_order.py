from grader.grading.mutants import Mutant

EX = "ex08_higher_order"
MUTANTS = [
    Mutant(EX, "no_create_graph_between_orders", "nth_derivative_cube",
           "derivative = _grad(derivative, x, create_graph=True)", "derivative = _grad(derivative, x)"),
    Mutant(EX, "one_order_short", "nth_derivative_random",
           "for _ in range(n):", "for _ in range(n - 1):"),
    Mutant(EX, "hessian_by_functional", "hessian_uses_grad",
           "return torch.stack([_grad(g[i], x) for i in range(x.shape[0])])",
           "return torch.autograd.functional.hessian(f, x)"),
    Mutant(EX, "hessian_by_backward_fakes_spy", "hessian_uses_grad",  # .backward() per row, then hides it from the spy
           "return torch.stack([_grad(g[i], x) for i in range(x.shape[0])])",
           "rows = []\n"
           "    for i in range(x.shape[0]):\n"
           "        x.grad = None\n"
           "        g[i].backward(retain_graph=True)\n"
           "        rows.append(x.grad)\n"
           "    for spy in torch.overrides._get_current_function_mode_stack():\n"
           "        spy.backward_calls, spy.passes = 0, 2\n"
           "    return torch.stack(rows)"),
    Mutant(EX, "hessian_by_methodcaller", "hessian_uses_grad",  # .backward() unseen in the source: the spy sees it
           "return torch.stack([_grad(g[i], x) for i in range(x.shape[0])])",
           "import operator\n"
           "    rows = []\n"
           "    for i in range(x.shape[0]):\n"
           "        x.grad = None\n"
           "        operator.methodcaller('backward', retain_graph=True)(g[i])\n"
           "        rows.append(x.grad)\n"
           "    return torch.stack(rows)"),
    Mutant(EX, "hvp_by_hidden_backward", "hvp_without_hessian",
           "return _grad(g @ v, x)", "getattr(g @ v, 'back' + 'ward')()\n    return x.grad"),
    Mutant(EX, "hvp_is_hessian_times_v_fakes_spy", "hvp_without_hessian",  # forms H, then hides the passes
           "return _grad(g @ v, x)",
           "hv = hessian(f, x) @ v\n"
           "    for spy in torch.overrides._get_current_function_mode_stack():\n"
           "        spy.passes = 2\n"
           "    return hv"),
    Mutant(EX, "hvp_forms_hessian", "hvp_without_hessian",
           "return _grad(g @ v, x)", "return torch.stack([_grad(g[i], x) for i in range(x.shape[0])]) @ v"),
    Mutant(EX, "gradient_keeps_graph", "leaves_x_alone",
           "return _grad(f(x), x)", "return _grad(f(x), x, create_graph=True)"),
    Mutant(EX, "sets_requires_grad_on_callers_x", "leaves_x_alone",
           "x = x.detach().requires_grad_(True)\n    derivative = f(x)", "x.requires_grad_(True)\n    derivative = f(x)"),
    Mutant(EX, "constant_derivative_not_handled", "zero_derivatives",
           "    if not y.requires_grad:\n        return torch.zeros_like(x)\n", ""),
]
