"""应用 5 / Applications 5 — LeNet-5, torchsummary, training and TensorBoard (Alice's answer)."""

import contextlib
import io

import torch
from torch import nn
from torch.utils.data import DataLoader
from torch.utils.tensorboard import SummaryWriter
from torchsummary import summary


class LeNet5(nn.Module):
    """LeNet-5 for (N, 1, 28, 28) images → (N, 10) logits, with shared activation/pool modules."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels=1, out_channels=6, kernel_size=(5, 5), padding="same")
        self.conv2 = nn.Conv2d(in_channels=6, out_channels=16, kernel_size=(5, 5))
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)
        self.act = nn.ReLU()
        self.pool = nn.AvgPool2d(2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(self.act(self.conv1(x)))
        x = self.pool(self.act(self.conv2(x)))
        x = torch.flatten(x, start_dim=1)
        for layer in (self.fc1, self.fc2):
            x = self.act(layer(x))
        return self.fc3(x)


def count_parameters(model: nn.Module) -> int:
    """Scalars in the parameters that will be trained."""
    return sum(tensor.numel() for _, tensor in model.named_parameters() if tensor.requires_grad)


def summarize(model: nn.Module, input_size: tuple[int, ...] = (1, 28, 28), device: str = "cpu") -> str:
    """torchsummary's table, caught instead of printed."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        summary(model, input_size=input_size, device=str(device).split(":")[0])
    return buffer.getvalue()


def evaluate(model: nn.Module, loader: DataLoader, device: str = "cpu") -> float:
    """Share of correctly classified samples; the model's mode is put back afterwards."""
    mode = model.training
    model.train(False)
    hits, count = torch.zeros((), dtype=torch.long), 0
    try:
        with torch.inference_mode():
            for x, y in loader:
                predicted = model(x.to(device)).max(dim=1).indices.cpu()
                hits += (predicted == y).sum()
                count += y.size(0)
    finally:
        model.train(mode)
    return float(hits) / count


def train(
    model: nn.Module, train_loader: DataLoader, val_loader: DataLoader, *,
    epochs: int = 10, lr: float = 1e-3, device: str = "cpu", log_dir: str | None = None,
) -> dict[str, list[float]]:
    """AdamW + cross-entropy; logs to TensorBoard when log_dir is given."""
    model = model.to(device)
    criterion = nn.CrossEntropyLoss(reduction="sum")
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    history = {"train_loss": [], "val_accuracy": []}
    logging = SummaryWriter(log_dir=log_dir) if log_dir else contextlib.nullcontext()
    with logging as writer:
        for epoch in range(epochs):
            model.train()
            total, count = 0.0, 0
            for x, y in train_loader:
                x, y = x.to(device), y.to(device)
                summed = criterion(model(x), y)
                (summed / y.size(0)).backward()
                optimizer.step()
                optimizer.zero_grad(set_to_none=True)
                total, count = total + summed.item(), count + y.size(0)
            history["train_loss"].append(total / count)
            history["val_accuracy"].append(evaluate(model, val_loader, device))
            if writer is not None:
                for tag, key in (("Loss/train", "train_loss"), ("Accuracy/val", "val_accuracy")):
                    writer.add_scalar(tag, history[key][-1], global_step=epoch)
    return history
