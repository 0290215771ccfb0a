"""Carol's quiz answers."""

ANSWERS = {
    "b1_shared_memory": "B",
    "b1_gpu_numpy": "C",
    "b1_copy": "B",
    "b2_linear_formula": "A",
    "b2_init_purpose": "C",
    "b3_requires_grad": "A",
    "b3_no_grad_vs_eval": "A",
    "b3_freeze": "C",
    "d9_call_vs_forward": "A",
    "d9_hooks": "B",
}
