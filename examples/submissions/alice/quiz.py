"""测验 / Quiz — the "explain" parts of Basics 1–3 and Deeper 9 (Alice's answers)."""

ANSWERS: dict[str, str] = dict(
    b1_shared_memory="b",
    b1_gpu_numpy="c",
    b1_copy="d",
    b2_linear_formula="a",
    b2_init_purpose="c",
    b3_requires_grad="a",
    b3_no_grad_vs_eval="d",
    b3_freeze="c",
    d9_call_vs_forward="d",
    d9_hooks=" b ",
)
