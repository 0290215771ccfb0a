from grader.grading.mutants import Mutant

EX = "ex19_mixed_precision"
_SCALER = 'return torch.amp.GradScaler(device_type, enabled=device_type == "cuda")'
MUTANTS = [
    Mutant(EX, "float16_everywhere", "autocast_dtype",
           'return torch.float16 if device_type == "cuda" else torch.bfloat16', "return torch.float16"),
    Mutant(EX, "scaler_always_enabled", "make_scaler", _SCALER, "return torch.amp.GradScaler(device_type)"),
    Mutant(EX, "scaler_for_cuda_only", "make_scaler", _SCALER, "return torch.amp.GradScaler()"),  # device defaults to cuda
    Mutant(EX, "scaler_with_small_scale", "make_scaler", _SCALER,
           'return torch.amp.GradScaler(device_type, init_scale=1024.0, enabled=device_type == "cuda")'),
    Mutant(EX, "no_autocast", "amp_forward",
           "    with torch.autocast(device_type, dtype=autocast_dtype(device_type)):\n        logits = model(x)\n",
           "    if True:\n        logits = model(x)\n"),
    Mutant(EX, "model_cast_to_low_precision", "amp_forward",
           "        logits = model(x)\n",
           "        logits = model.to(autocast_dtype(device_type))(x.to(autocast_dtype(device_type)))\n"),
    Mutant(EX, "loss_outside_autocast", "amp_forward",
           "        logits = model(x)\n        loss = F.cross_entropy(logits, target)\n",
           "        logits = model(x)\n    loss = F.cross_entropy(logits, target)\n"),
    Mutant(EX, "backward_unscaled", "train_step",
           "    scaler.scale(loss).backward()\n", "    loss.backward()\n"),
    Mutant(EX, "optimizer_steps_itself", "train_step_skips_overflow",
           "    scaler.step(optimizer)\n", "    optimizer.step()\n"),
    Mutant(EX, "no_scaler_after_backward", "train_step_skips_overflow",
           "    scaler.step(optimizer)\n    scaler.update()\n", "    optimizer.step()\n"),
    Mutant(EX, "no_update", "train_step", "    scaler.update()\n", ""),
    Mutant(EX, "no_zero_grad", "train_step", "    optimizer.zero_grad()\n", ""),
    Mutant(EX, "loss_as_tensor", "train_step", "    return loss.item()\n", "    return loss  # type: ignore\n"),
    Mutant(EX, "eval_mode_kept", "train_step", "    model.train()\n    optimizer", "    optimizer"),
]
