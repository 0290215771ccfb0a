from grader.grading.mutants import Mutant

EX = "ex15_linear_regression"
_ZERO = "            w.grad.zero_()\n            b.grad.zero_()\n"
_MANUAL_LOSS = "loss = ((x[batch] @ w + b - y[batch]) ** 2).mean()"
_MANUAL_BACKWARD = "            loss.backward()\n            with torch.no_grad():\n                w -= lr * w.grad\n" \
                   "                b -= lr * b.grad\n"
MUTANTS = [
    Mutant(EX, "gradients_never_zeroed", "manual_sgd", _ZERO, ""),
    Mutant(EX, "samples_in_their_order", "manual_sgd",
           "    for epoch in range(epochs):\n        for batch in epoch_batches(len(x), batch_size, seed, epoch):\n"
           "            batch = batch.to(x.device)\n            loss = ((x",
           "    for epoch in range(epochs):\n        for batch in torch.arange(len(x)).split(batch_size):\n"
           "            batch = batch.to(x.device)\n            loss = ((x"),
    Mutant(EX, "one_order_for_every_epoch", "manual_sgd",
           "        for batch in epoch_batches(len(x), batch_size, seed, epoch):\n            batch = batch.to(x.device)\n"
           "            loss = ((x",
           "        for batch in epoch_batches(len(x), batch_size, seed, 0):\n            batch = batch.to(x.device)\n"
           "            loss = ((x"),
    Mutant(EX, "batch_loss_summed", "manual_minibatch", _MANUAL_LOSS,
           "loss = ((x[batch] @ w + b - y[batch]) ** 2).sum()"),
    Mutant(EX, "divided_by_batch_size", "manual_minibatch", _MANUAL_LOSS,
           "loss = ((x[batch] @ w + b - y[batch]) ** 2).sum() / batch_size"),
    Mutant(EX, "trains_the_callers_w0", "manual_sgd",
           "    w = w0.detach().clone().requires_grad_(True)", "    w = w0.requires_grad_(True)"),
    Mutant(EX, "returns_leaves_with_grad", "manual_sgd", "    return w.detach(), b.detach()", "    return w, b"),
    Mutant(EX, "gradient_written_by_hand", "manual_sgd", _MANUAL_BACKWARD + _ZERO,
           "            with torch.no_grad():\n                r = x[batch] @ w + b - y[batch]\n"
           "                w -= lr * 2 / len(batch) * (x[batch].T @ r)\n                b -= lr * 2 / len(batch) * r.sum()\n"),
    Mutant(EX, "manual_with_an_optimizer", "manual_sgd",
           "    for epoch in range(epochs):\n        for batch in epoch_batches(len(x), batch_size, seed, epoch):\n"
           "            batch = batch.to(x.device)\n            loss = ((x[batch] @ w + b - y[batch]) ** 2).mean()\n"
           + _MANUAL_BACKWARD + _ZERO,
           "    opt = torch.optim.SGD([w, b], lr=lr)\n"
           "    for epoch in range(epochs):\n        for batch in epoch_batches(len(x), batch_size, seed, epoch):\n"
           "            batch = batch.to(x.device)\n            loss = ((x[batch] @ w + b - y[batch]) ** 2).mean()\n"
           "            opt.zero_grad()\n            loss.backward()\n            opt.step()\n"),
    Mutant(EX, "manual_in_float32", "manual_random",
           "    w = w0.detach().clone().requires_grad_(True)\n    b = b0.detach().clone().requires_grad_(True)\n",
           "    x, y = x.float(), y.float()\n    w = w0.detach().clone().float().requires_grad_(True)\n"
           "    b = b0.detach().clone().float().requires_grad_(True)\n"),
    Mutant(EX, "output_not_squeezed", "nn_minibatch",
           "loss = loss_fn(model(x[batch]).squeeze(1), y[batch])", "loss = loss_fn(model(x[batch]), y[batch])"),
    Mutant(EX, "nn_gradients_never_zeroed", "nn_sgd", "            optimizer.zero_grad()\n", ""),
    Mutant(EX, "nn_default_initialisation", "nn_chapter_example",
           "    with torch.no_grad():\n        model.weight.copy_(w0.reshape(1, -1))\n        model.bias.copy_(b0.reshape(1))\n",
           ""),
    Mutant(EX, "nn_with_adam", "nn_sgd",
           "optimizer = torch.optim.SGD(model.parameters(), lr=lr)", "optimizer = torch.optim.Adam(model.parameters(), lr=lr)"),
    Mutant(EX, "nn_with_momentum", "nn_sgd",
           "optimizer = torch.optim.SGD(model.parameters(), lr=lr)",
           "optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)"),
    Mutant(EX, "nn_returns_a_sequential", "nn_sgd", "    return model", "    return nn.Sequential(model)"),
    Mutant(EX, "nn_in_float32", "nn_random",
           "model = nn.Linear(x.shape[1], 1).to(device=x.device, dtype=x.dtype)",
           "model = nn.Linear(x.shape[1], 1).to(device=x.device)\n    x, y = x.float(), y.float()"),
]
