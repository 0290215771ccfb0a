from tests.mutants import Mutant

EX = "ex08_higher_order"
MUTANTS = [
    Mutant(EX, "no_create_graph_between_orders", "nth_derivative_cube",
           "derivative = _grad(derivative, x, create_graph=True)", "derivative = _grad(derivative, x)"),
    Mutant(EX, "one_order_short", "nth_derivative_random",
           "for _ in range(n):", "for _ in range(n - 1):"),
    Mutant(EX, "hessian_by_functional", "hessian_uses_grad",
           "return torch.stack([_grad(g[i], x) for i in range(x.shape[0])])",
           "return torch.autograd.functional.hessian(f, x)"),
    Mutant(EX, "hvp_forms_hessian", "hvp_without_hessian",
           "return _grad(g @ v, x)", "return torch.stack([_grad(g[i], x) for i in range(x.shape[0])]) @ v"),
    Mutant(EX, "gradient_keeps_graph", "leaves_x_alone",
           "return _grad(f(x), x)", "return _grad(f(x), x, create_graph=True)"),
    Mutant(EX, "sets_requires_grad_on_callers_x", "leaves_x_alone",
           "x = x.detach().requires_grad_(True)\n    derivative = f(x)", "x.requires_grad_(True)\n    derivative = f(x)"),
    Mutant(EX, "constant_derivative_not_handled", "zero_derivatives",
           "    if not y.requires_grad:\n        return torch.zeros_like(x)\n", ""),
]
