"""测验：基础问题 1–3 与深化问题 9 中需要“说明”的部分。

- 基础 1：说明 PyTorch 张量与 NumPy 数组如何相互转换（`torch.from_numpy()`、`.numpy()`；
  注意 GPU 张量需要先调用 `.cpu()`），以及何时共享内存。
- 基础 2：说明 `torch.nn.Linear` 层的作用和权重初始化方法。
- 基础 3：说明 `requires_grad` 属性的作用。
- 深化 9：说明为什么不直接调用 `torch.nn.Module` 的 `forward()` 方法，而可以像函数一样调用
  模型对象。（提示：`__call__` 方法与自动微分系统的关联。）

每道题选出一个最恰当的选项，把它的字母填入 `ANSWERS`（题号 → 字母），例如
`ANSWERS = {"b1_shared_memory": "A", ...}`。每题 1 分。

Quiz: the parts of Basics 1–3 and Deeper 9 that ask you to explain.

- Basics 1: how PyTorch tensors and NumPy arrays convert into each other
  (`torch.from_numpy()`, `.numpy()`; a GPU tensor needs `.cpu()` first), and when they
  share memory.
- Basics 2: what a `torch.nn.Linear` layer does, and how its weights are initialised.
- Basics 3: what the `requires_grad` attribute does.
- Deeper 9: why a `torch.nn.Module` is called like a function instead of calling its
  `forward()` method directly. (Hint: `__call__` and the autograd system.)

For each question choose the one best option and put its letter in `ANSWERS` (question
id → letter), e.g. `ANSWERS = {"b1_shared_memory": "A", ...}`. One point per question.

b1_shared_memory
    执行 a = np.array([1.0, 2.0, 3.0])；t = torch.from_numpy(a)；a[0] = 100.0 之后，t[0] 是多少？
    After a = np.array([1.0, 2.0, 3.0]); t = torch.from_numpy(a); a[0] = 100.0, what is t[0]?
    A. 1.0：from_numpy 复制了数据。 / 1.0: from_numpy copied the data.
    B. 100.0：t 与 a 共享同一块内存。 / 100.0: t and a share the same memory.
    C. 报错：创建张量后数组变成只读。 / An error: the array became read-only when the tensor was made.
    D. 取决于 dtype：只有 float32 才共享内存。 / It depends on the dtype: only float32 shares memory.

b1_gpu_numpy
    t 是 GPU（CUDA）上的张量，t.numpy() 报错。原因是什么？应该怎样转换？
    t is a tensor on a CUDA GPU and t.numpy() raises an error. Why, and how do you convert it?
    A. NumPy 不支持 float32；应写 t.double().numpy()。 / NumPy has no float32; write t.double().numpy().
    B. 张量必须是连续的；应写 t.contiguous().numpy()。 / The tensor must be contiguous; write
       t.contiguous().numpy().
    C. NumPy 数组只能位于 CPU 内存中；先用 t.cpu() 把数据复制到 CPU，再调用 .numpy()（需要梯度的
       张量还要先 .detach()）。 / A NumPy array lives in CPU memory only: copy the data to the CPU
       with t.cpu(), then call .numpy() (and .detach() first if it requires grad).
    D. .numpy() 只能用于整数张量。 / .numpy() works on integer tensors only.

b1_copy
    下面哪种写法得到的张量与 NumPy 数组 a（float32，位于 CPU）不共享内存？
    Which of these gives a tensor that does NOT share memory with the NumPy array a (float32, on the CPU)?
    A. torch.from_numpy(a)
    B. torch.as_tensor(a)
    C. torch.from_numpy(a)[1:]
    D. torch.tensor(a)

b2_linear_formula
    layer = nn.Linear(in_features=10, out_features=5)，输入 x 的形状为 (32, 10)。layer(x) 计算什么？
    权重 W 与输出 y 的形状各是多少？
    layer = nn.Linear(in_features=10, out_features=5) and x has shape (32, 10). What does layer(x)
    compute, and what are the shapes of the weight W and of the output y?
    A. y = x Wᵀ + b，W (5, 10)，y (32, 5)。 / y = x Wᵀ + b, W (5, 10), y (32, 5).
    B. y = W x + b，W (10, 5)，y (5, 32)。 / y = W x + b, W (10, 5), y (5, 32).
    C. y = relu(x W + b)，W (10, 5)，y (32, 5)：Linear 自带激活函数。 / y = relu(x W + b), W (10, 5),
       y (32, 5): Linear includes an activation.
    D. y = x W + b，W (10, 5)，y (32, 10)。 / y = x W + b, W (10, 5), y (32, 10).

b2_init_purpose
    为什么要用 Xavier、Kaiming 等方法初始化权重，而不是全部设为 0，或随意取很大的随机数？
    Why initialise weights with schemes such as Xavier or Kaiming instead of all zeros, or of
    arbitrary large random values?
    A. 为了让损失函数成为凸函数。 / To make the loss function convex.
    B. 初始化只影响第一步更新，之后就无关紧要。 / Initialisation affects only the first update and
       does not matter afterwards.
    C. 全为 0 时同一层各神经元得到相同的梯度，永远保持对称；尺度不当会使激活与梯度逐层消失或爆炸。
       这些方法按 fan_in / fan_out 设定方差，使信号的尺度逐层大致不变。 / With all zeros every unit
       of a layer gets the same gradient and they stay identical forever; a bad scale makes
       activations and gradients vanish or explode layer after layer. These schemes set the
       variance from fan_in / fan_out so the signal's scale stays roughly the same across layers.
    D. 为了让训练结果完全可复现。 / To make training exactly reproducible.

b3_requires_grad
    执行 x = torch.tensor([2.0], requires_grad=True)；y = x**2 + 3*x + 1；y.backward() 之后，
    x.grad 是什么？为什么？
    After x = torch.tensor([2.0], requires_grad=True); y = x**2 + 3*x + 1; y.backward(), what is
    x.grad, and why?
    A. tensor([7.])：对 requires_grad=True 的张量所做的运算会记录在计算图中，backward() 沿图按链式
       法则求出 dy/dx = 2x + 3。 / tensor([7.]): operations on a tensor that requires grad are
       recorded in a graph, and backward() applies the chain rule along it: dy/dx = 2x + 3.
    B. tensor([11.])：x.grad 保存 y 的值。 / tensor([11.]): x.grad holds the value of y.
    C. None：只有 nn.Parameter 才会得到梯度。 / None: only an nn.Parameter gets a gradient.
    D. tensor([2.])：x.grad 是反向传播之前 x 的值。 / tensor([2.]): x.grad is x's value before backward.

b3_no_grad_vs_eval
    推理时，`with torch.no_grad():` 与 `model.eval()` 有什么区别？
    At inference time, what is the difference between `with torch.no_grad():` and `model.eval()`?
    A. 两者完全相同，用一个即可。 / They are the same; use either one.
    B. model.eval() 也会关闭梯度跟踪，所以 no_grad 是多余的。 / model.eval() also turns gradient
       tracking off, so no_grad is redundant.
    C. no_grad 让 dropout 不再丢弃、让批归一化使用滑动统计量。 / no_grad stops dropout from dropping
       and makes batch norm use its running statistics.
    D. no_grad 不构建计算图（结果不需要梯度，省内存和时间）；eval() 把 dropout、批归一化等层切换到
       推理行为。二者作用不同，推理时通常一起使用。 / no_grad builds no graph (results do not
       require grad: less memory and time); eval() switches layers such as dropout and batch norm
       to their inference behaviour. They do different things; inference usually uses both.

b3_freeze
    对某一层的全部参数设置 p.requires_grad = False（“冻结”该层）后继续训练，会怎样？
    You set p.requires_grad = False on every parameter of one layer ("freeze" it) and go on
    training. What happens?
    A. 整个模型都停止学习，因为计算图在该层被切断。 / The whole model stops learning, because the
       graph is cut at that layer.
    B. 优化器仍会更新这些参数，只是不再保存 .grad。 / The optimiser still updates these parameters;
       only .grad is no longer kept.
    C. 这些参数不再得到梯度（.grad 保持 None），优化器不会改变它们；梯度仍可穿过该层传给前面需要
       梯度的层。 / These parameters get no gradient (.grad stays None), so the optimiser leaves
       them as they are; gradients still flow through the layer to earlier layers that require grad.
    D. 该层的输出变为常数。 / The layer's output becomes a constant.

d9_call_vs_forward
    关于直接调用 model.forward(x) 而不是 model(x)，下列哪项正确？
    Which statement about calling model.forward(x) instead of model(x) is true?
    A. forward(x) 不构建计算图，因此之后 backward() 会失败。 / forward(x) builds no autograd graph,
       so a later backward() fails.
    B. forward(x) 忽略 model.training，dropout 总是生效。 / forward(x) ignores model.training, so
       dropout is always on.
    C. 两者完全等价，forward(x) 只是更快，应优先使用。 / They are the same; forward(x) is merely
       faster and should be preferred.
    D. 计算图照常构建、梯度也正确，但 nn.Module.__call__ 在 forward 前后所做的事被跳过，例如注册在
       模型本身上的钩子不会运行。所以应调用 model(x)。 / The graph is built and the gradients are
       right as usual, but what nn.Module.__call__ does around forward is skipped: hooks
       registered on the model itself do not run. So call model(x).

d9_hooks
    在 model.fc1 上注册了一个前向钩子，model.forward 内部执行 self.fc1(x)。直接调用
    model.forward(x) 时，这个钩子会运行吗？
    A forward hook is registered on model.fc1, and model.forward runs self.fc1(x). Does the hook
    run when you call model.forward(x) directly?
    A. 不会：直接调用 forward 时任何钩子都不会运行。 / No: calling forward directly runs no hook at all.
    B. 会：forward 内部通过 self.fc1(x) 调用了 fc1 的 __call__；被跳过的只有模型本身的钩子。 /
       Yes: forward calls fc1 as self.fc1(x), through fc1's __call__; only the hooks of the model
       itself are skipped.
    C. 只有在 model.eval() 之后才会。 / Only after model.eval().
    D. 会运行两次。 / Yes, twice.
"""

ANSWERS: dict[str, str] = {
    ### BEGIN SOLUTION
    "b1_shared_memory": "B",  # from_numpy shares the array's memory
    "b1_gpu_numpy": "C",  # NumPy is CPU-only: .cpu() (and .detach()) first
    "b1_copy": "D",  # torch.tensor always copies; as_tensor and slices share
    "b2_linear_formula": "A",  # y = x W^T + b, weight (out, in)
    "b2_init_purpose": "C",  # symmetry breaking and variance preservation
    "b3_requires_grad": "A",  # graph recorded, chain rule: 2*2 + 3 = 7
    "b3_no_grad_vs_eval": "D",  # no graph versus layer behaviour
    "b3_freeze": "C",  # frozen parameters get no grad, gradients still pass through
    "d9_call_vs_forward": "D",  # only __call__'s extras (hooks) are skipped
    "d9_hooks": "B",  # inner layers are still called through __call__
    ### END SOLUTION
}
