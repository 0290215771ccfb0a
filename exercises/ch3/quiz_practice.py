"""练习测验：练习 10–23 中需要“说明”的部分（每个练习一题）。

- 练习 10：`Y = X + Y` 与 `Y[:] = X + Y`：重新绑定名字与原地写入。
- 练习 11：本章 `RandomData` 的样本与标签。
- 练习 12：标准化的 mean 与 std 从哪部分数据得来。
- 练习 13：`StepLR` 的学习率与 `scheduler.step()` 的位置。
- 练习 14：为什么保存 `state_dict`、以 `weights_only=True` 加载。
- 练习 15：手写 SGD 为什么每步都要把梯度清零。
- 练习 16：为什么用 `nn.BCEWithLogitsLoss`，而不是 sigmoid 加 `nn.BCELoss`。
- 练习 17：经 `.data` 与经 `detach()` 原地修改的区别。
- 练习 18：一次反向传播算出的是什么（向量-雅可比积）。
- 练习 19：为什么 float16 需要 `GradScaler`，bfloat16 不需要。
- 练习 20：`nn.Parameter` 与普通张量属性。
- 练习 21：冻结主干、换上新的分类头。
- 练习 22：`nn.CrossEntropyLoss(ignore_index=PAD)` 的值。
- 练习 23：类别列的缺失值与 `pd.get_dummies(dummy_na=True)`。

每道题选出一个最恰当的选项，把它的字母填入 `ANSWERS`（题号 → 字母），例如
`ANSWERS = {"p10_inplace_vs_rebind": "A", ...}`。每题 1 分；这是练习，不计入总成绩。

Practice quiz: the parts of exercises 10–23 that ask you to explain (one question each).

- Exercise 10: `Y = X + Y` against `Y[:] = X + Y`: rebinding a name against writing in place.
- Exercise 11: the samples and labels of the chapter's `RandomData`.
- Exercise 12: which data the mean and std of a normalisation come from.
- Exercise 13: `StepLR`'s learning rates, and where `scheduler.step()` goes.
- Exercise 14: why save a `state_dict` and load it with `weights_only=True`.
- Exercise 15: why hand-written SGD zeroes the gradients at every step.
- Exercise 16: why `nn.BCEWithLogitsLoss` rather than a sigmoid and `nn.BCELoss`.
- Exercise 17: changing a tensor in place through `.data` against through `detach()`.
- Exercise 18: what one backward pass computes (the vector-Jacobian product).
- Exercise 19: why float16 needs a `GradScaler` and bfloat16 does not.
- Exercise 20: `nn.Parameter` against a plain tensor attribute.
- Exercise 21: a frozen backbone under a new classifier head.
- Exercise 22: the value of `nn.CrossEntropyLoss(ignore_index=PAD)`.
- Exercise 23: a categorical column's missing values and `pd.get_dummies(dummy_na=True)`.

For each question choose the one best option and put its letter in `ANSWERS` (question
id → letter), e.g. `ANSWERS = {"p10_inplace_vs_rebind": "A", ...}`. One point per question;
this is practice and does not count towards the grade.

p10_inplace_vs_rebind
    `Y` 是一个已有的张量，另一个名字 `Z = Y` 指向同一个张量。执行 `Y = X + Y` 与执行 `Y[:] = X + Y`
    有什么区别？
    `Y` is an existing tensor, and another name `Z = Y` refers to the same tensor. What is the difference
    between running `Y = X + Y` and running `Y[:] = X + Y`?
    A. 没有区别：两者都把和写进 Y 原来的内存，Z 也会看到新值。 / None: both write the sum into Y's
       existing memory, and Z sees the new values too.
    B. `Y = X + Y` 把和放进新分配的内存，再让名字 Y 指向它（`Y.data_ptr()` 改变，Z 仍是旧值）；
       `Y[:] = X + Y` 把和写进 Y 原有的内存（`data_ptr()` 不变，Z 也看到新值）。 / `Y = X + Y` puts the
       sum in newly allocated memory and rebinds the name Y to it (`Y.data_ptr()` changes, Z keeps the
       old values); `Y[:] = X + Y` writes the sum into Y's existing memory (`data_ptr()` unchanged, Z
       sees the new values).
    C. `Y[:] = X + Y` 不产生任何临时张量，所以不占额外内存；`Y = X + Y` 会报错。 / `Y[:] = X + Y` makes
       no temporary tensor at all, so it takes no extra memory; `Y = X + Y` raises an error.
    D. `Y = X + Y` 是原地运算，`Y[:] = X + Y` 会先复制一份 Y。 / `Y = X + Y` works in place, while
       `Y[:] = X + Y` copies Y first.

p11_dirichlet_labels
    本章的 `RandomData` 在构造时用 `np.random.dirichlet(np.ones(feature), size=length)` 生成数据，标签为
    `(x == x.max(axis=1)[:, None]).astype(int)`。关于一个样本 x 与它的标签 y，下列哪一项正确？
    The chapter's `RandomData` draws its data in its constructor with `np.random.dirichlet(np.ones(feature),
    size=length)`, and its labels as `(x == x.max(axis=1)[:, None]).astype(int)`. Which statement about
    one sample x and its label y is right?
    A. x 的各分量服从标准正态分布，y 是最大分量的下标（一个整数）。 / x's components are standard
       normal, and y is the index of the largest component (one integer).
    B. x 的各分量在 [0, 1) 上独立均匀分布，y 是 x 归一化后的结果（各分量除以它们的和）。 / x's
       components are independent and uniform on [0, 1), and y is x normalised (each component divided
       by their sum).
    C. 每次调用 `__getitem__` 都会重新抽样，所以同一下标每次读到的 x 都不同；y 在 x 的最大分量处为 1。 /
       Every call of `__getitem__` draws anew, so the same index gives a different x at each read; y is
       1 at x's largest component.
    D. x 的各分量非负且和为 1；y 是与 x 同长的 one-hot 向量，在 x 的最大分量处为 1，其余为 0；数据在
       构造时一次生成，同一下标每次读到同一样本。 / x's components are ≥ 0 and sum to 1; y is a one-hot
       vector as long as x, 1 at x's largest component and 0 elsewhere; the data are drawn once, in the
       constructor, so the same index always gives the same sample.

p12_train_statistics
    对数据做 `Normalize(mean, std)` 标准化时，mean 与 std 应当从哪里来？
    When normalising data with `Normalize(mean, std)`, where should mean and std come from?
    A. 从训练、验证、测试三部分合在一起的全部数据计算，统计量最准确。 / From all the data, train, val
       and test together: the most accurate statistics.
    B. 每一部分各自计算自己的 mean 与 std，这样每部分都恰好均值为 0、标准差为 1。 / Each part from its
       own mean and std, so that each has exactly mean 0 and std 1.
    C. 只从训练集计算，再用同一组 mean 与 std 变换训练、验证和测试数据；否则验证集与测试集的信息会泄漏
       到训练中，评估结果偏乐观。 / From the training set alone, then the same mean and std map the
       training, validation and test data; otherwise information from val and test leaks into
       training and the evaluation is too optimistic.
    D. 从测试集计算，因为模型最终要在测试集上表现好。 / From the test set, since the model must do
       well on it in the end.

p13_scheduler_step
    `optimizer = SGD(model.parameters(), lr=0.1)`，`scheduler = StepLR(optimizer, step_size=2, gamma=0.5)`。
    本章的循环在每个 epoch 里先 `train_loop`（每个批次一次 `optimizer.step()`），再 `eval_loop` 与记录，
    最后调用一次 `scheduler.step()`。第 0、1、2、3 个 epoch 分别用什么学习率训练？若把
    `scheduler.step()` 移进 `train_loop` 的批次循环（每个批次调用一次），会怎样？
    `optimizer = SGD(model.parameters(), lr=0.1)` and `scheduler = StepLR(optimizer, step_size=2,
    gamma=0.5)`. Each epoch, the chapter's loop runs `train_loop` (one `optimizer.step()` per batch),
    then `eval_loop` and the logging, and finally one `scheduler.step()`. With which learning rates do
    epochs 0, 1, 2 and 3 train? And what happens if `scheduler.step()` moves into `train_loop`'s batch
    loop (called once per batch)?
    A. 0.1, 0.05, 0.025, 0.0125：StepLR 每个 epoch 都乘以 gamma；移进批次循环没有区别。 / 0.1, 0.05,
       0.025, 0.0125: StepLR multiplies by gamma every epoch; inside the batch loop it is the same.
    B. 0.05, 0.05, 0.025, 0.025：创建 StepLR 时学习率就先乘了一次 gamma；移进批次循环没有区别。 / 0.05,
       0.05, 0.025, 0.025: creating the StepLR multiplies the rate by gamma once already; inside the
       batch loop it is the same.
    C. 0.1, 0.1, 0.05, 0.05：第 e 个 epoch 的学习率是 lr·gamma^(e // step_size)；StepLR 数的是
       `scheduler.step()` 的调用次数，每个批次调用一次时，学习率按批次数而不是 epoch 数衰减，衰减得快
       得多。 / 0.1, 0.1, 0.05, 0.05: epoch e trains with lr·gamma^(e // step_size); StepLR counts the
       calls of `scheduler.step()`, so called once per batch it decays by batches, not epochs, far too
       fast.
    D. 一直是 0.1：StepLR 只在 `optimizer.step()` 内部生效，`scheduler.step()` 只是记录日志。 / 0.1
       throughout: StepLR acts only inside `optimizer.step()`, and `scheduler.step()` just logs.

p14_weights_only
    为什么推荐用 `torch.save(model.state_dict(), path)` 保存、用
    `torch.load(path, map_location="cpu", weights_only=True)` 加载，而不是 `torch.save(model, path)`
    与 `torch.load(path, weights_only=False)`？
    Why save with `torch.save(model.state_dict(), path)` and load with `torch.load(path,
    map_location="cpu", weights_only=True)`, rather than `torch.save(model, path)` and
    `torch.load(path, weights_only=False)`?
    A. 整个模型依赖 pickle：加载时会导入并执行文件指定的类与函数（可以是任意代码），类定义一变还会不
       兼容；state_dict 只含张量与普通容器，`weights_only=True` 只接受这些、拒绝其余的
       （`UnpicklingError`），`map_location="cpu"` 让在 GPU 上保存的张量在没有 GPU 的机器上也能加载。 /
       A whole model relies on pickle: loading imports and runs the classes and functions the file
       names (possibly any code), and breaks when the class definition changes; a state_dict holds
       only tensors and plain containers, `weights_only=True` accepts only those and refuses the rest
       (`UnpicklingError`), and `map_location="cpu"` lets tensors saved on a GPU load on a machine
       without one.
    B. `weights_only=True` 只读取各层的权重，跳过偏置与缓冲区，所以加载更快。 / `weights_only=True`
       reads each layer's weights only and skips the biases and buffers, so loading is faster.
    C. 保存整个模型会丢失参数的数值，只保存了结构。 / Saving the whole model loses the parameter
       values and keeps only the architecture.
    D. `torch.save(model, path)` 写出的文件只能在保存它的那台机器上加载，与安全无关。 / A file written
       by `torch.save(model, path)` loads only on the machine that saved it; safety has nothing to do
       with it.

p15_zero_grad
    手写 SGD 时，每步更新参数之后、下一次 `loss.backward()` 之前，为什么要把 `w.grad` 清零？
    In hand-written SGD, why is `w.grad` zeroed after each update, before the next `loss.backward()`?
    A. `backward()` 把新梯度累加到 `.grad` 上；不清零，下一步用的是几步梯度之和。 / `backward()` adds
       the new gradient onto `.grad`; without zeroing, the next step uses the sum of several steps'
       gradients.
    B. 不清零的话 `w` 会失去 `requires_grad`，下一次 `backward()` 会报错。 / Without zeroing, `w` loses
       `requires_grad` and the next `backward()` raises an error.
    C. 清零是为了释放计算图，否则内存会不断增长；梯度的数值本身不受影响。 / Zeroing frees the graph,
       or memory keeps growing; the gradient values themselves are unaffected.
    D. 只有小批量 SGD 需要清零；batch_size = 1 时每步只有一个样本，梯度不会累加。 / Only mini-batch SGD
       needs it; with batch_size = 1 each step has one sample, so nothing accumulates.

p16_bce_with_logits
    本章为什么推荐 `nn.BCEWithLogitsLoss`，而不是先 `torch.sigmoid` 再 `nn.BCELoss`？
    Why does the chapter recommend `nn.BCEWithLogitsLoss` over `torch.sigmoid` followed by `nn.BCELoss`?
    A. 它使用另一个损失公式，对类别不平衡更鲁棒。 / It uses another loss formula, more robust to class
       imbalance.
    B. `nn.BCELoss` 不可微，`nn.BCEWithLogitsLoss` 可微。 / `nn.BCELoss` is not differentiable, and
       `nn.BCEWithLogitsLoss` is.
    C. 它只是把两次调用合成一次；对任何输入，结果都与 sigmoid 加 `nn.BCELoss` 完全相同。 / It only
       fuses two calls into one; on every input its result is exactly that of a sigmoid and
       `nn.BCELoss`.
    D. 它直接从 logit 计算（例如 max(z, 0) − z·y + log(1 + e^(−|z|))），不必先算出 σ(z)：float32 中
       σ(100) 恰好等于 1，log(1 − σ(100)) = log 0 = −inf；从 logit 计算则 logit 再大也不会溢出。 / It
       computes from the logit directly (e.g. max(z, 0) − z·y + log(1 + e^(−|z|))), without forming
       σ(z) first: in float32 σ(100) is exactly 1 and log(1 − σ(100)) = log 0 = −inf, while from the
       logit no large value overflows.

p17_data_vs_detach
    `y = x.sigmoid()` 之后，分别经 `y.data` 与经 `y.detach()` 原地修改 y，再 `y.sum().backward()`，会怎样？
    After `y = x.sigmoid()`, y is changed in place through `y.data`, or through `y.detach()`, then
    `y.sum().backward()` runs. What happens?
    A. 两者都复制了 y，修改不影响 y，梯度都正确。 / Both copy y, so the change does not touch y and
       both gradients are right.
    B. 两者完全相同：都抛出 RuntimeError。 / Both are the same: both raise a RuntimeError.
    C. 经 `.data`：autograd 看不见修改，悄悄用改过的值算出错误的梯度；经 `detach()`：版本计数发现了
       修改，`backward()` 抛出 RuntimeError。 / Through `.data`: autograd cannot see the change and
       silently computes a wrong gradient from the changed values; through `detach()`: the version
       counter notices the change and `backward()` raises a RuntimeError.
    D. 经 `detach()` 的修改会被 autograd 纳入计算图，梯度正确；经 `.data` 则抛出错误。 / A change
       through `detach()` is taken into the graph and the gradient is right; through `.data` an error
       is raised.

p18_vjp
    `torch.autograd.grad(y, x, grad_outputs=v)` 一次反向传播算出的是什么？
    What does one backward pass `torch.autograd.grad(y, x, grad_outputs=v)` compute?
    A. 向量-雅可比积 vᵀJ（形状同 x）；要得到整个 J，需要对 y 的每个元素各做一次（v 取单位向量）。 /
       The vector-Jacobian product vᵀJ (x's shape); all of J takes one pass per element of y (v a unit
       vector).
    B. 整个雅可比矩阵 J，再乘以 v 的范数。 / The whole Jacobian J, scaled by the norm of v.
    C. 雅可比-向量积 Jv（形状同 y）。 / The Jacobian-vector product Jv (y's shape).
    D. 海森矩阵与 v 的乘积 Hv。 / The Hessian-vector product Hv.

p19_grad_scaler
    在 CUDA 上用 `torch.autocast("cuda", dtype=torch.float16)` 训练时，为什么需要 `GradScaler`
    （`scaler.scale(loss).backward()`、`scaler.step(optimizer)`、`scaler.update()`），而在 CPU 上用
    bfloat16 时通常把它关闭？
    When training on CUDA under `torch.autocast("cuda", dtype=torch.float16)`, why is a `GradScaler`
    needed (`scaler.scale(loss).backward()`, `scaler.step(optimizer)`, `scaler.update()`), while with
    bfloat16 on the CPU it is usually disabled?
    A. GradScaler 把模型参数转换成 float16 以节省显存；CPU 没有显存。 / GradScaler converts the
       parameters to float16 to save GPU memory; the CPU has no GPU memory.
    B. float16 的表示范围很小，很小的梯度会下溢为 0：先把损失放大再反向传播，`step` 先把梯度缩放回来、
       遇到 inf/NaN 就跳过这一步，`update` 再调整放大倍数；bfloat16 的指数范围与 float32 相同，不比
       float32 更容易下溢，不需要放大。 / float16 has a small range, so small gradients underflow to 0:
       the loss is scaled up before backpropagation, `step` unscales the gradients first and skips the
       step on inf/NaN, and `update` adjusts the scale; bfloat16 has float32's exponent range,
       underflows no sooner than float32, and needs no scaling.
    C. autocast 在 CUDA 上把损失也算成 float16，GradScaler 把它转回 float32。 / On CUDA autocast
       computes the loss in float16 too, and GradScaler converts it back to float32.
    D. GradScaler 自动调整学习率（类似 StepLR）；CPU 上训练较慢，不需要调整。 / GradScaler adjusts the
       learning rate automatically (like StepLR); training on the CPU is slow and needs no adjusting.

p20_parameter_registration
    一个自定义层在 `__init__` 里写了 `self.weight = nn.Parameter(torch.randn(3, 2))` 和
    `self.bias = torch.zeros(2)`，然后用 `torch.optim.SGD(layer.parameters(), lr=0.1)` 训练。会发生什么？
    A custom layer's `__init__` sets `self.weight = nn.Parameter(torch.randn(3, 2))` and
    `self.bias = torch.zeros(2)`, and it is trained with `torch.optim.SGD(layer.parameters(), lr=0.1)`.
    What happens?
    A. 两者都会被训练：赋给模块属性的任何张量都会自动登记为参数。 / Both are trained: any tensor
       assigned to a module attribute is registered as a parameter.
    B. 只有 weight 会被训练；bias 是普通张量，不在 `parameters()` 与 `state_dict()` 中，也不随
       `.to(device)` 移动。 / Only weight is trained; bias is a plain tensor, absent from `parameters()`
       and `state_dict()`, and `.to(device)` does not move it.
    C. 构造时就报错：`nn.Module` 不允许普通张量属性。 / The constructor raises: `nn.Module` does not
       allow plain tensor attributes.
    D. 两者都不会被训练：必须先对每个张量调用 `requires_grad_()`。 / Neither is trained: each tensor
       needs `requires_grad_()` first.

p21_frozen_backbone
    对 torchvision 模型微调时，先执行 `model.requires_grad_(False)`，再换上
    `model.fc = nn.Linear(model.fc.in_features, k)`，然后只用 `model.fc.parameters()` 构造优化器。
    下面哪种说法正确？
    When fine-tuning a torchvision model, one runs `model.requires_grad_(False)`, then sets
    `model.fc = nn.Linear(model.fc.in_features, k)`, and builds the optimizer over
    `model.fc.parameters()` only. Which statement is right?
    A. 新的头部也被冻结了，因为它是在冻结之后放进模型的。 / The new head is frozen too, because it
       was put into the model after freezing.
    B. 反向传播仍会为主干的每个参数计算并保存梯度，只是优化器不用它们。 / Backward still computes and
       stores a gradient for every backbone parameter; the optimizer just ignores them.
    C. 主干的参数不需要梯度，梯度就无法穿过主干传到头部，所以头部也得不到梯度。 / The backbone's
       parameters need no gradient, so no gradient can pass through the backbone to the head, and the
       head gets none either.
    D. 新的 `nn.Linear` 的参数默认需要梯度，所以只有头部得到梯度并被更新；主干不建梯度，省时省内存。 /
       A new `nn.Linear`'s parameters require grad by default, so only the head gets gradients and is
       updated; no gradient is built for the backbone, which saves time and memory.

p22_ignore_index
    一批标签形状为 (N, L) 的序列用 `PAD = 0` 补齐，损失为 `nn.CrossEntropyLoss(ignore_index=PAD)`
    （reduction="mean"）。它的值是什么？
    A batch of tag sequences of shape (N, L) is padded with `PAD = 0`, and the loss is
    `nn.CrossEntropyLoss(ignore_index=PAD)` (reduction="mean"). What is its value?
    A. 只对标签不为 PAD 的位置求交叉熵的平均：填充位置既不计入和，也不计入个数，其 logits 的梯度为 0。 /
       The mean cross-entropy over the positions whose tag is not PAD only: padded positions count
       neither in the sum nor in the count, and their logits' gradient is zero.
    B. 所有 N·L 个位置的交叉熵之和除以 N·L，填充位置的损失记为 0。 / The sum of the cross-entropy over
       all N·L positions divided by N·L, padded positions counting 0.
    C. 每个序列先各自求平均，再对 N 个序列的平均值求平均。 / Each sequence is averaged on its own,
       then the N sequence means are averaged.
    D. 与不设 `ignore_index` 相同，因为 `nn.Embedding(padding_idx=PAD)` 已经把填充位置的输出置零。 /
       The same as without `ignore_index`, because `nn.Embedding(padding_idx=PAD)` already zeroes the
       padded positions' output.

p23_dummy_na
    笔记中的 house_tiny.csv 的 `Alley` 列只有 `Pave` 和缺失值 NA。`pd.get_dummies(inputs,
    dummy_na=True)` 把它变成什么？为什么不用均值填补它？
    In the notes' house_tiny.csv, the `Alley` column holds only `Pave` and missing values (NA). What
    does `pd.get_dummies(inputs, dummy_na=True)` turn it into, and why is it not filled with a mean?
    A. 变成一列 0/1：Pave 为 1，缺失为 0；类别列也可以用均值填补。 / One 0/1 column: 1 for Pave, 0 for
       missing; a categorical column could be mean-filled too.
    B. 变成 `Alley_Pave` 与 `Alley_nan` 两列 0/1：“缺失”本身被当作一个类别；类别值没有数值意义，无从
       求均值，所以用 one-hot 而不是均值。 / Two 0/1 columns, `Alley_Pave` and `Alley_nan`: "missing"
       becomes a category of its own; a category has no numeric meaning, so there is no mean to take,
       hence one-hot rather than a mean.
    C. 删除 Alley 列，因为它有缺失值。 / The Alley column is dropped, since it has missing values.
    D. 变成一列整数编码（Pave = 0，NA = 1），这对模型与 one-hot 完全等价。 / One integer column
       (Pave = 0, NA = 1), exactly equivalent to one-hot for a model.
"""

ANSWERS: dict[str, str] = {
    # 在此填写 / fill in here
}
