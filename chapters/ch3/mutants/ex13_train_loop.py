from grader.grading.mutants import Mutant

EX = "ex13_train_loop"
_STEP = ("        optimizer.zero_grad()\n        loss = loss_fn(model(input_data), label_data)\n        loss.backward()\n"
         "        optimizer.step()\n")
MUTANTS = [
    Mutant(EX, "loss_over_samples", "train_loop",
           "return total_loss / len(data_loader)\n", "return total_loss / len(data_loader.dataset)  # type: ignore\n"),
    Mutant(EX, "never_zero_grad", "train_loop", "        optimizer.zero_grad()\n", ""),
    Mutant(EX, "zero_grad_after_step", "train_loop_stale_grad", _STEP,  # the chapter's order
           "        loss = loss_fn(model(input_data), label_data)\n        loss.backward()\n        optimizer.step()\n"
           "        optimizer.zero_grad()\n"),
    Mutant(EX, "train_loop_keeps_eval_mode", "train_loop", "    model.train()\n    total_loss", "    total_loss"),
    Mutant(EX, "eval_builds_graph", "eval_loop", "    with torch.no_grad():\n        for input_data",
           "    if True:\n        for input_data"),
    Mutant(EX, "eval_in_training_mode", "eval_loop", "    model.eval()\n", ""),
    Mutant(EX, "accuracy_per_batch", "eval_loop",
           "correct / len(data_loader.dataset)", "correct / len(data_loader)"),
    Mutant(EX, "scheduler_before_training", "fit_history",
           "        lr = optimizer.param_groups[0][\"lr\"]\n",
           "        scheduler.step()\n        lr = optimizer.param_groups[0][\"lr\"]\n"),
    Mutant(EX, "never_scheduled", "fit_history", "        scheduler.step()\n", ""),
    Mutant(EX, "scalars_from_step_one", "fit_scalars",
           'writer.add_scalar("Loss/train", train_loss, epoch)', 'writer.add_scalar("Loss/train", train_loss, epoch + 1)'),
    Mutant(EX, "writer_never_closed", "fit_scalars", "    writer.close()\n", ""),
    Mutant(EX, "histogram_of_gradients", "fit_histograms",
           'writer.add_histogram(f"Parameters/{name}", param.detach(), epoch)',
           'writer.add_histogram(f"Parameters/{name}", param.grad, epoch)'),
    Mutant(EX, "hparams_with_last_lr", "fit_hparams",
           '{"lr": initial_lr,', '{"lr": optimizer.param_groups[0]["lr"],'),
]
