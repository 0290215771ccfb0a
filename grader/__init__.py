"""PyTorch chapter 3 exercises and their autograder / PyTorch 第三章练习与自动评分。"""

__version__ = "0.1.0"
