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
# # 6강. 2층 신경망과 미니배치 학습
#
# 이제 지금까지 만든 부품을 조립합니다. `Affine -> Sigmoid -> Affine -> SoftmaxWithLoss`로 이루어진 신경망을
# 옷 이미지로 학습시킵니다. 강의 자료는 MNIST 손글씨 숫자를 썼지만, MNIST는 어디서나 내려받을 수 있는 것이
# 아니어서 여기서는 Fashion-MNIST를 씁니다. 형식은 MNIST와 똑같고(28x28 이미지 60,000 + 10,000장, 10개 클래스)
# 문제는 조금 더 어렵습니다. 같은 코드에 `load_mnist()`를 쓰면 MNIST로도 그대로 돌아갑니다.
#
# 아래의 `QUICK`은 이 강의들을 자동으로 실행해 보는 테스트가 빨리 끝나도록 켜는 값입니다. 여러분이 실행하면
# 전체 학습이 돌아갑니다.

# %%
import os
import time

import matplotlib.pyplot as plt
import numpy as np

import nnscratch
from nnscratch import TwoLayerNet, gradcheck
from nnscratch.data import load_fashion_mnist
from nnscratch.data.mnist import FASHION_CLASSES
from nnscratch.functional import softmax

QUICK = os.environ.get("NNSCRATCH_QUICK") == "1"

# %% [markdown]
# ## 데이터
#
# 이미지 한 장은 $[0, 1]$로 정규화한 784개의 숫자로 이루어진 행 하나가 되고, 레이블은 클래스 번호입니다.

# %%
(x_train, t_train), (x_test, t_test) = load_fashion_mnist()
if QUICK:
    x_train, t_train, x_test, t_test = x_train[:6000], t_train[:6000], x_test[:1000], t_test[:1000]
print(x_train.shape, x_train.dtype, t_train.shape, x_test.shape)

fig, axes = plt.subplots(1, 8, figsize=(12, 2))
for ax, image, label in zip(axes, x_train, t_train):
    ax.imshow(image.reshape(28, 28), cmap="gray_r")
    ax.set_title(FASHION_CLASSES[label], fontsize=8)
    ax.axis("off")
plt.show()

# %% [markdown]
# ## 학습 전의 신경망
#
# 입력 784, 시그모이드 은닉 유닛 50, 출력 10. 가중치는 정규분포 난수에 $0.01$을 곱한 값으로 시작합니다.
# 학습 전의 신경망은 모든 클래스에 거의 같은 확률(0.1)을 주고, 정확도도 찍는 수준입니다.

# %%
net = TwoLayerNet(784, 50, 10, weight_init_std=0.01, activation="sigmoid", seed=0, dtype=np.float32)
print(net)
scores = net.predict(x_test[:1])
probabilities = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
for name, p in zip(FASHION_CLASSES, probabilities[0]):
    print(f"{name:12s} {p:.3f}")
print("test accuracy before training:", net.accuracy(x_test, t_test))

# %% [markdown]
# ## 수치 미분 대 오차역전파
#
# 오차역전파(`net.gradient`)는 빠르고, 수치 미분(`net.numerical_gradient`)은 느리지만 틀리기 어렵습니다.
# 샘플 3개로 둘을 비교해 봅시다. 교재에서는 평균 절대 오차가 W1 약 4e-10, b1 약 2e-9, W2 약 5e-9,
# b2 약 1e-7이라고 보고합니다. 다만 기울기 크기에 좌우되지 않는 상대 오차가 더 좋은 기준입니다.

# %%
start = time.perf_counter()
report = gradcheck(net, x_train[:3], t_train[:3])
print(report)
print(f"({time.perf_counter() - start:.1f} s, most of it the numerical gradient)")
assert report.ok

# %% [markdown]
# ## 학습 루프
#
# 강의 자료의 학습 루프입니다. 이미지 100장을 무작위로 뽑고(**미니배치**), 오차역전파로 기울기를 구하고,
# 학습률 0.1로 모든 매개변수를 기울기 반대 방향으로 갱신합니다. 훈련 데이터 수만큼의 이미지를 보는 데 필요한
# 반복 횟수($N / 100$)가 1 **에폭**입니다. 에폭마다 훈련 데이터와 시험 데이터의 정확도를 잽니다.

# %%
iterations = 1200 if QUICK else 10_000
batch_size, learning_rate = 100, 0.1
iter_per_epoch = max(len(x_train) // batch_size, 1)
rng = np.random.default_rng(0)
losses, epochs_table = [], []
start = time.perf_counter()
for i in range(iterations):
    batch = rng.choice(len(x_train), batch_size, replace=False)
    grads = net.gradient(x_train[batch], t_train[batch])
    for key in net.params:
        net.params[key] -= learning_rate * grads[key]
    if i % 10 == 0:
        losses.append(net.loss(x_train[batch], t_train[batch]))
    if (i + 1) % iter_per_epoch == 0:
        row = ((i + 1) // iter_per_epoch, losses[-1], net.accuracy(x_train, t_train), net.accuracy(x_test, t_test))
        epochs_table.append(row)
        print(f"epoch {row[0]:2d}  loss {row[1]:.4f}  train acc {row[2]:.4f}  test acc {row[3]:.4f}")
print(f"{iterations} iterations in {time.perf_counter() - start:.1f} s")

# %% [markdown]
# 전체 데이터로 학습하면 훈련 정확도 약 0.87, 시험 정확도 약 0.85에 이릅니다(강의 자료의 MNIST 결과는 0.9468과
# 0.9447). 옷은 숫자보다 구별하기 어렵습니다.

# %%
final_test_accuracy = epochs_table[-1][3]
assert final_test_accuracy > (0.7 if QUICK else 0.84)

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
ax1.plot(losses, linewidth=0.5)
ax1.set(xlabel="iteration / 10", ylabel="loss", title="mini-batch loss")
epochs = [row[0] for row in epochs_table]
ax2.plot(epochs, [row[2] for row in epochs_table], "o-", label="train")
ax2.plot(epochs, [row[3] for row in epochs_table], "s--", label="test")
ax2.set(xlabel="epoch", ylabel="accuracy", ylim=(0, 1), title="accuracy per epoch")
ax2.legend()
plt.show()

# %% [markdown]
# ## 은닉 유닛은 무엇을 보고 있을까
#
# 은닉 유닛 하나는 픽셀마다 하나씩, 784개의 가중치를 받습니다. 이것을 28x28 이미지로 그려 봅시다.
# 빨간 픽셀은 유닛을 켜는 쪽, 파란 픽셀은 끄는 쪽입니다. 몇몇 유닛은 옷의 일부(소매, 밑창, 옷깃)
# 모양을 학습했습니다.

# %%
W1 = net.params["W1"]
fig, axes = plt.subplots(2, 8, figsize=(12, 3.2))
for k, ax in enumerate(axes.ravel()):
    limit = np.abs(W1[:, k]).max()
    ax.imshow(W1[:, k].reshape(28, 28), cmap="bwr", vmin=-limit, vmax=limit)
    ax.axis("off")
plt.show()

# %% [markdown]
# ## 학습 후, 시험 이미지 한 장

# %%
image, label = x_test[0], t_test[0]
scores = net.predict(image[None])
probabilities = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3))
ax1.imshow(image.reshape(28, 28), cmap="gray_r")
ax1.set_title(f"label: {FASHION_CLASSES[label]}")
ax1.axis("off")
ax2.barh(FASHION_CLASSES, probabilities[0])
ax2.set_xlim(0, 1)
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 연습 문제
#
# 1. 은닉층 활성화 함수를 `"relu"`로 바꿔 보세요. 더 빨리 학습하나요? (`weight_init_std=0.1`도 시도해 보세요.)
# 2. 학습률 0.01, 0.5, 2.0으로 학습해 보고 손실 곡선을 나란히 그려 보세요.
# 3. 미니배치를 복원 추출(`replace=True`)로 뽑아 보세요. 달라지는 것이 있나요?
# 4. 신경망이 가장 확신하면서 틀린 시험 이미지를 찾아 그려 보세요.
#
# ## 스스로 확인하기
#
# 이번에는 2층 신경망을 직접 만들어 봅시다. 위에서 패키지의 `TwoLayerNet`을 쓴 방식 그대로
# `params`, `predict`, `loss`를 두고, `gradient`는 연쇄법칙으로 손수 유도합니다(은닉층은 시그모이드,
# 출력층은 소프트맥스와 교차 엔트로피 오차, 정답은 원-핫 인코딩). `nnscratch.check`는 `params`의 모양과
# 손실 함수 값을 확인하고, 여러분의 기울기를 수치 미분과 패키지의 신경망 양쪽과 비교합니다.
# `self.h * (1 - self.h)`를 빠뜨린 채로 다시 실행해 보세요.

# %% tags=["check-yourself"]
class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        rng = np.random.default_rng(0)
        self.params = {
            "W1": weight_init_std * rng.normal(size=(input_size, hidden_size)),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * rng.normal(size=(hidden_size, output_size)),
            "b2": np.zeros(output_size),
        }

    def predict(self, x):
        self.h = 1 / (1 + np.exp(-(x @ self.params["W1"] + self.params["b1"])))
        return self.h @ self.params["W2"] + self.params["b2"]

    def loss(self, x, t):
        y = softmax(self.predict(x))
        return -np.sum(t * np.log(y + 1e-7)) / x.shape[0]

    def gradient(self, x, t):
        dscores = (softmax(self.predict(x)) - t) / x.shape[0]
        dhidden = dscores @ self.params["W2"].T * self.h * (1 - self.h)
        return {
            "W1": x.T @ dhidden,
            "b1": dhidden.sum(axis=0),
            "W2": self.h.T @ dscores,
            "b2": dscores.sum(axis=0),
        }


report = nnscratch.check(TwoLayerNet)
print(report)
assert report.passed, "TwoLayerNet failed a check: read its FAIL or ERROR rows above, fix it and run again"
