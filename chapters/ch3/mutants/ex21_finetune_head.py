from grader.grading.mutants import Mutant

EX = "ex21_finetune_head"
_NEW_HEAD = "model.fc = nn.Linear(old.in_features, num_classes, device=old.weight.device, dtype=old.weight.dtype)"
_FREEZE = "    model.requires_grad_(False)\n    model.fc.requires_grad_(True)"
_OPTIMIZER = "torch.optim.SGD(model.fc.parameters(), lr=lr, momentum=momentum)"
MUTANTS = [
    Mutant(EX, "out_features_renamed_only", "head_replaced", _NEW_HEAD, "old.out_features = num_classes"),
    Mutant(EX, "head_without_bias", "head_replaced", _NEW_HEAD,
           "model.fc = nn.Linear(old.in_features, num_classes, bias=False)"),
    Mutant(EX, "head_in_features_from_out", "head_replaced", _NEW_HEAD,
           "model.fc = nn.Linear(old.out_features, num_classes)"),
    Mutant(EX, "head_zero_init", "head_replaced", "    return model.fc\n",
           "    nn.init.zeros_(model.fc.weight)\n    return model.fc\n"),
    Mutant(EX, "head_with_softmax", "head_replaced", _NEW_HEAD,
           "model.fc = nn.Sequential(nn.Linear(old.in_features, num_classes), nn.Softmax(dim=1))"),
    Mutant(EX, "returns_the_old_head", "head_replaced", "    return model.fc\n", "    return old\n"),
    Mutant(EX, "freezes_everything", "freeze_backbone", _FREEZE, "    model.requires_grad_(False)"),
    Mutant(EX, "head_not_unfrozen", "freeze_backbone", _FREEZE,
           "    for name, p in model.named_parameters():\n        if not name.startswith(\"fc.\"):\n"
           "            p.requires_grad_(False)"),
    Mutant(EX, "freezes_conv_layers_only", "freeze_backbone", _FREEZE,
           "    for name, p in model.named_parameters():\n        if \"conv\" in name:\n"
           "            p.requires_grad_(False)"),
    Mutant(EX, "freeze_returns_the_model", "freeze_backbone", "    model.fc.requires_grad_(True)\n",
           "    model.fc.requires_grad_(True)\n    return model\n"),
    Mutant(EX, "optimizer_over_every_parameter", "head_optimizer", _OPTIMIZER,
           "torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)"),
    Mutant(EX, "optimizer_over_trainable_parameters", "head_optimizer", _OPTIMIZER,
           "torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=lr, momentum=momentum)"),
    Mutant(EX, "optimizer_without_momentum", "head_optimizer", _OPTIMIZER,
           "torch.optim.SGD(model.fc.parameters(), lr=lr)"),
    Mutant(EX, "optimizer_is_adam", "head_optimizer", _OPTIMIZER, "torch.optim.Adam(model.fc.parameters(), lr=lr)"),
    Mutant(EX, "optimizer_weight_only", "head_optimizer", _OPTIMIZER,
           "torch.optim.SGD([model.fc.weight], lr=lr, momentum=momentum)"),
    Mutant(EX, "optimizer_nesterov", "finetune_steps", _OPTIMIZER,
           "torch.optim.SGD(model.fc.parameters(), lr=lr, momentum=momentum, nesterov=True)"),
]
