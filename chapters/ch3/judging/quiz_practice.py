"""Judge-side helpers for quiz_practice: its questions' option letters (the checks themselves
are those of every quiz, in :mod:`chapters.ch3.judging.quiz`).

Nothing here runs next to student code.
"""

# question id -> its option letters, as in the module docstring of quiz_practice.py
QUESTIONS: dict[str, str] = {
    "p10_inplace_vs_rebind": "ABCD",
    "p11_dirichlet_labels": "ABCD",
    "p12_train_statistics": "ABCD",
    "p13_scheduler_step": "ABCD",
    "p14_weights_only": "ABCD",
    "p15_zero_grad": "ABCD",
    "p16_bce_with_logits": "ABCD",
    "p17_data_vs_detach": "ABCD",
    "p18_vjp": "ABCD",
    "p19_grad_scaler": "ABCD",
    "p20_parameter_registration": "ABCD",
    "p21_frozen_backbone": "ABCD",
    "p22_ignore_index": "ABCD",
    "p23_dummy_na": "ABCD",
}
