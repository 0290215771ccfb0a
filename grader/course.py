"""Where the course's parts live, and which exercises it has."""

from __future__ import annotations

from pathlib import Path

CHAPTER = "ch3"
EXERCISES = (
    "ex01_tensor_numpy",
    "ex02_linear",
    "ex03_autograd",
    "ex04_data_split",
    "ex05_lenet5",
    "ex06_einsum",
    "ex07_augmentation",
    "ex08_higher_order",
    "ex09_module_call",
    "quiz",
)


def default_root() -> Path:
    """The course repository this package sits in."""
    return Path(__file__).resolve().parents[1]


def solutions_dir(root: Path) -> Path:
    return root / "solutions" / CHAPTER


def exercises_dir(root: Path) -> Path:
    return root / "exercises" / CHAPTER


def hidden_dir(root: Path) -> Path:
    return root / "hidden" / CHAPTER
