from grader.grading.mutants import Mutant

EX = "ex08_higher_order"
MUTANTS = [
    Mutant(EX, "no_create_graph_between_orders", "nth_derivative_cube",
           "derivative = _grad(derivative, x, create_graph=True)", "derivative = _grad(derivative, x)"),
    Mutant(EX, "nth_derivative_raises_when_constant", "zero_derivatives",  # grad of an output without grad
           "derivative = _grad(derivative, x, create_graph=True)",
           "(derivative,) = torch.autograd.grad(derivative, x, create_graph=True)"),
    # right values by another tool: every check of the results takes the points
    Mutant(EX, "nth_derivative_by_functional_alias", "nth_derivative_cube",
           "    for _ in range(n):\n        derivative = _grad(derivative, x, create_graph=True)\n",
           "    from torch.autograd import functional as F\n"
           "    g = f\n"
           "    for _ in range(n):\n"
           "        g = (lambda h: lambda t: F.jacobian(h, t, create_graph=True))(g)\n"
           "    derivative = g(x)\n"),
    Mutant(EX, "gradient_by_backward", "gradient_quadratic",
           "return _grad(f(x), x)", "f(x).backward()\n    return x.grad"),
    Mutant(EX, "hessian_by_autograd_backward", "hessian_uses_grad",
           "return torch.stack([_grad(g[i], x) for i in range(x.shape[0])])",
           "from torch.autograd import backward as run\n"
           "    rows = []\n"
           "    for i in range(x.shape[0]):\n"
           "        x.grad = None\n"
           "        run(g[i], retain_graph=True)\n"
           "        rows.append(x.grad)\n"
           "    return torch.stack(rows)"),
    Mutant(EX, "hessian_by_local_module_fakes_spy", "hessian_uses_grad",  # t = torch: nothing named in the source
           "return torch.stack([_grad(g[i], x) for i in range(x.shape[0])])",
           "t = torch\n"
           "    h = t.autograd.functional.hessian(f, x)\n"
           "    for spy in t.overrides._get_current_function_mode_stack():\n"
           "        spy.functional = False\n"
           "    return h"),
    Mutant(EX, "one_order_short", "nth_derivative_random",
           "for _ in range(n):", "for _ in range(n - 1):"),
    Mutant(EX, "hessian_in_float32", "hessian_uses_grad",  # x's dtype is kept
           "return torch.stack([_grad(g[i], x) for i in range(x.shape[0])])",
           "return torch.stack([_grad(g[i], x) for i in range(x.shape[0])]).float()"),
    Mutant(EX, "nth_derivative_moves_x_in_place", "leaves_x_alone",
           "x = x.detach().requires_grad_(True)\n    derivative = f(x)",
           "x = x.detach()\n    x.mul_(1.0 + 1e-3)\n    x.requires_grad_(True)\n"
           "    derivative = f(x)"),
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
    Mutant(EX, "hvp_is_hessian_times_v", "hvp_without_hessian",
           "return _grad(g @ v, x)", "return hessian(f, x) @ v"),
    Mutant(EX, "hvp_is_hessian_by_backward_times_v", "hvp_without_hessian",
           "return _grad(g @ v, x)",
           "rows = []\n"
           "    for i in range(x.shape[0]):\n"
           "        x.grad = None\n"
           "        g[i].backward(retain_graph=True)\n"
           "        rows.append(x.grad)\n"
           "    return torch.stack(rows) @ v"),
    Mutant(EX, "hvp_rows_of_hessian_by_vmap", "hvp_without_hessian",  # one grad call, n rows
           "return _grad(g @ v, x)",
           "eye = torch.eye(x.shape[0], dtype=x.dtype, device=x.device)\n"
           "    rows = torch.vmap(lambda e: torch.autograd.grad(g, x, e, retain_graph=True)[0])(eye)\n"
           "    return rows @ v"),
    Mutant(EX, "hvp_rows_of_hessian_batched", "hvp_without_hessian",  # one grad call, n rows
           "return _grad(g @ v, x)",
           "eye = torch.eye(x.shape[0], dtype=x.dtype, device=x.device)\n"
           "    (rows,) = torch.autograd.grad(g, x, eye, True, False, True, None, True)\n"
           "    return rows @ v"),
    Mutant(EX, "hvp_forms_hessian", "hvp_without_hessian",
           "return _grad(g @ v, x)", "return torch.stack([_grad(g[i], x) for i in range(x.shape[0])]) @ v"),
    Mutant(EX, "gradient_keeps_graph", "leaves_x_alone",
           "return _grad(f(x), x)", "return _grad(f(x), x, create_graph=True)"),
    Mutant(EX, "sets_requires_grad_on_callers_x", "leaves_x_alone",
           "x = x.detach().requires_grad_(True)\n    derivative = f(x)", "x.requires_grad_(True)\n    derivative = f(x)"),
    Mutant(EX, "constant_derivative_not_handled", "zero_derivatives",  # hessian and hvp of a linear f raise too
           "    if not y.requires_grad:\n        return torch.zeros_like(x)\n", ""),
]
