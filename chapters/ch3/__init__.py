"""Chapter 3: PyTorch basics (tensors, autograd, nn.Module, data, einsum, higher derivatives)."""
