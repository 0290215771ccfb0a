from grader.grading.mutants import Mutant

EX = "ex18_jacobian"
_ROW = "            (row,) = torch.autograd.grad(out, leaf, retain_graph=True, materialize_grads=True)\n"
_VJP = "    (g,) = torch.autograd.grad(y, leaf, grad_outputs=v, materialize_grads=True)\n    return g"
MUTANTS = [
    Mutant(EX, "jacobian_transposed", "jacobian_vector",
           "return torch.stack(rows).reshape(y.shape + x.shape).detach()",
           "return torch.stack(rows).reshape(y.numel(), -1).T.reshape(x.shape + y.shape).detach()"),
    Mutant(EX, "jacobian_flat", "jacobian_matrix_input",
           "return torch.stack(rows).reshape(y.shape + x.shape).detach()",
           "return torch.stack(rows).reshape(y.numel(), x.numel()).detach()"),
    Mutant(EX, "jacobian_row_of_the_sum", "jacobian_vector", _ROW,
           "            (row,) = torch.autograd.grad(y.sum(), leaf, retain_graph=True)\n"),
    Mutant(EX, "jacobian_fails_on_constants", "jacobian_vector",
           "        if out.requires_grad:\n" + _ROW + "        else:\n            row = torch.zeros_like(leaf)\n",
           "        (row,) = torch.autograd.grad(out, leaf, retain_graph=True)\n"),
    Mutant(EX, "jacobian_by_functional", "jacobian_vector",
           "    leaf = x.detach().requires_grad_(True)\n    y = f(leaf)\n    rows = []",
           "    return torch.autograd.functional.jacobian(f, x)\n    leaf = x.detach().requires_grad_(True)\n"
           "    y = f(leaf)\n    rows = []"),
    Mutant(EX, "jacobian_by_backward", "jacobian_matrix_input", _ROW,
           "            leaf.grad = None\n            out.backward(retain_graph=True)\n            row = leaf.grad.clone()\n"),
    Mutant(EX, "functional_given_f_of_x", "jacobian_functional",
           "    return torch.autograd.functional.jacobian(f, x.detach())",
           "    return torch.autograd.functional.jacobian(lambda t: f(x), x.detach())"),
    Mutant(EX, "functional_by_hand", "jacobian_functional",
           "    return torch.autograd.functional.jacobian(f, x.detach())", "    return jacobian(f, x)"),
    Mutant(EX, "vjp_forms_j", "vjp", _VJP,
           "    return (v.reshape(-1) @ jacobian(f, x).reshape(v.numel(), -1)).reshape(x.shape)"),
    Mutant(EX, "vjp_without_v", "vjp", "grad_outputs=v, materialize_grads=True", "grad_outputs=torch.ones_like(y)"),
    Mutant(EX, "vjp_on_the_callers_x", "leaves_x_alone",
           "    leaf = x.detach().requires_grad_(True)\n    y = f(leaf)\n    if not y.requires_grad:",
           "    leaf = x.requires_grad_(True)\n    y = f(leaf)\n    if not y.requires_grad:"),
    Mutant(EX, "jacobian_keeps_graph", "leaves_x_alone",
           _ROW + "        else:\n            row = torch.zeros_like(leaf)\n        rows.append(row)\n"
           "    return torch.stack(rows).reshape(y.shape + x.shape).detach()",
           "            (row,) = torch.autograd.grad(out, leaf, retain_graph=True, create_graph=True)\n"
           "        else:\n            row = torch.zeros_like(leaf)\n        rows.append(row)\n"
           "    return torch.stack(rows).reshape(y.shape + x.shape)"),
    Mutant(EX, "vjp_in_float32", "vjp", _VJP,
           "    (g,) = torch.autograd.grad(y, leaf, grad_outputs=v, materialize_grads=True)\n    return g.float()"),
]
