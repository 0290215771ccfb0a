"""Dave's quiz: half done."""

ANSWERS = {
    "b1_shared_memory": "B",
    "b1_gpu_numpy": "C",
    "b2_linear_formula": "A",
    "d9_call_vs_forward": "D",
}
