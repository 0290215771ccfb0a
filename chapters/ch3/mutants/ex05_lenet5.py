from grader.grading.mutants import Mutant

EX = "ex05_lenet5"
MUTANTS = [
    Mutant(EX, "no_padding", "structure",
           "nn.Conv2d(1, 6, kernel_size=5, stride=1, padding=2)", "nn.Conv2d(1, 6, kernel_size=5, stride=1)"),
    Mutant(EX, "fc2_width_100", "layers_and_parameters",
           "self.fc2 = nn.Linear(120, 84)\n        self.fc3 = nn.Linear(84, 10)",
           "self.fc2 = nn.Linear(120, 100)\n        self.fc3 = nn.Linear(100, 10)"),
    Mutant(EX, "max_pooling", "forward_layers",
           "self.pool2 = nn.AvgPool2d(kernel_size=2, stride=2)", "self.pool2 = nn.MaxPool2d(kernel_size=2, stride=2)"),
    Mutant(EX, "relu_on_logits", "forward_layers",
           "return self.fc3(x)", "return F.relu(self.fc3(x))"),
    Mutant(EX, "softmax_on_logits", "forward_layers",
           "return self.fc3(x)", "return F.softmax(self.fc3(x), dim=1)"),
    Mutant(EX, "no_relu", "forward_layers",
           "        x = self.pool1(F.relu(self.conv1(x)))\n"
           "        x = self.pool2(F.relu(self.conv2(x)))\n"
           "        x = x.view(x.size(0), -1)\n"
           "        x = F.relu(self.fc1(x))\n"
           "        x = F.relu(self.fc2(x))\n",
           "        x = self.pool2(self.conv2(self.pool1(self.conv1(x))))\n"
           "        x = self.fc2(self.fc1(x.view(x.size(0), -1)))\n"),
    Mutant(EX, "relu_after_fc2_missing", "forward_matches_reference",
           "x = F.relu(self.fc2(x))", "x = self.fc2(x)"),
    Mutant(EX, "counts_frozen_parameters", "count_parameters_frozen",
           "for p in model.parameters() if p.requires_grad)", "for p in model.parameters())"),
    Mutant(EX, "counts_shared_twice", "count_parameters_frozen",
           "sum(p.numel() for p in model.parameters() if p.requires_grad)",
           "sum(p.numel() for m in model.modules() for p in m.parameters(recurse=False) if p.requires_grad)"),
    Mutant(EX, "counts_buffers", "count_parameters_frozen",
           "sum(p.numel() for p in model.parameters() if p.requires_grad)",
           "sum(t.numel() for t in model.state_dict().values())"),
    Mutant(EX, "summary_not_captured", "summarize", "with contextlib.redirect_stdout(io.StringIO()) as text:",
           "with contextlib.nullcontext(io.StringIO()) as text:"),
    Mutant(EX, "summary_also_printed", "summarize",
           "    return text.getvalue()\n", "    print(text.getvalue())\n    return text.getvalue()\n"),
    Mutant(EX, "summary_ignores_input_size", "summarize",
           "summary(model, input_size, device=", "summary(model, (input_size[0], 28, 28), device="),
    Mutant(EX, "evaluate_in_train_mode", "evaluate", "    model.eval()\n", ""),
    Mutant(EX, "evaluate_builds_graph", "evaluate", "with torch.no_grad():", "with contextlib.nullcontext():"),
    Mutant(EX, "evaluate_leaves_eval_mode", "evaluate", "    model.train(was_training)\n", ""),
    Mutant(EX, "evaluate_always_train_after", "evaluate", "model.train(was_training)", "model.train()"),
    Mutant(EX, "accuracy_over_batches", "evaluate", "return correct / total", "return correct / len(loader)"),
    Mutant(EX, "accuracy_as_tensor", "evaluate", "return correct / total", "return torch.tensor(correct / total)"),
    Mutant(EX, "loss_summed_over_batches", "train_history", "loss_sum / seen", "loss_sum / len(train_loader)"),
    Mutant(EX, "val_accuracy_on_train_loader", "train_history",
           "evaluate(model, val_loader, device)", "evaluate(model, train_loader, device)"),
    Mutant(EX, "no_optimizer_step", "train_history", "            optimizer.step()\n", ""),
    Mutant(EX, "one_epoch_short", "train_history", "for epoch in range(epochs):", "for epoch in range(1, epochs):"),
    Mutant(EX, "history_as_tensors", "train_history",
           "loss_sum += loss.item() * labels.numel()", "loss_sum += loss.detach() * labels.numel()"),
    Mutant(EX, "trains_a_copy", "train_history",
           "    model.to(device)\n", "    model = __import__('copy').deepcopy(model).to(device)\n"),
    Mutant(EX, "batch_mean_loss", "train_loss_per_sample",
           "            loss_sum += loss.item() * labels.numel()\n"
           "            seen += labels.numel()\n",
           "            loss_sum += loss.item()\n"
           "            seen += 1\n"),
    Mutant(EX, "no_zero_grad", "train_steps", "            optimizer.zero_grad()\n", ""),
    Mutant(EX, "zero_grad_once_per_epoch", "train_steps",
           "        loss_sum, seen = 0.0, 0\n"
           "        for images, labels in train_loader:\n"
           "            images, labels = images.to(device), labels.to(device)\n"
           "            optimizer.zero_grad()\n",
           "        loss_sum, seen = 0.0, 0\n"
           "        optimizer.zero_grad()\n"
           "        for images, labels in train_loader:\n"
           "            images, labels = images.to(device), labels.to(device)\n"),
    Mutant(EX, "no_train_mode", "train_steps", "        model.train()\n", ""),
    Mutant(EX, "lr_ignored", "train_steps",
           "torch.optim.Adam(model.parameters(), lr=lr)", "torch.optim.Adam(model.parameters(), lr=1e-3)"),
    Mutant(EX, "nll_on_logits", "train_loss_per_sample",
           "F.cross_entropy(model(images), labels)", "F.nll_loss(model(images), labels)"),
    Mutant(EX, "writer_not_closed", "train_logs", "        writer.close()\n", "        pass\n"),
    Mutant(EX, "steps_from_one", "train_logs",
           'history["train_loss"][-1], epoch)', 'history["train_loss"][-1], epoch + 1)'),
    Mutant(EX, "accuracy_tag_renamed", "train_logs",
           'add_scalar("Accuracy/val"', 'add_scalar("Accuracy/validation"'),
]
