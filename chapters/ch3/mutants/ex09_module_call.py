from grader.grading.mutants import Mutant

EX = "ex09_module_call"
MUTANTS = [
    Mutant(EX, "enter_returns_none", "recorder_records_shapes",
           "            self._handles.append(modules[name].register_forward_hook(self._hook(name)))\n        return self",
           "            self._handles.append(modules[name].register_forward_hook(self._hook(name)))"),
    Mutant(EX, "hook_overwrites", "recorder_records_shapes",
           "self.shapes[name].append(tuple(output.shape))", "self.shapes[name] = [tuple(output.shape)]"),
    Mutant(EX, "hooks_in_constructor", "recorder_removes_hooks",
           "        self._handles: list[RemovableHandle] = []\n",
           "        modules = dict(model.named_modules())\n"
           "        self._handles = [modules[n].register_forward_hook(self._hook(n)) for n in self.layer_names]\n"),
    Mutant(EX, "exit_clears_shapes", "recorder_records_shapes",
           "        self._handles.clear()\n",
           "        self._handles.clear()\n        self.shapes = {name: [] for name in self.layer_names}\n"),
    Mutant(EX, "hooks_never_removed", "recorder_removes_hooks",
           "        for handle in self._handles:\n            handle.remove()\n", ""),
    Mutant(EX, "clears_every_hook", "recorder_removes_hooks",
           "        for handle in self._handles:\n            handle.remove()\n",
           "        for module in self.model.modules():\n            module._forward_hooks.clear()\n"),
    Mutant(EX, "exit_swallows_exception", "recorder_exit_on_error",
           "        self._handles.clear()\n", "        self._handles.clear()\n        return True\n"),
    Mutant(EX, "removes_only_on_success", "recorder_exit_on_error",
           "        for handle in self._handles:\n", "        for handle in self._handles if exc_type is None else []:\n"),
    Mutant(EX, "unknown_name_in_constructor", "recorder_unknown_layer",
           "        self._handles: list[RemovableHandle] = []\n",
           "        self._handles: list[RemovableHandle] = []\n"
           "        if set(self.layer_names) - dict(model.named_modules()).keys():\n"
           "            raise KeyError(\"no such layer\")\n"),
    Mutant(EX, "unknown_name_after_registering", "recorder_unknown_layer",
           "        unknown = [name for name in self.layer_names if name not in modules]\n"
           "        if unknown:\n            raise KeyError(f\"no such layer(s): {unknown}\")\n", ""),
    Mutant(EX, "run_model_calls_forward", "run_model_fires_hooks",
           "    return model(x)\n", "    return model.forward(x)\n"),
    Mutant(EX, "run_model_no_grad", "run_model_fires_hooks",
           "    return model(x)\n", "    with torch.no_grad():\n        return model(x)\n"),
    Mutant(EX, "run_model_sets_eval", "run_model_fires_hooks",
           "    return model(x)\n", "    model.eval()\n    return model(x)\n"),
    Mutant(EX, "hook_on_first_child", "count_hook_calls",
           "handle = model.register_forward_hook(hook)", "handle = next(model.children()).register_forward_hook(hook)"),
    Mutant(EX, "hard_coded_counts", "count_hook_calls",
           "    handle = model.register_forward_hook(hook)\n", "    return 1, 0\n    handle = model.register_forward_hook(hook)\n"),
    Mutant(EX, "counts_as_list", "count_hook_calls",
           "        return via_call, calls - via_call\n", "        return [via_call, calls - via_call]  # type: ignore[return-value]\n"),
    Mutant(EX, "hook_removed_only_on_success", "count_hook_calls_on_error",
           "    try:\n        model(x)\n        via_call = calls\n        model.forward(x)\n"
           "        return via_call, calls - via_call\n    finally:\n        handle.remove()\n",
           "    model(x)\n    via_call = calls\n    model.forward(x)\n    handle.remove()\n    return via_call, calls - via_call\n"),
    Mutant(EX, "hook_not_removed", "count_hook_calls",
           "    finally:\n        handle.remove()\n", "    finally:\n        pass\n"),
]
