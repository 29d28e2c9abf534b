# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 9강. 학습 관련 기술들: 옵티마이저, 초깃값, 드롭아웃, 배치 정규화, 학습률 스케줄
#
# 6강에서는 평범한 SGD, 작은 무작위 가중치, 고정된 학습률로 학습했습니다. 잘 되긴 하지만 느립니다. 이번 강의에서는
# Fashion-MNIST에서 한 번에 하나씩만 바꿔 가며 곡선을 비교합니다. 갱신 규칙, 가중치의 초깃값, 오버피팅을 막고
# 학습을 빠르게 하는 드롭아웃과 배치 정규화, 그리고 학습 도중에 바뀌는 학습률입니다.
#
# 각 실험이 몇 초 안에 끝나도록 데이터 일부만 씁니다(자동 테스트에서는 `QUICK`이 더 줄입니다).

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

import nnscratch
from nnscratch import SGD, AdaGrad, Adam, Affine, BatchNorm, Momentum, RMSprop, Sequential, Tanh, gradcheck, mlp
from nnscratch.data import load_fashion_mnist
from nnscratch.optim import CosineAnnealing, ExponentialDecay, StepDecay
from nnscratch.train import Trainer

QUICK = os.environ.get("NNSCRATCH_QUICK") == "1"
(x_all, t_all), (x_test_all, t_test_all) = load_fashion_mnist()
n_train, n_test, epochs = (4000, 1000, 3) if QUICK else (20_000, 10_000, 10)
x_train, t_train = x_all[:n_train], t_all[:n_train]
x_test, t_test = x_test_all[:n_test], t_test_all[:n_test]


def train(model, optimizer, epochs=epochs, x=x_train, t=t_train, **options):
    trainer = Trainer(model, optimizer, batch_size=100, seed=0, progress="none", **options)
    return trainer.fit(x, t, epochs=epochs, validation_data=(x_test, t_test))


def plot_curves(histories, key, title):
    for name, history in histories.items():
        plt.plot([r["epoch"] for r in history], [r[key] for r in history], "o-", label=name)
    plt.xlabel("epoch")
    plt.ylabel(key)
    if "accuracy" in key:
        plt.ylim(0, 1)
    plt.title(title)
    plt.legend()
    plt.show()


# %% [markdown]
# ## 옵티마이저
#
# - SGD: $W \leftarrow W - \eta\,\partial L/\partial W$.
# - 모멘텀: 속도 $v \leftarrow \alpha v - \eta\,\partial L/\partial W$를 두어, 부호가 계속 같은 방향으로는 가속하고
#   지그재그는 줄입니다.
# - AdaGrad: 가중치마다 지금까지의 기울기 제곱합의 제곱근으로 나눠서, 많이 움직인 가중치는 천천히 움직이게 합니다.
# - RMSprop: AdaGrad와 같되 이동 평균을 써서 학습이 멈춰 버리지 않습니다.
# - Adam: 모멘텀과 RMSprop을 합치고, 초반 갱신의 편향을 보정합니다.
#
# 같은 신경망(784-100-10, ReLU, He 초깃값), 같은 데이터로, 각자에게 맞는 학습률을 주고 비교합니다.

# %%
optimizers = {
    "SGD 0.1": SGD(0.1),
    "Momentum 0.05": Momentum(0.05),
    "AdaGrad 0.05": AdaGrad(0.05),
    "RMSprop 0.001": RMSprop(0.001),
    "Adam 0.001": Adam(0.001),
}
histories = {name: train(mlp(784, [100], 10, seed=0), opt) for name, opt in optimizers.items()}
for name, h in histories.items():
    print(f"{name:14s} loss {h[-1]['loss']:.4f}  test accuracy {h[-1]['test_accuracy']:.4f}")
plot_curves(histories, "loss", "optimizers: training loss")

# %% [markdown]
# ## 가중치의 초깃값
#
# 가중치가 너무 작으면 층을 지날 때마다 출력이 0으로 쪼그라들고 기울기도 함께 사라집니다. 너무 크면 시그모이드
# 유닛이 0이나 1에 붙어 버려 기울기가 0이 됩니다. Xavier 초깃값($\sigma = \sqrt{1/n}$)은 시그모이드와 tanh에,
# He 초깃값($\sigma = \sqrt{2/n}$)은 입력의 절반을 0으로 만드는 ReLU에 맞습니다. 아래는 5층 시그모이드 신경망의
# 은닉층 출력 분포를 초깃값 세 가지로 그린 것입니다.

# %%
def hidden_outputs(weight_init, activation):
    model = mlp(784, [100] * 5, 10, activation=activation, weight_init=weight_init, seed=0, dtype="float64")
    out, outputs = x_train[:1000].astype(np.float64), []
    for layer in model.layers[:-1]:
        out = layer.forward(out)
        if type(layer).__name__ != "Affine":
            outputs.append(out)
    return outputs


fig, axes = plt.subplots(3, 5, figsize=(12, 6), sharey="row")
for row, weight_init in enumerate(["std", "xavier", "he"]):
    for col, out in enumerate(hidden_outputs(weight_init, "sigmoid")):
        axes[row, col].hist(out.ravel(), bins=30, range=(0, 1))
        axes[row, col].set_title(f"{weight_init}: layer {col + 1}", fontsize=9)
plt.tight_layout()
plt.show()

# %% [markdown]
# 더 깊은 ReLU 신경망(은닉층 4개)의 훈련 손실도 초깃값별로 비교해 봅시다.

# %%
histories = {
    name: train(mlp(784, [100] * 4, 10, weight_init=name, seed=0), SGD(0.05)) for name in ["std", "xavier", "he"]
}
plot_curves(histories, "loss", "initialisation, 4 hidden ReLU layers, SGD")

# %% [markdown]
# $\sigma = 0.01$이면 깊은 신경망은 거의 출발도 못 합니다. 신호가 층을 지나는 도중에 사라져 버리기 때문입니다.
#
# ## 오버피팅과 드롭아웃
#
# 큰 신경망을 이미지 1000장만으로 학습시켜 봅시다. 신경망이 데이터를 통째로 외워 버려서 훈련 정확도는 1로
# 가는데 시험 정확도는 제자리입니다. 드롭아웃은 매 갱신마다 은닉 유닛 일부를 무작위로 꺼서(시험 때는 끄지 않음)
# 어떤 유닛도 다른 유닛에 기대지 못하게 합니다.

# %%
few_x, few_t = x_train[:1000], t_train[:1000]
long_epochs = 10 if QUICK else 40
histories = {}
for ratio in (0.0, 0.5):
    h = train(mlp(784, [256, 256], 10, dropout=ratio, seed=0), Adam(1e-3), epochs=long_epochs, x=few_x, t=few_t)
    histories[f"dropout {ratio}"] = h
    print(f"dropout {ratio}: train {h[-1]['train_accuracy']:.3f}  test {h[-1]['test_accuracy']:.3f}")
for name, h in histories.items():
    epochs_axis = [r["epoch"] for r in h]
    line = plt.plot(epochs_axis, [r["train_accuracy"] for r in h], label=f"{name} train")[0]
    plt.plot(epochs_axis, [r["test_accuracy"] for r in h], "--", color=line.get_color(), label=f"{name} test")
plt.ylim(0, 1)
plt.xlabel("epoch")
plt.legend()
plt.show()

# %% [markdown]
# ## 배치 정규화
#
# 배치 정규화는 은닉 유닛마다 미니배치 단위로 평균 0, 분산 1이 되도록 정규화한 다음, 학습하는 두 매개변수
# $\gamma$, $\beta$로 다시 늘리고 옮길 수 있게 합니다. 모든 층에서 신호의 크기를 적당하게 유지해 주므로,
# 초깃값이 나쁜 신경망도 빠르게 학습합니다.

# %%
histories = {
    f"BatchNorm {flag}": train(mlp(784, [100] * 4, 10, weight_init="std", batchnorm=flag, seed=0), SGD(0.05))
    for flag in (False, True)
}
plot_curves(histories, "test_accuracy", "4 hidden layers, weights 0.01 x randn")
assert histories["BatchNorm True"][-1]["test_accuracy"] > histories["BatchNorm False"][-1]["test_accuracy"]

# %% [markdown]
# ## 학습률 스케줄
#
# 초반에는 크게, 후반에는 작게. 에폭마다 학습률을 줄여 갑니다. 시드 000의 `lr_decay`는 에폭마다 일정한 비율을
# 곱하고(`ExponentialDecay`), `StepDecay`는 몇 에폭마다 절반으로 줄이며, `CosineAnnealing`은 코사인 반 주기를
# 따라 0까지 내려갑니다.

# %%
schedules = {
    "constant": None,
    "ExponentialDecay(0.8)": ExponentialDecay(0.8),
    "StepDecay(2, 0.5)": StepDecay(2, 0.5),
    f"CosineAnnealing({epochs})": CosineAnnealing(epochs),
}
histories = {name: train(mlp(784, [100], 10, seed=0), SGD(0.2), lr_schedule=s) for name, s in schedules.items()}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
for name, h in histories.items():
    ax1.plot([r["epoch"] for r in h], [r["lr"] for r in h], "o-", label=name)
    ax2.plot([r["epoch"] for r in h], [r["test_accuracy"] for r in h], "o-", label=name)
ax1.set(xlabel="epoch", ylabel="learning rate")
ax2.set(xlabel="epoch", ylabel="test accuracy")
ax1.legend()
plt.show()

# %% [markdown]
# ## 모두 합치기
#
# 패키지의 "5분 안에 학습하는" 최고의 Fashion-MNIST 모델은 이 기술들을 모두 씁니다. 784-1024-512-10, ReLU,
# He 초깃값, 드롭아웃 0.3, Adam, 코사인 스케줄로 30 에폭. 시험 정확도는 약 0.905입니다(scikit-learn의
# `MLPClassifier`는 약 0.87-0.88). 터미널에서 `nnscratch fashion`으로 실행해 보세요.
#
# ## 연습 문제
#
# 1. 모든 옵티마이저에 같은 학습률 0.01을 줘 보세요. 어느 쪽이 고전하나요?
# 2. 초깃값 히스토그램을 `activation="relu"`로 다시 그려 보세요. 다섯 층 내내 출력이 살아 있는 초깃값은?
# 3. 이미지 1000장에서 *시험* 정확도가 가장 좋은 드롭아웃 비율을 찾아보세요.
# 4. 배치 정규화와 드롭아웃을 함께 써 보세요. 순서가 중요할까요?
#
# ## 스스로 확인하기
#
# 배치 정규화에는 모든 계층 중 가장 긴 역전파가 있습니다. 아래 검사는 배치 정규화를 tanh 계층과 출력층 사이에
# 넣고 확인합니다. (`Affine` 바로 뒤에 두면 그 층의 편향 기울기는 정확히 0이 됩니다. 배치 정규화가 평균을 빼면서
# 편향이 더한 상수도 함께 빼 버리기 때문입니다.)
#
# 이어서 위에서 비교한 옵티마이저 가운데 `Momentum`과 `Adam`을 `update(params, grads)`를 가진 클래스로 직접
# 작성해 보세요. `nnscratch.check`가 각각 다섯 번의 갱신을 패키지의 규칙과 비교하고, 상태를 매개변수마다 따로
# 두는지 확인합니다. Adam의 편향 보정을 빼고 다시 실행해 보세요.

# %% tags=["check-yourself"]
rng = np.random.default_rng(0)
model = Sequential(
    Affine(0.1 * rng.normal(size=(784, 8)), np.zeros(8)),
    Tanh(),
    BatchNorm(np.ones(8), np.zeros(8)),
    Affine(0.1 * rng.normal(size=(8, 10)), np.zeros(10)),
)
report = gradcheck(model, x_train[:4], t_train[:4])
print(report)
assert report.ok, "a gradient disagrees with its numerical estimate: look at the rows marked 'wrong'"


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, {}

    def update(self, params, grads):
        for key in params:
            v = self.v.setdefault(key, np.zeros_like(params[key]))
            v *= self.momentum
            v -= self.lr * grads[key]
            params[key] += v


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.m, self.v, self.steps = {}, {}, 0

    def update(self, params, grads):
        self.steps += 1
        for key in params:
            m = self.m.setdefault(key, np.zeros_like(params[key]))
            v = self.v.setdefault(key, np.zeros_like(params[key]))
            m += (1 - self.beta1) * (grads[key] - m)
            v += (1 - self.beta2) * (grads[key] ** 2 - v)
            m_hat = m / (1 - self.beta1**self.steps)  # bias correction: m and v start at zero
            v_hat = v / (1 - self.beta2**self.steps)
            params[key] -= self.lr * m_hat / (np.sqrt(v_hat) + 1e-8)


for mine in [Momentum, Adam]:
    report = nnscratch.check(mine)
    print(report)
    assert report.passed, f"{mine.__name__} failed a check: read its FAIL or ERROR rows above, fix it and run again"
