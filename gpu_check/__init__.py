"""``make gpu-check``: the CUDA path proven on a machine with a GPU, in one command.

It picks an interpreter whose torch sees CUDA (see :mod:`gpu_check.interpreter`), makes the
grader importable there without a network (:mod:`gpu_check.carried`), then runs the public
suite on CUDA, grades the example class on CUDA beside a GPU memory bomb and on the CPU,
and times ex05's training on both. Without CUDA it stops at once, non-zero, saying why.
"""
